import { request, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { westernYear } from '../../shared/japanese-era.js';
import { latestCode, randomMobile } from '../../test/support/server.js';
import type { Lang } from './browser.js';
import { e2eEnv, type E2eResident } from './env.js';
import { texts } from './texts.js';

/** Called after each step with a short name (for screenshots and per-page checks). */
export type StepHook = (name: string) => Promise<void>;
const noStep: StepHook = async () => {};

/**
 * Waits for the page whose h1 reads exactly `text` (pages are switched without a reload); ruby
 * readings (やさしい日本語) are left out, as texts() leaves them out.
 */
export async function heading(page: Page, text: string): Promise<void> {
  await page.waitForFunction((wanted: string) => {
    type Node = {
      cloneNode(deep: boolean): Node;
      querySelectorAll(s: string): { forEach(f: (n: { remove(): void }) => void): void };
      textContent: string | null;
    };
    const h = (globalThis as unknown as { document: { querySelector(s: string): Node | null } }).document.querySelector('h1');
    if (!h) return false;
    const copy = h.cloneNode(true);
    copy.querySelectorAll('rt').forEach((rt) => rt.remove());
    return (copy.textContent ?? '').trim() === wanted;
  }, text);
}

/** Opens the header's language menu and picks a language (named in itself, with its own lang). */
export async function chooseLanguage(page: Page, lang: Lang): Promise<void> {
  await page.click('.languages-button');
  await page.click(`.languages button[lang="${lang}"]`);
}

/** A mobile number nobody else in this run uses, as a resident would type it. */
export function newPhone(): { typed: string; digits: string } {
  const digits = randomMobile();
  return { typed: `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`, digits };
}

/** Types a birth date into the BirthDateField with id `id`: Western year, or 昭和 + year. */
export async function fillBirthDate(page: Page, id: string, birthDate: string, system: 'western' | 'showa'): Promise<void> {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  await page.selectOption(`#${id}-system`, system);
  await page.fill(`#${id}`, String(system === 'showa' ? year - westernYear('showa', 1) + 1 : year));
  await page.fill(`#${id}-month`, String(month));
  await page.fill(`#${id}-day`, String(day));
}

/** Start page → voucher and birth date → phone → SMS code (from the outbox) → "Your bookings". */
export async function signIn(
  page: Page,
  lang: Lang,
  resident: E2eResident,
  options: { era?: boolean; step?: StepHook; onStartPage?: () => Promise<void>; landing?: 'venues' | 'mine' } = {},
) {
  const t = texts(lang);
  const step = options.step ?? noStep;
  const { municipalityCode, dataDir } = e2eEnv();
  await page.goto(`/m/${municipalityCode}`);
  await page.locator('.button-start').waitFor();
  await options.onStartPage?.();
  await heading(page, t('start.title'));
  await step('start');

  await page.click('.button-start');
  await heading(page, t('signIn.voucherTitle'));
  await step('voucher');
  await page.fill('#voucher', resident.voucherNumber);
  await fillBirthDate(page, 'birth', resident.birthDate, options.era ? 'showa' : 'western');
  await step('voucher-filled');
  await page.click('form button[type=submit]');

  await heading(page, t('phone.title'));
  const phone = newPhone();
  await page.fill('#phone', phone.typed);
  await step('phone');
  await page.click('form button[type=submit]');

  await heading(page, t('code.title'));
  await page.fill('#code', latestCode(dataDir, phone.digits));
  await step('code');
  await page.click('form button[type=submit]');
  // Someone with nothing booked goes straight to the venues (issue 13 §13); the flows that go on
  // from "Your bookings" step back to it, as a resident can.
  const mine = page.locator('h1', { hasText: t('mine.title') });
  const venues = page.locator('.cards .button').first();
  await mine.or(venues).waitFor();
  if (options.landing) expect(await venues.isVisible()).toBe(options.landing === 'venues');
  if (options.landing === 'venues') {
    await heading(page, t('booking.venuesTitle'));
    await step('venues');
    return;
  }
  if (await venues.isVisible()) {
    await step('venues-first');
    await page.click('.back-link');
    await mine.waitFor();
  }
  await step('mine');
}

export interface Booked {
  /** The number as the done page shows it (ABCD-EFGH). */
  shown: string;
  /** The number in the page's address (ABCDEFGH). */
  number: string;
  slotId: number;
}

/**
 * From a link that opens the venue list (book a dose, or change a booking): venue → the
 * `dayIndex`-th bookable day → the time starting `time` → confirm → done.
 */
export async function bookFrom(
  page: Page,
  lang: Lang,
  startLink: ReturnType<Page['locator']>,
  choice: { dayIndex: number; time: string; change?: boolean; step?: StepHook; prefix?: string },
): Promise<Booked> {
  const t = texts(lang);
  const step = choice.step ?? noStep;
  const prefix = choice.prefix ?? '';
  await startLink.click();
  await heading(page, t('booking.venuesTitle'));
  await step(`${prefix}venues`);
  await page.locator('.cards .button').first().click();
  await heading(page, t('booking.dateTitle'));
  await page.locator('a.day').first().waitFor();
  await step(`${prefix}calendar`);
  await page.locator('a.day').nth(choice.dayIndex).click();
  await heading(page, t('booking.timeTitle'));
  const slot = page.locator('.slot', { has: page.locator('.slot-time', { hasText: new RegExp(`^${choice.time}`) }) });
  await slot.waitFor();
  await step(`${prefix}times`);
  await slot.click();
  await heading(page, choice.change ? t('confirm.titleChange') : t('confirm.title'));
  await page.locator('.summary').waitFor();
  const slotId = Number(new URL(page.url()).pathname.split('/').at(-1));
  await step(`${prefix}confirm`);
  await page.click('form button[type=submit]');
  await heading(page, choice.change ? t('done.titleChanged') : t('done.titleBooked'));
  const shown = (await page.locator('.reservation-number').textContent())!.trim();
  const number = new URL(page.url()).pathname.split('/').at(-1)!;
  await step(`${prefix}done`);
  return { shown, number, slotId };
}

/**
 * A booking made through the API, as another device would (no browser page involved): the three
 * sign-in steps, then `slotId`. Returns the reservation number.
 */
export async function bookThroughApi(resident: E2eResident, slotId: number, municipalityCode = e2eEnv().municipalityCode): Promise<string> {
  const { baseUrl, dataDir } = e2eEnv();
  const api = await request.newContext({ baseURL: baseUrl });
  try {
    const post = async (path: string, data: object, headers: Record<string, string> = {}) => {
      const response = await api.post(`/api/v1${path}`, { data, headers });
      if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
      return (await response.json()) as Record<string, string>;
    };
    const { challengeId } = await post('/auth/voucher', {
      municipalityCode,
      voucherNumber: resident.voucherNumber,
      birthDate: resident.birthDate,
    });
    const phone = newPhone();
    await post('/auth/sms', { challengeId, phone: phone.digits });
    const { csrfToken } = await post('/auth/verify', { challengeId, code: latestCode(dataDir, phone.digits) });
    const reservation = await post('/reservations', { slotId, residentId: resident.id }, { 'x-csrf-token': csrfToken! });
    return reservation.number!;
  } finally {
    await api.dispose();
  }
}
