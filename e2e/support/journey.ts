import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openPage, screenshots, type Lang } from './browser.js';
import { axeProblems, horizontalOverflow, smallTapTargets } from './checks.js';
import { dbRows, e2eEnv, RESIDENTS } from './env.js';
import { bookFrom, chooseLanguage, fillBirthDate, heading, signIn } from './flows.js';
import { shownNumber, texts } from './texts.js';

interface ApiReservation {
  number: string;
  residentId: number;
  status: string;
  slot: { id: number; startsAt: string };
}

interface DbReservation {
  number: string;
  status: string;
  resident_id: number;
  slot_id: number;
  made_by_resident_id: number | null;
  starts_at: string;
}

async function apiReservations(page: Page): Promise<ApiReservation[]> {
  // page.request shares the browser context's cookies: this is what the signed-in page can see.
  const response = await page.request.get('/api/v1/reservations');
  expect(response.status()).toBe(200);
  return (await response.json()) as ApiReservation[];
}

async function dbReservation(number: string): Promise<DbReservation> {
  const [row] = await dbRows<DbReservation>(
    'select r.number, r.status, r.resident_id, r.slot_id, r.made_by_resident_id, s.starts_at from reservations r join slots s on s.id = r.slot_id where r.number = $1',
    [number],
  );
  expect(row, `reservation ${number} in the database`).toBeDefined();
  return row!;
}

/**
 * The whole resident journey in one language at one width, against the real server and database:
 * switch language → sign in → book dose 1 → change it → cancel it → add a family member → book
 * for them. Every step is screenshotted and checked (axe, tap targets, no sideways scrolling).
 */
