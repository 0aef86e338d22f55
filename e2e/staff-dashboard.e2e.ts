import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS, STAFF_LINKS } from './support/env.js';
import { bookThroughApi } from './support/flows.js';
import { shotsInto } from './support/shots.js';
import { enrol, staffTexts } from './support/staff-journey.js';

const CASES = [
  { lang: 'ja', width: 1280 },
  { lang: 'ja', width: 360 },
  { lang: 'en', width: 1280 },
  { lang: 'en', width: 360 },
] as const;

/** The number a tile shows, whatever the language's digit grouping. */
async function tile(page: Page, testId: string): Promise<number> {
  return Number((await page.getByTestId(testId).innerText()).replace(/\D/g, ''));
}

/**
 * The live dashboard: a resident's booking made elsewhere (another browser context's API calls)
 * appears without reloading, in Japanese and English, on a desktop and a 360 px phone; the
 * reserved list of that day downloads and reads back with exceljs; the cross-tabs show.
 */
describe('staff: live dashboard, lists and cross-tabs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows bookings made elsewhere as they happen, downloads the reserved list, in ja and en at 1280 and 360 px', async () => {
    const env = e2eEnv();
    const code = env.municipalityCode;
    const watched = await openPage(browser, { locale: 'ja', width: 1280, height: 900 });
    const { page } = watched;
    const shoot = shotsInto('dashboard');
    const checker = pageChecker(page, 'staff dashboard', { shoot, reflow: true });
    try {
      await enrol(page, env.staffLinks[STAFF_LINKS.dashboard]!, async () => undefined, 'dashboard');
      for (const [i, { lang, width }] of CASES.entries()) {
        const t = staffTexts(lang);
        await page.setViewportSize({ width, height: width < 600 ? 780 : 900 });
        await page.goto(`/admin/m/${code}/dashboard`);
        await page.locator(`button.language[lang=${lang}]`).click();
        await page.locator('h1', { hasText: t('dashboard.title') }).waitFor();
        await page.locator('.live-state', { hasText: t('dashboard.live') }).waitFor();
        const before = await tile(page, 'bookings-total');
        const todayBefore = await tile(page, 'bookings-today');
        await checker.check(`${lang}-${width}-dashboard`);

        // Another device books: the page, never reloaded, shows it within a few seconds.
        const resident = env.residents[RESIDENTS.dashboard[i]!]!;
        const loadedAt = await page.evaluate(() => performance.timeOrigin);
        await bookThroughApi(resident, env.slotIds[8 + i]!);
        // Other journeys book in this town at the same time (the e2e files run in parallel): at
        // least this booking arrives, and the tiles agree with each other.
        await expect.poll(() => tile(page, 'bookings-total'), { timeout: 8_000, interval: 200 }).toBeGreaterThanOrEqual(before + 1);
        const added = (await tile(page, 'bookings-total')) - before;
        expect(await tile(page, 'bookings-today')).toBeGreaterThanOrEqual(todayBefore + 1);
        expect(await tile(page, 'bookings-today')).toBeLessThanOrEqual(todayBefore + added + 5);
        expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
        await checker.check(`${lang}-${width}-dashboard-after-booking`);
      }

      // The reserved list of the day just booked, in each language's headers, read back with exceljs.
      for (const lang of ['ja', 'en'] as const) {
        const t = staffTexts(lang);
        // Downloads speak the account's language (its setting, not the page's).
        const me = (await (await page.request.get('/api/v1/staff/me')).json()) as { csrfToken: string };
        const set = await page.request.patch('/api/v1/staff/me', { headers: { 'x-csrf-token': me.csrfToken }, data: { language: lang } });
        expect(set.status()).toBe(200);
        await page.setViewportSize({ width: lang === 'ja' ? 1280 : 360, height: 900 });
        await page.goto(`/admin/m/${code}/lists`);
        await page.locator(`button.language[lang=${lang}]`).click();
        await page.locator('h1', { hasText: t('lists.title') }).waitFor();
        const [slotDay] = await dbRows<{ day: string }>(
          `select to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day from slots where id = $1`,
          [env.slotIds[8]],
        );
        const day = slotDay!.day;
        await page.fill('#f-date', day);
        await checker.check(`${lang}-lists`);
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-reserved').click()]);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-list-')), download.suggestedFilename());
        await download.saveAs(file);
        expect(file).toMatch(/\.xlsx$/);
        const book = new ExcelJS.Workbook();
        await book.xlsx.readFile(file);
        const sheet = book.worksheets[0]!;
        const numbers = await dbRows<{ number: string }>(
          `select r.number from reservations r join slots s on s.id = r.slot_id join venues v on v.id = s.venue_id
            where v.municipality_code = $1 and r.status <> 'cancelled'
              and to_char(s.starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') = $2`,
          [code, day],
        );
        const cells: string[] = [];
        sheet.eachRow((row) => cells.push(...(row.values as unknown[]).map((v) => String(v ?? ''))));
        for (const { number } of numbers) expect(cells).toContain(number);
        expect(sheet.rowCount).toBeGreaterThanOrEqual(numbers.length + 1);
        const header = (sheet.getRow(1).values as unknown[]).map(String).join(' ');
        expect(header).toMatch(lang === 'ja' ? /予約番号/ : /Reservation number/i);
      }

      for (const lang of ['ja', 'en'] as const) {
        const t = staffTexts(lang);
        await page.setViewportSize({ width: lang === 'ja' ? 360 : 1280, height: 900 });
        await page.goto(`/admin/m/${code}/crosstab`);
        await page.locator(`button.language[lang=${lang}]`).click();
        await page.locator('h1', { hasText: t('crosstab.title') }).waitFor();
        await page.locator('main button[type=submit]').click();
        await page.locator('#crosstab-caption').waitFor();
        await checker.check(`${lang}-crosstab`);
      }
      expect(checker.problems).toEqual([]);
      expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
    } finally {
      await watched.close();
    }
  }, 240_000);
});
