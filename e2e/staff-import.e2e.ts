import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText } from '../test/support/resident-files.js';
import { launchBrowser, openPage } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, STAFF_LINKS } from './support/env.js';
import { shotsInto } from './support/shots.js';
import { enrol, staffTexts } from './support/staff-journey.js';

/** A CSV of `count` new residents as a municipal system exports it (Japanese headers, UTF-8 with BOM), and two broken rows. */
function residentsCsv(count: number, firstVoucher: number): string {
  const rows = [['券番号', '生年月日', '氏名', 'フリガナ', '性別', '郵便番号', '住所', '電話番号']];
  for (let i = 0; i < count; i++) {
    const year = 1940 + (i % 60);
    rows.push([
      String(firstVoucher + i),
      `${year}-0${1 + (i % 9)}-1${i % 10}`,
      `取込 太郎${i}`,
      `トリコミ タロウ`,
      i % 2 ? '男' : '女',
      '100-0001',
      '東京都千代田区千代田1-1',
      '',
    ]);
  }
  rows.push(['12345', '1960-01-01', '桁 違い', 'ケタ チガイ', '男', '', '', '']);
  rows.push([String(firstVoucher + count + 1), '1960-02-30', '日付 違い', 'ヒヅケ チガイ', '女', '', '', '']);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-import-')), 'residents.csv');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows), 'utf8')]));
  return file;
}

/** The progress bar's value, each time it is read. */
async function progressValue(page: Page): Promise<number> {
  return Number(await page.locator('#import-progress').getAttribute('value'));
}

/**
 * Importing residents in the staff app: a file the test makes, its columns matched with a preview,
 * the progress bar followed to the end (and found again after leaving the page), the rejected rows
 * downloaded; Japanese on a desktop and English on a 360 px phone.
 */
describe('staff: importing residents', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('uploads, previews, follows the progress bar to the end and downloads the rejected rows, in ja (1280) and en (360)', async () => {
    const env = e2eEnv();
    const code = env.municipalityCode;
    const watched = await openPage(browser, { locale: 'ja', width: 1280, height: 900 });
    const { page } = watched;
    const shoot = shotsInto('dashboard-import');
    const checker = pageChecker(page, 'staff import', { shoot, reflow: true });
    try {
      await enrol(page, env.staffLinks[STAFF_LINKS.import]!, async () => undefined, 'import');
      for (const [i, { lang, width }] of [
        { lang: 'ja', width: 1280 },
        { lang: 'en', width: 360 },
      ].entries()) {
        const t = staffTexts(lang as 'ja' | 'en');
        const count = 1500;
        const firstVoucher = 7_100_000_000 + i * 100_000 + Math.floor(Math.random() * 50_000);
        const file = residentsCsv(count, firstVoucher);
        await page.setViewportSize({ width, height: width < 600 ? 780 : 900 });
        await page.goto(`/admin/m/${code}/import`);
        await page.locator(`button.language[lang=${lang}]`).click();
        await page.locator('h1', { hasText: t('import.title') }).waitFor();
        await checker.check(`${lang}-${width}-choose-file`);
        await page.setInputFiles('#f-file', file);
        await page.locator('main form button[type=submit]').first().click();
        await page.locator('#mapping-title').waitFor();
        // Matched by the Japanese headers; the first rows are shown as read.
        expect(await page.locator('#f-mapping-voucherNumber').inputValue()).toBe('券番号');
        expect(await page.locator('#f-mapping-nameKana').inputValue()).toBe('フリガナ');
        await page.locator('table', { hasText: String(firstVoucher) }).waitFor();
        // The second file is a full import (not marking anyone): who it misses is listed with their bookings.
        const full = i === 1;
        if (full) {
          await page.locator('#full').check();
          await page.locator('#markMissing').waitFor();
        }
        await checker.check(`${lang}-${width}-mapping-preview`);
        await page.locator('#mapping-title ~ form button[type=submit]').click();

        // The job runs on the server; the bar follows it to 100 %.
        await page.locator('#import-progress').waitFor();
        const seen = [await progressValue(page)];
        await checker.check(`${lang}-${width}-progress`);
        const done = t('import.status.done');
        for (let n = 0; n < 600 && (await page.getByTestId('import-status').innerText()) !== done; n++) {
          seen.push(await progressValue(page));
          await page.waitForTimeout(100);
        }
        expect(await page.getByTestId('import-status').innerText()).toBe(done);
        expect(await progressValue(page)).toBe(100);
        expect([...seen].sort((a, b) => a - b)).toEqual(seen);
        expect(await page.getByTestId('import-rejected').innerText()).toBe('2');
        const importId = Number(new URL(page.url()).pathname.split('/').at(-1));
        const [row] = await dbRows<{ created: number }>('select rows_created as created from resident_imports where id = $1', [importId]);
        expect(Number(row!.created)).toBe(count);
        if (full) {
          // Everyone of the municipality the file does not list, the journeys' residents with their bookings among them.
          await page.locator('#missing-caption').waitFor();
          const booked = await dbRows<{ number: string }>(
            `select r.number from reservations r join residents p on p.id = r.resident_id
              where p.municipality_code = $1 and r.status = 'booked' and p.voucher_number not like '71%' limit 1`,
            [code],
          );
          if (booked[0]) await page.locator('#missing-title ~ .table-wrap', { hasText: booked[0].number }).waitFor();
        }
        await checker.check(`${lang}-${width}-done`);

        // The rejected rows and why, as CSV.
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href$="/rejects"]`).click()]);
        const saved = path.join(os.tmpdir(), `rejects-${importId}.csv`);
        await download.saveAs(saved);
        const lines = fs.readFileSync(saved, 'utf8').trim().split(/\r\n/);
        expect(lines).toHaveLength(3);
        expect(lines.join('\n')).toContain(String(firstVoucher + count + 1));

        // Left and come back: the import page lists it, and its page shows it as it is.
        await page.goto(`/admin/m/${code}/dashboard`);
        await page.goto(`/admin/m/${code}/import`);
        await page.locator(`a[href="/admin/m/${code}/import/${importId}"]`).click();
        await page.locator('[data-testid=import-status]', { hasText: done }).waitFor();
        expect(await progressValue(page)).toBe(100);
      }
      expect(checker.problems).toEqual([]);
      expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
    } finally {
      await watched.close();
    }
  }, 300_000);
});
