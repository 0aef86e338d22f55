import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../server/db/database.js';
import { createAuditLog } from '../server/modules/audit/index.js';
import { createAdminAccounts } from '../server/modules/staff/index.js';
import { systemClock } from '../server/platform/clock.js';
import { createTestMunicipality, type TestMunicipality } from '../test/support/fixtures.js';
import { latestCode } from '../test/support/server.js';
import { launchBrowser, screenshots, watchCspViolations } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { fillBirthDate, heading, newPhone } from './support/flows.js';
import { LANGUAGES } from '../shared/i18n/languages.js';
import { startWebServer, type WebServer } from './support/server.js';
import { enrol, staffTexts } from './support/staff-journey.js';
import { shownNumber, texts } from './support/texts.js';

/**
 * Opening night in a real browser: the booking site behind the waiting room. A resident goes from
 * the start page into the queue, is admitted, signs in and books; someone who skips the queue is
 * stopped before any SMS is sent and led to it. Its own server and database (the room is on for
 * everyone on that server), built from the same web app the other browser tests use.
 */
describe('the waiting room in front of booking', () => {
  let browser: Browser;
  let db: Db;
  let dbDir: string;
  let server: WebServer;
  let town: TestMunicipality;

  beforeAll(async () => {
    browser = await launchBrowser();
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-e2e-wr-'));
    db = await openDatabase({ url: undefined, dataDir: dbDir, schema: 'public', poolMax: 1 });
    town = await createTestMunicipality(db, { residents: 2, slots: 3, capacity: 10 });
    server = await startWebServer(db, path.resolve('dist/web'), {
      env: { WAITING_ROOM: 'always', WAITING_ROOM_RATE_PER_MINUTE: '600', WAITING_ROOM_AUTOTUNE: 'off' },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.destroy();
    if (dbDir) fs.rmSync(dbDir, { recursive: true, force: true });
  });

  async function phone(): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    context.setDefaultTimeout(15_000);
    const cspViolations = await watchCspViolations(context);
    return { context, page: await context.newPage(), cspViolations };
  }

  /** The voucher step of the booking site: number and birth date, then on to the phone step. */
  async function proveIdentity(page: Page, resident: TestMunicipality['residents'][number]) {
    const t = texts('ja');
    await heading(page, t('signIn.voucherTitle'));
    await page.fill('#voucher', resident.voucherNumber);
    await fillBirthDate(page, 'birth', resident.birthDate, 'western');
    await page.click('form button[type=submit]');
    await heading(page, t('phone.title'));
  }

  it('ja, 360 px: start page → queue → admitted → sign in → booked', async () => {
    const t = texts('ja');
    const resident = town.residents[0]!;
    const { context, page, cspViolations } = await phone();
    const shoot = screenshots('waiting-room-ja-360');
    const { check, problems } = pageChecker(page, 'ja', { shoot, reflow: true });
    try {
      await page.goto(`/m/${town.code}`);
      await heading(page, t('start.title'));
      await page.locator('.notice', { hasText: t('start.queueOn') }).waitFor();
      await check('start');
      await page.click('.button-start');

      // The waiting page: a few KB of plain script, in the page's language.
      await page.waitForURL(/\/waiting-room\/\?m=/);
      expect(await page.locator('html').getAttribute('lang')).toBe('ja');
      await page.locator('#join:not([hidden])').waitFor();
      await check('queue-join');
      // Told at once that checking or cancelling needs no queue.
      expect(await page.locator('#lookup-link').getAttribute('href')).toBe(`/m/${town.code}/lookup?lang=ja`);
      // The birth date as the booking site takes it: here in the era an 80-year-old knows (昭和).
      await page.fill('#voucher', resident.voucherNumber);
      await fillBirthDate(page, 'birth', resident.birthDate, 'showa');
      await page.click('#join-button');
      // 600 a minute admits one person every 0.1 s: the turn comes almost at once.
      await page.locator('#turn:not([hidden])').waitFor();
      expect(await page.title()).toMatch(/^【あなたの番です】/);
      await check('queue-turn');
      await page.click('#continue');

      // The voucher and birth date were proven in the queue: not asked again.
      await heading(page, t('phone.title'));
      const number = newPhone();
      await page.fill('#phone', number.typed);
      await page.click('form button[type=submit]');
      await heading(page, t('code.title'));
      await page.fill('#code', latestCode(server.dataDir, number.digits));
      await page.click('form button[type=submit]');
      // Nothing booked yet: straight to the venues.
      await heading(page, t('booking.venuesTitle'));
      await page.click('.cards .button');
      await heading(page, t('booking.dateTitle'));
      await page.locator('a.day').first().click();
      await heading(page, t('booking.timeTitle'));
      await page.locator('.slot:not([disabled])').first().click();
      await heading(page, t('confirm.title'));
      await page.click('form button[type=submit]');
      await heading(page, t('done.titleBooked'));
      await check('booked');
      const shown = (await page.locator('.reservation-number').textContent())!.trim();
      const rows = await db
        .selectFrom('reservations')
        .select(['number'])
        .where('resident_id', '=', resident.id)
        .where('status', '=', 'booked')
        .execute();
      expect(rows.map((r) => shownNumber(r.number))).toEqual([shown]);
      expect(problems).toEqual([]);
      // The waiting page and the app ran under their Content-Security-Policy without a refusal.
      expect(cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('ja, 360 px: skipping the queue is stopped before any SMS is sent, with a way into the queue', async () => {
    const t = texts('ja');
    const resident = town.residents[1]!;
    const { context, page } = await phone();
    try {
      await page.goto(`/m/${town.code}/sign-in`);
      await proveIdentity(page, resident);
      const number = newPhone();
      await page.fill('#phone', number.typed);
      await page.click('form button[type=submit]');
      await page.locator('.error-summary', { hasText: t('problems:admission-required') }).waitFor();
      const toQueue = page.getByRole('link', { name: t('signIn.toWaitingRoom') });
      expect(await toQueue.getAttribute('href')).toBe(`/waiting-room/?m=${town.code}&lang=ja`);
      await screenshots('waiting-room-skip-ja-360')(page, 'refused');
      // Nothing was sent to that phone.
      const outbox = path.join(server.dataDir, 'outbox', 'sms.jsonl');
      const sent = fs.existsSync(outbox) ? fs.readFileSync(outbox, 'utf8') : '';
      expect(sent).not.toContain(number.digits.slice(1)); // the number without its trunk 0, in every spelling
      await toQueue.click();
      await page.waitForURL(/\/waiting-room\/\?m=/);
      await page.locator('#join:not([hidden])').waitFor();
    } finally {
      await context.close();
    }
  });
  it('en, 1280 px: the operators’ screen in the staff app shows the queues and pauses and paces the room', async () => {
    const t = staffTexts('en');
    const admins = createAdminAccounts({ db, clock: systemClock, publicUrl: server.url, audit: createAuditLog(db) });
    const { link } = await admins.createAdmin(`operator.${Date.now()}@example.org`);
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    const cspViolations = await watchCspViolations(context);
    const page = await context.newPage();
    const shoot = screenshots('staff-waiting-room-en-1280');
    const { check, problems } = pageChecker(page, 'staff room', { shoot, reflow: true });
    try {
      await enrol(page, link.url, check, 'operator');
      await page.goto('/admin/waiting-room');
      await page.locator('h1', { hasText: t('room.titleAll') }).waitFor();
      // The queue the residents above joined.
      await page.locator('article code', { hasText: town.code }).first().waitFor();
      await check('operators');
      await page.getByRole('button', { name: t('room.pause') }).click();
      await page.locator('.notice-success', { hasText: t('room.pausedDone') }).waitFor();
      await page.locator('#room-title + dl', { hasText: t('room.paused') }).waitFor();
      await page.fill('#f-ratePerMinute', 'lots');
      await page.getByRole('button', { name: t('room.setRate') }).click();
      await page.locator('.error-summary').waitFor();
      await check('operators-paused-error');
      await page.fill('#f-ratePerMinute', '120');
      await page.getByRole('button', { name: t('room.setRate') }).click();
      await page.locator('.notice-success', { hasText: t('room.rateSet', { n: 120 }) }).waitFor();
      await page.getByRole('button', { name: t('room.resume') }).click();
      await page.locator('.notice-success', { hasText: t('room.resumed') }).waitFor();
      await check('operators-resumed');
      const controls = await db.selectFrom('audit_log').select('detail').where('action', '=', 'waiting-room.control').execute();
      expect(controls.length).toBeGreaterThanOrEqual(3);
      expect(problems).toEqual([]);
      expect(cspViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('every language, 360 px: the waiting page in the site’s look, its language marked and on the page, axe clean', async () => {
    const { context, page } = await phone();
    const problems: string[] = [];
    try {
      for (const { code } of LANGUAGES) {
        const { check, problems: found } = pageChecker(page, `waiting-room ${code}`, {
          shoot: screenshots(`waiting-room-${code}-360`),
          reflow: true,
        });
        await page.goto(`/waiting-room/?m=${town.code}&lang=${code}`);
        await page.locator('#join:not([hidden])').waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(code);
        expect(await page.getAttribute(`#to-${code}`, 'aria-current')).toBe('true');
        // The municipality's name in the header, as on the booking pages.
        await page
          .locator('#site-name', { hasText: 'テスト市' })
          .or(page.locator('#site-name', { hasText: 'Test City' }))
          .waitFor();
        await page.click('#languages-button');
        await check('join');
        problems.push(...found);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