export async function journey(browser: Browser, lang: Lang, width: number): Promise<void> {
  const t = texts(lang);
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const run = `${lang}-${width}` as keyof typeof RESIDENTS.journey;
  const { residents } = e2eEnv();
  const [holder, family] = RESIDENTS.journey[run].map((i) => residents[i]!) as [(typeof residents)[0], (typeof residents)[0]];
  // The browser speaks the other language: the visitor switches with the visible switch.
  const watched = await openPage(browser, { locale: other, width, height: width < 600 ? 740 : 800 });
  const { page } = watched;
  const shoot = screenshots(run);
  const problems: string[] = [];
  const checked = new Set<string>();
  const step = async (name: string) => {
    await shoot(page, name);
    // Axe and tap targets once per kind of page: the venue list is seen three times, and so on
    // (the change's confirmation and done pages say other things, so they count as their own).
    const kind = name.replace(/^family-/, '').replace(/^change-(venues|calendar|times)$/, '$1');
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) problems.push(`${name}: scrolls sideways by ${overflow}px at ${width}px`);
    if (checked.has(kind)) return;
    checked.add(kind);
    problems.push(...(await axeProblems(page, `${run} ${name}`)), ...(await smallTapTargets(page, `${run} ${name}`)));
  };

  try {
    // 1. Sign in, with the Japanese era in Japanese and the Western year in English.
    await signIn(page, lang, holder, {
      era: lang === 'ja',
      step,
      onStartPage: async () => {
        await heading(page, texts(other)('start.title'));
        await chooseLanguage(page, lang);
        await heading(page, t('start.title'));
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.getAttribute(`.languages button[lang=${lang}]`, 'aria-current')).toBe('true');
      },
    });
    // The choice is remembered: a reload keeps the language the visitor picked.
    await page.reload();
    await heading(page, t('mine.title'));
    const holderSection = page.locator('.person', { has: page.getByRole('heading', { name: holder.nameKanji }) });

    // 2. Book dose 1 for oneself: the first day at 10:00.
    const booked = await bookFrom(page, lang, holderSection.locator('.next-dose .button'), { dayIndex: 0, time: '10:00', step });
    expect(booked.shown).toBe(shownNumber(booked.number));
    const afterBooking = (await apiReservations(page)).filter((r) => r.residentId === holder.id && r.status === 'booked');
    expect(afterBooking.map((r) => r.number)).toEqual([booked.number]);
    expect(afterBooking[0]!.slot.id).toBe(booked.slotId);
    const bookedRow = await dbReservation(booked.number);
    expect(bookedRow).toMatchObject({ status: 'booked', resident_id: holder.id, slot_id: booked.slotId });

    // 3. Change it to the second day at 14:00: same number, the new time shown, the database moved.
    await page.click(`a[href="/m/${e2eEnv().municipalityCode}/reservations"]`);
    await heading(page, t('mine.title'));
    await holderSection.locator('.card .reservation-number-small', { hasText: shownNumber(booked.number) }).waitFor();
    await step('mine-booked');
    const changeLink = holderSection.locator(`a[href*="change=${booked.number}"]`);
    const changed = await bookFrom(page, lang, changeLink, { dayIndex: 1, time: '14:00', change: true, step, prefix: 'change-' });
    expect(changed.number).toBe(booked.number);
    const facts = page.locator('.facts').first();
    await expect.poll(() => facts.textContent()).toContain('14:00');
    expect(await facts.textContent()).not.toContain('10:00');
    const changedApi = (await apiReservations(page)).find((r) => r.number === booked.number)!;
    expect(changedApi).toMatchObject({ status: 'booked', slot: { id: changed.slotId } });
    expect(changed.slotId).not.toBe(booked.slotId);
    const changedRow = await dbReservation(booked.number);
    expect(changedRow).toMatchObject({ status: 'booked', slot_id: changed.slotId });
    expect(new Date(changedRow.starts_at).toISOString()).toBe(changedApi.slot.startsAt);
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(
        new Date(changedRow.starts_at),
      ),
    ).toBe('14:00');

    // 4. Cancel it: asked once more, then shown as cancelled in the history.
    await page.click(`a[href="/m/${e2eEnv().municipalityCode}/reservations"]`);
    await heading(page, t('mine.title'));
    await holderSection.locator(`a[href$="/reservations/${booked.number}/cancel"]`).click();
    await heading(page, t('cancel.title'));
    await step('cancel');
    await page.click('.button-warning');
    await heading(page, t('mine.title'));
    await page
      .getByRole('status')
      .filter({ hasText: t('mine.notices.cancelled') })
      .waitFor();
    await holderSection.locator('summary', { hasText: t('mine.history', { count: 1 }) }).click();
    const history = holderSection.locator('details .facts');
    expect(await history.textContent()).toContain(shownNumber(booked.number));
    expect(await history.textContent()).toContain(t('reservation.statuses.cancelled'));
    await expect.poll(() => holderSection.locator('.next-dose .button').isVisible()).toBe(true);
    await step('cancelled');
    expect((await apiReservations(page)).find((r) => r.number === booked.number)?.status).toBe('cancelled');
    expect((await dbReservation(booked.number)).status).toBe('cancelled');

    // 5. Add a family member and book for them.
    await page.click(`a[href$="/family/add"]`);
    await heading(page, t('family.title'));
    await page.fill('#voucher', family.voucherNumber);
    await fillBirthDate(page, 'birth', family.birthDate, 'western');
    await step('family-add');
    await page.click('form button[type=submit]');
    await heading(page, t('mine.title'));
    await page
      .getByRole('status')
      .filter({ hasText: t('mine.notices.familyAdded') })
      .waitFor();
    const familySection = page.locator('.person', { has: page.getByRole('heading', { name: family.nameKanji }) });
    expect(await familySection.locator('h2 .tag').textContent()).toBe(t('mine.family'));
    await step('family-added');
    // Two "Book dose 1" buttons now: a screen reader tells them apart by whom they are for.
    const bookButtons = page.locator('.next-dose .button');
    const names = await bookButtons.evaluateAll((links) => links.map((link) => link.textContent!.trim()));
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    expect(names[1]).toContain(t('mine.forPerson', { name: family.nameKanji }));
    const familyBooking = await bookFrom(page, lang, familySection.locator('.next-dose .button'), {
      dayIndex: 2,
      time: '10:00',
      step,
      prefix: 'family-',
    });
    expect(familyBooking.shown).toBe(shownNumber(familyBooking.number));
    expect(await page.locator('.facts').first().textContent()).toContain(family.nameKanji);
    const familyApi = (await apiReservations(page)).find((r) => r.number === familyBooking.number);
    expect(familyApi).toMatchObject({ residentId: family.id, status: 'booked', slot: { id: familyBooking.slotId } });
    expect(await dbReservation(familyBooking.number)).toMatchObject({
      status: 'booked',
      resident_id: family.id,
      made_by_resident_id: holder.id,
      slot_id: familyBooking.slotId,
    });

    expect(problems).toEqual([]);
    expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
  } finally {
    await watched.close();
  }
}
