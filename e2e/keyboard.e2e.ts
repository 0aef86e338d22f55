import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode } from '../test/support/server.js';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { focused } from './support/checks.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { heading, newPhone } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/** Everything works with the keyboard alone: Tab (Shift+Tab), Enter and Space, and typing; never a click. */
describe('keyboard only', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * Once `selector` is on screen (a person waits for what they came for to load), presses Tab
   * (at most `max` times) until it has the focus; every stop must show a focus indicator.
   */
  async function tabTo(page: Page, selector: string, max = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
    await page.locator(selector).first().waitFor({ state: 'attached' });
    const target = page.locator(`${selector}:focus`);
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      const now = await focused(page);
      expect(now?.visible, `focus indicator on ${now?.label}`).toBe(true);
      if ((await target.count()) > 0) return;
    }
    throw new Error(`${selector} not reached with ${max} presses of ${key}`);
  }

  it('books, switches language and cancels with the keyboard alone', async () => {
    const t = texts('ja');
    const { municipalityCode, residents, dataDir } = e2eEnv();
    const resident = residents[RESIDENTS.keyboard]!;
    const { page, close } = await openPage(browser, { locale: 'ja', width: 1280, height: 800 });
    const shoot = screenshots('keyboard');
    try {
      await page.goto(`/m/${municipalityCode}`);
      await heading(page, t('start.title'));
      // Each page puts the focus on its heading. Back through the header to the skip link, which
      // shows when focused and, followed, skips the header again.
      await tabTo(page, '.skip-link', 10, 'Shift+Tab');
      expect(await page.locator('.skip-link').isVisible()).toBe(true);
      await shoot(page, 'skip-link');
      await page.keyboard.press('Enter');
      await tabTo(page, '.button-start', 1);
      await page.keyboard.press('Enter');

      await heading(page, t('signIn.voucherTitle'));
      await tabTo(page, '#voucher');
      await page.keyboard.type(resident.voucherNumber);
      const [year, month, day] = resident.birthDate.split('-');
      await tabTo(page, '#birth', 3);
      await page.keyboard.type(year!);
      await tabTo(page, '#birth-month', 1);
      await page.keyboard.type(String(Number(month)));
      await tabTo(page, '#birth-day', 1);
      await page.keyboard.type(String(Number(day)));
      await tabTo(page, 'button[type=submit]', 3);
      await shoot(page, 'voucher');
      await page.keyboard.press('Enter');

      await heading(page, t('phone.title'));
      const phone = newPhone();
      await tabTo(page, '#phone');
      await page.keyboard.type(phone.typed);
      await tabTo(page, 'button[type=submit]', 2);
      await page.keyboard.press('Enter');

      await heading(page, t('code.title'));
      await tabTo(page, '#code');
      await page.keyboard.type(latestCode(dataDir, phone.digits));
      await tabTo(page, 'form button[type=submit]', 2);
      await page.keyboard.press('Enter');

      // Nothing booked yet: signing in leads straight to the venues.
      await heading(page, t('booking.venuesTitle'));
      await tabTo(page, '.cards .button');
      await page.keyboard.press('Enter');
      await heading(page, t('booking.dateTitle'));
      await tabTo(page, 'a.day');
      await shoot(page, 'calendar');
      await page.keyboard.press('Enter');
      await heading(page, t('booking.timeTitle'));
      await tabTo(page, '.slot:not([disabled])');
      await shoot(page, 'times');
      await page.keyboard.press('Space');
      await heading(page, t('confirm.title'));
      await tabTo(page, 'form button[type=submit]');
      await shoot(page, 'confirm');
      await page.keyboard.press('Space');

      await heading(page, t('done.titleBooked'));
      const shown = await page.locator('.reservation-number').textContent();
      await shoot(page, 'done');
      const mine = (await (await page.request.get('/api/v1/reservations')).json()) as {
        number: string;
        residentId: number;
        status: string;
      }[];
      const booked = mine.filter((r) => r.residentId === resident.id && r.status === 'booked');
      expect(booked).toHaveLength(1);
      expect(shown?.trim()).toBe(shownNumber(booked[0]!.number));

      // Switch to English with the keyboard, then cancel the booking, still without a mouse.
      await tabTo(page, 'summary.languages-button', 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await tabTo(page, 'button.language[lang="en"]', 20);
      await page.keyboard.press('Enter');
      const en = texts('en');
      await heading(page, en('done.titleBooked'));
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await tabTo(page, `a[href$="/reservations"]`);
      await page.keyboard.press('Enter');
      await heading(page, en('mine.title'));
      await tabTo(page, `a[href$="/reservations/${booked[0]!.number}/cancel"]`);
      await page.keyboard.press('Enter');
      await heading(page, en('cancel.title'));
      await tabTo(page, '.button-warning');
      await shoot(page, 'cancel');
      await page.keyboard.press('Enter');
      await heading(page, en('mine.title'));
      await page
        .getByRole('status')
        .filter({ hasText: en('mine.notices.cancelled') })
        .waitFor();
      const after = (await (await page.request.get('/api/v1/reservations')).json()) as { number: string; status: string }[];
      expect(after.find((r) => r.number === booked[0]!.number)?.status).toBe('cancelled');
    } finally {
      await close();
    }
  });
});
