import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraOf } from '../shared/japanese-era.js';
import { nextCode } from '../test/support/staff.js';
import { launchBrowser, openPage } from './support/browser.js';
import { focused, pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS } from './support/env.js';
import { staffTexts } from './support/staff-journey.js';

/** Screenshots of each step, into YOYAKU_SHOTS (when set) or e2e/screenshots/call-centre-{lang}. */
function shots(lang: string) {
  const dir = process.env.YOYAKU_SHOTS ? path.resolve(process.env.YOYAKU_SHOTS) : path.resolve('e2e/screenshots', `call-centre-${lang}`);
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n += 1;
    await page.screenshot({ path: path.join(dir, `call-centre-${lang}-${String(n).padStart(2, '0')}-${step}.png`), fullPage: true });
  };
}

/**
 * Presses Tab until `selector` has the focus; every stop must show a focus indicator. The page's
 * heading, where the app puts the focus after a page change (tabindex -1), is not a stop: a Tab
 * pressed while the page changes can find the focus there.
 */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'attached' });
  const target = page.locator(`${selector}:focus`);
  for (let i = 0; i < max; i++) {
    if ((await target.count()) > 0) return;
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now?.tabStop) expect(now.visible, `focus indicator on ${now.label}`).toBe(true);
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab`);
}

const hiragana = (katakana: string) => katakana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

/**
 * An operator's call, with the keyboard alone (Tab, arrows, Enter, typing; never a click): signs in
 * with password and authenticator code, finds the caller by kana (typed in hiragana, no space) and
 * the birth date as the caller says it (昭和42年7月… / S43.8…), confirms who they are, books a time
 * whose phone places show (`(phone 0/3)`), reads the number back character by character, opens the
 * postcard PDF, and is warned before booking the same person again. Axe-checked at every step.
 */
describe('call centre: an operator books for a caller with the keyboard alone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}, 1280 px`, async () => {
      const t = staffTexts(lang);
      const env = e2eEnv();
      const operator = env.operators[lang];
      const caller = env.residents[RESIDENTS.callCentre[lang]]!;
      const kana = (await dbRows<{ name_kana: string }>('select name_kana from residents where id = $1', [caller.id]))[0]!.name_kana;
      const era = eraOf(caller.birthDate)!;
      const [, month, day] = caller.birthDate.split('-').map(Number);
      const spoken = lang === 'ja' ? `${era.era.nameJa}${era.year}年${month}月${day}日` : `S${era.year}.${month}.${day}`;
      const watched = await openPage(browser, { locale: lang, width: 1280, height: 900 });
      const { page } = watched;
      const checker = pageChecker(page, `call-centre ${lang}`, { shoot: shots(lang), reflow: true });
      try {
        await page.goto('/admin/');
        await tabTo(page, '#email');
        await page.keyboard.type(operator.email);
        await tabTo(page, '#password');
        await page.keyboard.type(operator.password);
        await tabTo(page, '#code');
        await page.keyboard.type(await nextCode(operator));
        await page.keyboard.press('Enter');
        await page
          .locator('nav a', { hasText: t('nav.callCentre') })
          .first()
          .waitFor();
        await tabTo(page, `nav a[href="/admin/m/${env.municipalityCode}/call-centre"]`, 60);
        await page.keyboard.press('Enter');

        // The search form, the kana field focused on load.
        await page.locator('h1', { hasText: t('callCentre.titleSearch') }).waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-kana');
        await checker.check('search');
        await page.keyboard.type(hiragana(kana.replace(/\s/g, '')));
        await page.keyboard.press('Tab');
        await page.keyboard.type(spoken);
        await page.keyboard.press('Enter');
        // The results: the first has the focus, Enter opens it.
        const first = page.locator('.call-result').first();
        await first.waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('call-result');
        await expect(page.locator('.call-result').count()).resolves.toBe(1);
        await checker.check('results');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');

        // Who was found, before anything can change.
        await page.locator('#confirm-title', { hasText: t('callCentre.confirm.title') }).waitFor();
        await expect(page.locator('.facts').first().innerText()).resolves.toContain(caller.nameKanji);
        await expect(page.locator('.facts').first().innerText()).resolves.toContain(kana);
        expect(await page.getByRole('button', { name: t('callCentre.record.book', { name: caller.nameKanji }) }).count()).toBe(0);
        await checker.check('confirm');
        await tabTo(page, `button:has-text("${t('callCentre.confirm.yes')}")`);
        await page.keyboard.press('Enter');

        // Book: venue, the last day (its 14:00 keeps places for the telephone), the time.
        const book = `button:has-text("${t('callCentre.record.book', { name: caller.nameKanji })}")`;
        await page.locator(book).first().waitFor();
        await tabTo(page, book);
        await page.keyboard.press('Enter');
        const phoneDay = (
          await dbRows<{ day: string }>(
            `select to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day from slots where id = $1`,
            [env.phoneSlotId],
          )
        )[0]!.day;
        await tabTo(page, '#f-date');
        for (let i = 0; i < 40 && (await page.locator('#f-date').inputValue()) !== phoneDay; i++) await page.keyboard.press('ArrowDown');
        const phoneTime = page.locator(`#slot-${env.phoneSlotId}`);
        await phoneTime.waitFor();
        const phoneLabel = page.locator(`label[for="slot-${env.phoneSlotId}"]`);
        const phoneTaken = (await dbRows<{ phone_taken: number }>('select phone_taken from slots where id = $1', [env.phoneSlotId]))[0]!
          .phone_taken;
        await expect(phoneLabel.innerText()).resolves.toContain(t('callCentre.book.phoneCounts', { taken: phoneTaken, places: 3 }));
        await tabTo(page, 'input[name="slot"]');
        while (!(await phoneTime.evaluate((el) => el === document.activeElement))) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Space');
        await checker.check('book');
        await tabTo(page, `button[type=submit]:has-text("${t('callCentre.book.submit')}")`);
        await page.keyboard.press('Enter');

        // Booked: the number read back character by character, with readings.
        await page.locator('#booked-title').waitFor();
        const [booked] = await dbRows<{ number: string; made_by_kind: string; made_by_staff_account_id: number; phone_taken: number }>(
          `select r.number, r.made_by_kind, r.made_by_staff_account_id, s.phone_taken from reservations r join slots s on s.id = r.slot_id
           where r.resident_id = $1 and r.status = 'booked'`,
          [caller.id],
        );
        expect(booked).toMatchObject({ made_by_kind: 'operator', made_by_staff_account_id: operator.accountId });
        expect(booked!.phone_taken).toBe(phoneTaken + 1);
        const shown = `${booked!.number.slice(0, 4)}-${booked!.number.slice(4)}`;
        await expect(page.locator('.read-back-number').innerText()).resolves.toBe(shown);
        const characters = await page.locator('.read-back-character').allInnerTexts();
        expect(characters.join('')).toBe(shown);
        const readings = await page.locator('.read-back tbody td:nth-child(2)').allInnerTexts();
        expect(readings.every((r) => r.trim().length > 0)).toBe(true);
        await checker.check('read-back');

        // The postcard: Enter on the link opens the PDF in a new tab.
        await tabTo(page, `a:has-text("${t('callCentre.booked.postcard')}")`);
        const pdf = page.context().waitForEvent('response', (r) => r.url().includes('/postcard'));
        const [tab] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
        const response = await pdf;
        expect(response.status()).toBe(200);
        expect(response.headers()['content-type']).toBe('application/pdf');
        expect(new URL(response.url()).searchParams.get('language')).toBe(lang);
        await tab.close();

        // The same person again: the duplicate warning, and nothing booked.
        await page.bringToFront();
        await tabTo(page, `button:has-text("${t('callCentre.booked.backToCaller')}")`);
        await page.keyboard.press('Enter');
        await tabTo(page, `button:has-text("${t('callCentre.confirm.yes')}")`);
        await page.keyboard.press('Enter');
        await page.locator(book).first().waitFor();
        await tabTo(page, book);
        await page.keyboard.press('Enter');
        await tabTo(page, 'input[name="slot"]');
        await page.keyboard.press('Space');
        await tabTo(page, `button[type=submit]:has-text("${t('callCentre.book.submit')}")`);
        await page.keyboard.press('Enter');
        await page.locator('#existing-warning', { hasText: t('callCentre.book.existingTitle') }).waitFor();
        await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('existing-warning');
        await checker.check('existing-booking');
        await tabTo(page, `button:has-text("${t('callCentre.book.dontBook')}")`);
        await page.keyboard.press('Enter');
        const active = await dbRows('select 1 from reservations where resident_id = $1 and status = $2', [caller.id, 'booked']);
        expect(active).toHaveLength(1);

        expect(checker.problems).toEqual([]);
        expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
      } catch (error) {
        await shots(`${lang}-failed`)(page, 'failed');
        throw error;
      } finally {
        await watched.close();
      }
    });
  }

  it('ja, 360 px: search, confirmation, bookings and the booking form fit a phone, axe clean', async () => {
    const t = staffTexts('ja');
    const env = e2eEnv();
    const operator = env.operators.ja;
    const caller = env.residents[RESIDENTS.callCentre.ja]!;
    const watched = await openPage(browser, { locale: 'ja', width: 360, height: 740 });
    const { page } = watched;
    const checker = pageChecker(page, 'call-centre ja 360', { shoot: shots('ja-360'), reflow: true });
    try {
      await page.goto('/admin/');
      await tabTo(page, '#email');
      await page.keyboard.type(operator.email);
      await tabTo(page, '#password');
      await page.keyboard.type(operator.password);
      await tabTo(page, '#code');
      await page.keyboard.type(await nextCode(operator));
      await page.keyboard.press('Enter');
      await page
        .locator('nav a', { hasText: t('nav.callCentre') })
        .first()
        .waitFor();
      await tabTo(page, `nav a[href="/admin/m/${env.municipalityCode}/call-centre"]`, 60);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-kana');
      await checker.check('search');
      // By voucher number alone this time.
      await tabTo(page, '#f-voucherNumber');
      await page.keyboard.type(caller.voucherNumber);
      await page.keyboard.press('Enter');
      await page.locator('.call-result').first().waitFor();
      await checker.check('results');
      await page.keyboard.press('Enter');
      await page.locator('#confirm-title').waitFor();
      await tabTo(page, `button:has-text("${t('callCentre.confirm.yes')}")`);
      await page.keyboard.press('Enter');
      const book = `button:has-text("${t('callCentre.record.book', { name: caller.nameKanji })}")`;
      await tabTo(page, book);
      await checker.check('caller');
      await page.keyboard.press('Enter');
      await page.locator('input[name="slot"]').first().waitFor();
      await checker.check('book');
      expect(checker.problems).toEqual([]);
      expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
    } catch (error) {
      await shots('ja-360-failed')(page, 'failed');
      throw error;
    } finally {
      await watched.close();
    }
  });
});
