import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode } from '../test/support/server.js';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { dbRows, e2eEnv, RESIDENTS } from './support/env.js';
import { fillBirthDate, heading, newPhone } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/**
 * The server slow or down, made so with Playwright's routing in front of the real server: the
 * page says what happened in the person's language, offers to try again, keeps what was typed,
 * and works again once the server answers.
 */
describe('server slow or down', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function errorSummaryHas(page: Page, text: string): Promise<void> {
    await page.locator('.error-summary li', { hasText: text }).waitFor();
  }

  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: a failed load offers a retry, a failed form keeps its answers, a hung request times out`, async () => {
      const t = texts(lang);
      const { municipalityCode, residents, dataDir } = e2eEnv();
      const resident = residents[RESIDENTS.resilience[lang]]!;
      const watched = await openPage(browser, { locale: lang, width: 360, height: 740 });
      const { page } = watched;
      const shoot = screenshots(`resilience-${lang}`);
      const retry = page.getByRole('button', { name: t('common.retry'), exact: true });
      try {
        // 1. The very first request fails: not a blank page, a message and a retry.
        const municipality = `**/api/v1/municipalities/${municipalityCode}`;
        await page.route(municipality, (route) => route.abort('internetdisconnected'));
        await page.goto(`/m/${municipalityCode}`);
        await page
          .getByRole('alert')
          .filter({ hasText: t('errors.network') })
          .waitFor();
        expect(await page.locator('.site-name').textContent()).toBe(t('site.name'));
        await shoot(page, 'start-down');
        await page.unroute(municipality);
        await retry.click();
        await heading(page, t('start.title'));

        // 2. The voucher step cannot reach the server: the answers stay, sending again works.
        await page.click('.button-start');
        await heading(page, t('signIn.voucherTitle'));
        await page.fill('#voucher', resident.voucherNumber);
        await fillBirthDate(page, 'birth', resident.birthDate, lang === 'ja' ? 'showa' : 'western');
        const typed = async () => [
          await page.inputValue('#voucher'),
          await page.inputValue('#birth-system'),
          await page.inputValue('#birth'),
          await page.inputValue('#birth-month'),
          await page.inputValue('#birth-day'),
        ];
        const before = await typed();
        await page.route('**/api/v1/auth/voucher', (route) => route.abort('connectionrefused'));
        await page.click('form button[type=submit]');
        await errorSummaryHas(page, t('errors.network'));
        expect((await page.title()).startsWith(t('errors.titlePrefix'))).toBe(true);
        expect(await typed()).toEqual(before);
        expect(await page.isEnabled('form button[type=submit]')).toBe(true);
        await shoot(page, 'voucher-down');
        await page.unroute('**/api/v1/auth/voucher');
        await page.click('form button[type=submit]');
        await heading(page, t('phone.title'));
        const phone = newPhone();
        await page.fill('#phone', phone.typed);
        await page.click('form button[type=submit]');
        await heading(page, t('code.title'));
        await page.fill('#code', latestCode(dataDir, phone.digits));
        await page.click('form button[type=submit]');
        // Nothing booked yet: signing in leads straight to the venues.
        await heading(page, t('booking.venuesTitle'));

        // 3. A request that never ends: "loading" meanwhile, then (after the page's 20 s limit,
        //    fast-forwarded) a message and a retry that works once the server answers.
        await page.clock.install();
        const hung: Route[] = [];
        await page.route('**/api/v1/venues/*/days?*', (route) => void hung.push(route));
        await page.locator('.cards .button').first().click();
        await heading(page, t('booking.dateTitle'));
        await page
          .getByRole('status')
          .filter({ hasText: t('common.loading') })
          .waitFor();
        await expect.poll(() => hung.length).toBe(1);
        await shoot(page, 'calendar-slow');
        await page.clock.fastForward(21_000);
        await page
          .getByRole('alert')
          .filter({ hasText: t('errors.timeout') })
          .waitFor();
        await shoot(page, 'calendar-timeout');
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        await retry.click();
        await page.locator('a.day').first().click();
        await heading(page, t('booking.timeTitle'));
        await page.locator('.slot:not([disabled])').first().click();
        await heading(page, t('confirm.title'));
        await page.locator('.summary').waitFor();

        // 4. Booking while the server is overloaded (a proxy's 503 page), then unreachable: the
        //    confirmation stays, nothing is booked, and the same button books once it is back.
        let attempts = 0;
        await page.route('**/api/v1/reservations', (route) => {
          if (route.request().method() !== 'POST') return route.fallback();
          attempts += 1;
          return attempts === 1 ? route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503</h1>' }) : route.abort('timedout');
        });
        await page.click('form button[type=submit]');
        await errorSummaryHas(page, t('problems:unavailable'));
        await shoot(page, 'confirm-busy');
        await page.click('form button[type=submit]');
        await errorSummaryHas(page, t('confirm.noAnswer'));
        expect(await page.locator('.summary').isVisible()).toBe(true);
        await shoot(page, 'confirm-down');
        expect(await dbRows("select number from reservations where resident_id = $1 and status = 'booked'", [resident.id])).toEqual([]);
        await page.unroute('**/api/v1/reservations');
        // 5. The booking reaches the server but its answer is lost on the way back: the page says
        //    it could not hear back, and pressing again (the server: "already booked") shows that
        //    booking instead of an error.
        await page.route('**/api/v1/reservations', async (route) => {
          if (route.request().method() !== 'POST') return route.fallback();
          await route.fetch();
          await route.abort('connectionreset');
        });
        await page.click('form button[type=submit]');
        await errorSummaryHas(page, t('confirm.noAnswer'));
        expect(await dbRows("select number from reservations where resident_id = $1 and status = 'booked'", [resident.id])).toHaveLength(1);
        await page.unroute('**/api/v1/reservations');
        // 6. And the account refresh after it fails too: the done page, with its number, still appears.
        await page.route('**/api/v1/me', (route) => route.abort('connectionreset'));
        await page.click('form button[type=submit]');
        await heading(page, t('done.titleBooked'));
        await page.unroute('**/api/v1/me');
        const shown = (await page.locator('.reservation-number').textContent())!.trim();
        const rows = await dbRows<{ number: string }>("select number from reservations where resident_id = $1 and status = 'booked'", [
          resident.id,
        ]);
        expect(rows.map((r) => shownNumber(r.number))).toEqual([shown]);
        await shoot(page, 'booked');
        expect(watched.problems().pageErrors).toEqual([]);
      } finally {
        await watched.close();
      }
    });
  }
});
