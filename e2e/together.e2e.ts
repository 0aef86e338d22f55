import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS, type E2eResident } from './support/env.js';
import { bookThroughApi, fillBirthDate, heading, signIn } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/** Issue 13 §12 and §16: Back after booking, and booking two people at once (all or none). */
const t = texts('en');

async function addFamily(page: Page, member: E2eResident): Promise<void> {
  await page.click(`a[href$="/family/add"]`);
  await heading(page, t('family.title'));
  await page.fill('#voucher', member.voucherNumber);
  await fillBirthDate(page, 'birth', member.birthDate, 'western');
  await page.click('form button[type=submit]');
  await heading(page, t('mine.title'));
  await page
    .getByRole('status')
    .filter({ hasText: t('mine.notices.familyAdded') })
    .waitFor();
}

async function bookedOf(ids: number[]): Promise<{ number: string; resident_id: number; slot_id: number }[]> {
  return dbRows("select number, resident_id, slot_id from reservations where status = 'booked' and resident_id = any($1::int[])", [ids]);
}

describe('booking together, and Back after booking', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Back after booking shows the booking that was made, never its slot as a new booking', async () => {
    const resident = e2eEnv().residents[RESIDENTS.back]!;
    const { page, close } = await openPage(browser, { locale: 'en', width: 360, height: 740 });
    try {
      await signIn(page, 'en', resident, { landing: 'venues' });
      await page.locator('.cards .button').first().click();
      await page.locator('a.day').nth(2).click();
      await page.locator('.slot:not([disabled])').first().click();
      await heading(page, t('confirm.title'));
      await page.click('form button[type=submit]');
      await heading(page, t('done.titleBooked'));
      const shown = (await page.locator('.reservation-number').textContent())!.trim();
      await page.goBack();
      await heading(page, t('reservation.title'));
      expect((await page.locator('.reservation-number').textContent())!.trim()).toBe(shown);
      await page.goBack();
      await heading(page, t('reservation.title'));
      const rows = await bookedOf([resident.id]);
      expect(rows.map((r) => shownNumber(r.number))).toEqual([shown]);
    } finally {
      await close();
    }
  });

  it('books two people into one time, with one confirmation showing each reservation number', async () => {
    const [holder, partner] = RESIDENTS.together.map((i) => e2eEnv().residents[i]!) as [E2eResident, E2eResident];
    const { page, close } = await openPage(browser, { locale: 'en', width: 360, height: 740 });
    const { check, problems } = pageChecker(page, 'together', { shoot: screenshots('together-en-360'), reflow: true });
    try {
      await signIn(page, 'en', holder);
      await addFamily(page, partner);
      await page.click('.together-link');
      await heading(page, t('together.title'));
      await check('choose');
      await page.click('form button[type=submit]');
      await heading(page, t('booking.venuesTitle'));
      expect(await page.locator('.person-banner').textContent()).toContain(partner.nameKanji);
      await page.locator('.cards .button').first().click();
      await page.locator('a.day').nth(3).click();
      await heading(page, t('booking.timeTitle'));
      await page.locator('.slot:not([disabled])').first().click();
      await heading(page, t('confirm.title'));
      await check('confirm');
      await page.click('form button[type=submit]');
      await heading(page, t('together.doneTitle'));
      await page.locator('.reservation-number').nth(1).waitFor();
      await check('done');
      const shown = (await page.locator('.reservation-number').allTextContents()).map((s) => s.trim()).sort();
      const rows = await bookedOf([holder.id, partner.id]);
      expect(rows.map((r) => r.resident_id).sort()).toEqual([holder.id, partner.id].sort());
      expect(new Set(rows.map((r) => r.slot_id)).size).toBe(1);
      expect(rows.map((r) => shownNumber(r.number)).sort()).toEqual(shown);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('books neither when the time has room for only one of them by the moment they confirm', async () => {
    const env = e2eEnv();
    const [holder, partner] = RESIDENTS.togetherFull.map((i) => env.residents[i]!) as [E2eResident, E2eResident];
    const { page, close } = await openPage(browser, { locale: 'en', width: 360, height: 740 });
    try {
      await signIn(page, 'en', holder);
      await addFamily(page, partner);
      // The slot with room for two, picked while both places are free…
      await page.goto(`/m/${env.municipalityCode}/book/${env.venueId}/${env.togetherSlot.date}?for=${holder.id}&with=${partner.id}`);
      await heading(page, t('booking.timeTitle'));
      await page.locator('.slot:not([disabled])').first().click();
      await heading(page, t('confirm.title'));
      // …then someone else takes one of them before the couple confirms.
      await bookThroughApi(env.residents[RESIDENTS.togetherRival]!, env.togetherSlot.id);
      await page.click('form button[type=submit]');
      await page.locator('.error-summary', { hasText: t('together.full') }).waitFor();
      await screenshots('together-full-en-360')(page, 'refused');
      expect(await bookedOf([holder.id, partner.id])).toEqual([]);
      const [slot] = await dbRows<{ taken: number }>('select taken from slots where id = $1', [env.togetherSlot.id]);
      expect(slot!.taken).toBe(1);
      // The times page no longer offers that time to two people.
      await page.goto(`/m/${env.municipalityCode}/book/${env.venueId}/${env.togetherSlot.date}?for=${holder.id}&with=${partner.id}`);
      await heading(page, t('booking.timeTitle'));
      await page.locator('.slot-note', { hasText: t('together.notEnough', { count: 2 }) }).waitFor();
      expect(await page.locator('.slot:not([disabled])').count()).toBe(0);
    } finally {
      await close();
    }
  });
});
