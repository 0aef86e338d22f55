import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS } from './support/env.js';
import { bookThroughApi, heading, signIn } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/**
 * Cancelling dose 1 while dose 2 is booked on its interval: the page says, before the button,
 * that dose 2 goes too and shows it; afterwards both are cancelled and their places are free.
 */
describe('cancelling a dose that a later one rests on', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('en, 360 px: warns that dose 2 is cancelled too, shows it, and cancels both', async () => {
    const t = texts('en');
    const { residents, slotIds, dose2SlotId } = e2eEnv();
    const resident = residents[RESIDENTS.cascade]!;
    const first = await bookThroughApi(resident, slotIds[0]!);
    const second = await bookThroughApi(resident, dose2SlotId);
    const watched = await openPage(browser, { locale: 'en', width: 360, height: 740 });
    const { page } = watched;
    const { check, problems } = pageChecker(page, 'en', { shoot: screenshots('cancel-later-dose-en-360'), reflow: true });
    try {
      await signIn(page, 'en', resident);
      await check('mine');
      await page.locator(`a[href$="/reservations/${first}/cancel"]`).click();
      await heading(page, t('cancel.title'));
      // The page draws its heading first and the bookings once they are loaded: wait for them.
      const warning = page.locator('.warning-text', { hasText: t('cancel.alsoCancelled', { dose: 2 }) });
      await warning.waitFor();
      expect(await warning.count()).toBe(1);
      const facts = await page.locator('.facts').allTextContents();
      expect(facts).toHaveLength(2);
      expect(facts[0]).toContain(shownNumber(first));
      expect(facts[1]).toContain(shownNumber(second));
      expect(await page.locator('.button-warning').textContent()).toBe(t('cancel.confirmWithLater', { count: 2 }));
      await check('cancel-warning');

      await page.click('.button-warning');
      await heading(page, t('mine.title'));
      await page
        .getByRole('status')
        .filter({ hasText: t('mine.notices.cancelled') })
        .waitFor();
      await check('cancelled');
      const rows = await dbRows<{ number: string; status: string }>(
        'select number, status from reservations where resident_id = $1 order by dose_number',
        [resident.id],
      );
      expect(rows).toEqual([
        { number: first, status: 'cancelled' },
        { number: second, status: 'cancelled' },
      ]);
      expect(problems).toEqual([]);
      expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
    } finally {
      await watched.close();
    }
  });
});
