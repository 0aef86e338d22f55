import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode } from '../test/support/server.js';
import { launchBrowser, openPage, screenshots, type Lang } from './support/browser.js';
import { focused } from './support/checks.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { heading, newPhone } from './support/flows.js';
import { texts } from './support/texts.js';

/** The first step of signing in: the Japanese-era birth date, and how errors are shown. */
describe('sign-in: era birth date and errors', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openSignIn(lang: Lang, width = 360): Promise<{ page: Page; close: () => Promise<void> }> {
    const watched = await openPage(browser, { locale: lang, width, height: 740 });
    await watched.page.goto(`/m/${e2eEnv().municipalityCode}/sign-in`);
    await heading(watched.page, texts(lang)('signIn.voucherTitle'));
    return watched;
  }

  it('signs in with 昭和 + year, and rejects a date outside the chosen era beside the field', async () => {
    const t = texts('ja');
    const resident = e2eEnv().residents[RESIDENTS.era]!;
    const [year, month, day] = resident.birthDate.split('-') as [string, string, string];
    const shoot = screenshots('era');
    const { page, close } = await openSignIn('ja');
    try {
      await page.fill('#voucher', resident.voucherNumber);
      // 昭和64年1月8日 does not exist: Heisei began that day.
      await page.selectOption('#birth-system', 'showa');
      await page.fill('#birth', '64');
      await page.fill('#birth-month', '1');
      await page.fill('#birth-day', '8');
      await page.click('form button[type=submit]');
      const beside = page.locator('#birth-error');
      await beside.waitFor();
      expect(await beside.textContent()).toContain(t('birthDate.errors.outside-era'));
      // Beside the field: inside the birth-date fieldset, announced with it.
      expect(
        await page
          .locator('fieldset', { has: page.locator('#birth') })
          .locator('#birth-error')
          .count(),
      ).toBe(1);
      expect(await page.getAttribute('fieldset:has(#birth)', 'aria-describedby')).toContain('birth-error');
      expect(await page.locator('.error-summary a[href="#birth"]').textContent()).toBe(t('birthDate.errors.outside-era'));
      await shoot(page, 'outside-era');

      // 元年 is year 1: 昭和元年12月25日 is the era's first day, echoed as a Western date.
      await page.fill('#birth', '元');
      await page.fill('#birth-month', '12');
      await page.fill('#birth-day', '25');
      expect(await page.locator('.echo').textContent()).toContain('1926年12月25日');
      expect(await page.locator('.echo').textContent()).toContain(
        t('birthDate.eraYear', { era: t('birthDate.eraName.showa'), year: t('birthDate.firstYear') }),
      );

      // The resident's own date as 昭和 + year: echoed back in the Western calendar, then accepted.
      const showaYear = Number(year) - 1925;
      await page.fill('#birth', String(showaYear));
      await page.fill('#birth-month', String(Number(month)));
      await page.fill('#birth-day', String(Number(day)));
      const echo = await page.locator('.echo').textContent();
      expect(echo).toContain(`${Number(year)}年${Number(month)}月${Number(day)}日`);
      expect(echo).toContain(t('birthDate.eraYear', { era: t('birthDate.eraName.showa'), year: showaYear }));
      await shoot(page, 'showa-echo');
      await page.click('form button[type=submit]');
      await heading(page, t('phone.title'));
      const phone = newPhone();
      await page.fill('#phone', phone.typed);
      await page.click('form button[type=submit]');
      await heading(page, t('code.title'));
      // The 10-minute countdown is on screen in whole minutes (calm: it does not tick every
      // second), and a new code cannot be asked for at once.
      expect(await page.locator('.countdown').textContent()).toMatch(/10/);
      expect(await page.locator('.countdown').textContent()).not.toMatch(/\d+:\d\d/);
      const resend = page.locator('button.button-secondary');
      expect(await resend.isDisabled()).toBe(true);
      expect(await resend.textContent()).toMatch(
        new RegExp(
          t('code.resendIn', { seconds: 'X' })
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace('X', '\\d+'),
        ),
      );
      // A wrong code is refused beside the code field, which keeps what was typed.
      const code = latestCode(e2eEnv().dataDir, phone.digits);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      await page.fill('#code', wrong);
      await page.click('form button[type=submit]');
      await page.locator('#code-error').waitFor();
      expect(await page.locator('#code-error').textContent()).toBe(`${t('errors.prefix')} ${t('code.wrong')}`);
      expect(await page.inputValue('#code')).toBe(wrong);
      await shoot(page, 'wrong-code');
      await page.fill('#code', code);
      await page.click('form button[type=submit]');
      // Signed in with nothing booked: straight to choosing a venue, for this person.
      await heading(page, t('booking.venuesTitle'));
      await page.locator('.person-banner', { hasText: resident.nameKanji }).waitFor();
      await shoot(page, 'signed-in');
    } finally {
      await close();
    }
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: empty submit → focused summary, messages beside fields, "Error:" title; typed values kept`, async () => {
      const t = texts(lang);
      const shoot = screenshots(`errors-${lang}`);
      const { page, close } = await openSignIn(lang);
      try {
        const title = await page.title();
        expect(title.startsWith(t('errors.titlePrefix'))).toBe(false);
        await page.click('form button[type=submit]');
        const summary = page.locator('.error-summary');
        await summary.waitFor();
        await expect.poll(async () => (await focused(page))?.className).toBe('error-summary');
        expect(await summary.locator('h2').textContent()).toBe(t('errors.summaryTitle'));
        expect(await summary.locator('a[href="#voucher"]').textContent()).toBe(t('voucher.errorLength'));
        expect(await summary.locator('a[href="#birth"]').textContent()).toBe(t('birthDate.errors.missing'));
        expect(await page.locator('#voucher-error').textContent()).toBe(`${t('errors.prefix')} ${t('voucher.errorLength')}`);
        expect(await page.locator('#birth-error').textContent()).toBe(`${t('errors.prefix')} ${t('birthDate.errors.missing')}`);
        expect(await page.getAttribute('#voucher', 'aria-invalid')).toBe('true');
        expect(await page.getAttribute('#voucher', 'aria-describedby')).toContain('voucher-error');
        expect((await page.title()).startsWith(`${t('errors.titlePrefix')} ${t('signIn.voucherTitle')}`)).toBe(true);
        await shoot(page, 'empty');

        // The summary's link takes the person to the field.
        await summary.locator('a[href="#voucher"]').click();
        expect((await focused(page))?.label).toMatch(/^input#voucher/);

        // A half-typed form: the errors change, what was typed stays.
        await page.fill('#voucher', '12345');
        await page.fill('#birth', '1950');
        await page.click('form button[type=submit]');
        await page.locator('#birth-error').waitFor();
        expect(await page.inputValue('#voucher')).toBe('1234 5');
        expect(await page.inputValue('#birth')).toBe('1950');
        expect(await page.locator('#voucher-error').textContent()).toContain(t('voucher.errorLength'));

        // Fixing one digit in the middle: the digits regroup, and the caret stays after the digit
        // just typed, so the next digit lands next to it, not at the end.
        await page.fill('#voucher', '1234567890');
        await page.locator('#voucher').evaluate((input: HTMLInputElement) => input.setSelectionRange(2, 2));
        await page.keyboard.type('9');
        expect(await page.inputValue('#voucher')).toBe('1293 456 789');
        expect(await page.locator('#voucher').evaluate((input: HTMLInputElement) => input.selectionStart)).toBe(3);
        await page.keyboard.type('8');
        expect(await page.inputValue('#voucher')).toBe('1298 345 678');
        await page.keyboard.press('Backspace');
        expect(await page.inputValue('#voucher')).toBe('1293 456 78');

        // A complete form the server refuses: its message (in this language) at the top, nothing lost.
        await page.fill('#voucher', '9999999999');
        await page.fill('#birth-month', '4');
        await page.fill('#birth-day', '1');
        await page.click('form button[type=submit]');
        await summary.locator('a[href="#voucher"]', { hasText: t('voucher.notFound') }).waitFor();
        expect(await page.locator('#voucher-error').textContent()).toBe(`${t('errors.prefix')} ${t('voucher.notFound')}`);
        expect((await page.title()).startsWith(t('errors.titlePrefix'))).toBe(true);
        expect(await page.inputValue('#voucher')).toBe('9999 999 999');
        expect([await page.inputValue('#birth'), await page.inputValue('#birth-month'), await page.inputValue('#birth-day')]).toEqual([
          '1950',
          '4',
          '1',
        ]);
        await shoot(page, 'refused');
      } finally {
        await close();
      }
    });
  }
});
