import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolThrough, nextCode, staffCall, uniqueEmail, type StaffSession, type StaffUser } from '../test/support/staff.js';
import { launchBrowser, openPage } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { CHECK_IN_RUNS, dbRows, e2eEnv, STAFF_LINKS } from './support/env.js';
import { bookThroughApi } from './support/flows.js';
import { staffTexts } from './support/staff-journey.js';

/**
 * On the day at a venue, on a phone and on a desktop, in Japanese and English: a venue-role staff
 * member signs in (password + authenticator code), opens check-in, finds the person by reservation
 * number, marks them attended with the lot number; the dose is in their history at once, so they
 * book dose 2 through the resident API straight after. Every page is axe-checked and screenshotted
 * (into YOYAKU_SHOTS_DIR, else e2e/screenshots/staff-check-in-*).
 */
const SHOTS = process.env.YOYAKU_SHOTS_DIR ?? path.resolve('e2e/screenshots');

function shooter(run: string) {
  const dir = process.env.YOYAKU_SHOTS_DIR ? SHOTS : path.join(SHOTS, `staff-check-in-${run}`);
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n += 1;
    const name = `${process.env.YOYAKU_SHOTS_DIR ? `check-in-${run}-` : ''}${String(n).padStart(2, '0')}-${step}.png`;
    await page.screenshot({ path: path.join(dir, name), fullPage: true, animations: 'disabled' });
  };
}

let browser: Browser;
const venueStaff: Record<string, StaffUser> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  const { baseUrl, staffLinks, checkIn } = e2eEnv();
  const server = { url: baseUrl };
  // A super-administrator (create-admin's link) invites one venue-role member per run.
  const root: { session: StaffSession } = await enrolThrough(server, staffLinks[STAFF_LINKS.checkIn]!);
  for (const run of CHECK_IN_RUNS) {
    const invited = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${checkIn.municipalityCode}/accounts`, {
      session: root.session,
      body: { email: uniqueEmail(`venue-${run}`), displayName: `Venue ${run}`, language: run.slice(0, 2), roles: ['venue'] },
    });
    expect(invited.status, invited.text).toBe(201);
    venueStaff[run] = (await enrolThrough(server, invited.body.link.url)).user;
  }
});
afterAll(async () => {
  await browser?.close();
});

async function checkInJourney(lang: 'ja' | 'en', width: 360 | 1280) {
  const run = `${lang}-${width}` as (typeof CHECK_IN_RUNS)[number];
  const t = staffTexts(lang);
  const { checkIn } = e2eEnv();
  const person = checkIn.people[run]!;
  const user = venueStaff[run]!;
  const opened = await openPage(browser, { locale: lang, width, height: width < 600 ? 740 : 900 });
  const checker = pageChecker(opened.page, `check-in ${run}`, { shoot: shooter(run), reflow: true });
  const page = opened.page;
  try {
    await page.goto('/admin/');
    await page.locator('#email').waitFor();
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await page.fill('#code', await nextCode(user));
    await page.click('button[type=submit]');
    await page.waitForURL(`**/admin/m/${checkIn.municipalityCode}`);
    await checker.check('overview');
    await page
      .getByRole('link', { name: t('nav.checkIn') })
      .first()
      .click();
    await page.locator('h1', { hasText: t('checkIn.title') }).waitFor();
    await page.locator('.check-in-person').first().waitFor();
    await checker.check('day');

    // Attended without a lot number: told to type it first, nothing recorded.
    await page.fill('#f-q', `${person.number.slice(0, 4)}-${person.number.slice(4)}`.toLowerCase());
    await page.getByRole('button', { name: t('checkIn.find'), exact: true }).click();
    await page.locator('h2', { hasText: t('checkIn.found', { count: 1 }) }).waitFor();
    const card = page.locator('.check-in-person');
    expect(await card.count()).toBe(1);
    await expect.poll(() => card.innerText()).toContain(person.nameKanji);
    await page.getByRole('button', { name: t('checkIn.attendedFor', { name: person.nameKanji }) }).click();
    await page.locator('.error-summary', { hasText: t('checkIn.lotMissing') }).waitFor();
    await checker.check('lot-missing');

    await page.fill('#f-lotNumber', 'fn9606');
    await page.getByRole('button', { name: t('checkIn.attendedFor', { name: person.nameKanji }) }).click();
    await page.locator('.check-in-attended').waitFor();
    await page.locator('[role=status]', { hasText: person.nameKanji }).waitFor();
    await checker.check('attended');
    const doses = await dbRows<{ lot_number: string; administered_on: string }>(
      `select d.lot_number, to_char(d.administered_on, 'YYYY-MM-DD') as administered_on
         from dose_records d join reservations r on r.id = d.reservation_id where r.number = $1`,
      [person.number],
    );
    expect(doses).toEqual([{ lot_number: 'FN9606', administered_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    // The counts at the top followed the tap.
    await expect.poll(() => page.locator('.check-in-figures').innerText()).toMatch(new RegExp(`${t('checkIn.figure.attended')}\\s+[1-4]`));

    // Dose 1 is in the history at once: dose 2 is bookable through the resident API.
    const dose2 = await bookThroughApi(person, checkIn.dose2SlotId, checkIn.municipalityCode);
    const [booked] = await dbRows<{ dose_number: number; status: string }>(
      'select dose_number, status from reservations where number = $1',
      [dose2],
    );
    expect(booked).toEqual({ dose_number: 2, status: 'booked' });

    // Everyone again, the lot number kept for the session.
    await page.getByRole('button', { name: t('checkIn.showAll') }).click();
    await expect.poll(() => page.locator('.check-in-person').count()).toBe(CHECK_IN_RUNS.length);
    expect(await page.inputValue('#f-lotNumber')).toBe('FN9606');
    await checker.check('everyone');
    expect(opened.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
  } finally {
    await opened.close();
  }
  expect(checker.problems).toEqual([]);
}

describe('check-in on the day', () => {
  it('in Japanese on a 360 px phone', () => checkInJourney('ja', 360));
  it('in Japanese at 1280 px', () => checkInJourney('ja', 1280));
  it('in English on a 360 px phone', () => checkInJourney('en', 360));
  it('in English at 1280 px', () => checkInJourney('en', 1280));
});
