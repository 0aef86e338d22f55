import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { MIN_TARGET, pageChecker } from './support/checks.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { heading, signIn } from './support/flows.js';
import { texts } from './support/texts.js';

/** The marks are symbols, not wording: the same in every language (web/src/components/mark.tsx). */
const SYMBOL = { free: '○', few: '△', full: '×' } as const;

/**
 * What the journeys never meet with their one roomy venue: a second venue with access notes and a
 * map link, a calendar with ○, △ and ×, a time with few places left, and the call-centre number in
 * the footer. Each page is screenshotted and checked with axe and for 44 px tap targets.
 */
describe('venues, marks and the call centre', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [lang, width, height] of [
    ['ja', 360, 740],
    ['en', 1280, 800],
  ] as const) {
    it(`${lang}, ${width} px: venue facts and map link, ○ △ × in the calendar, few places left, call-centre number`, async () => {
      const t = texts(lang);
      const { residents, secondVenue: venue, callCentrePhone, municipalityCode } = e2eEnv();
      const local = (named: { nameJa: string; nameEn: string }) => (lang === 'ja' ? named.nameJa : named.nameEn);
      const watched = await openPage(browser, { locale: lang, width, height });
      const { page } = watched;
      const { check, problems } = pageChecker(page, lang, { shoot: screenshots(`venues-${lang}-${width}`), reflow: true });
      try {
        await signIn(page, lang, residents[RESIDENTS.venues]!);

        // The footer gives the call centre's number as a phone link, on every page of the municipality.
        const footer = page.locator('footer');
        expect(await footer.textContent()).toContain(t('site.callCentre'));
        const phoneLink = footer.getByRole('link', { name: callCentrePhone, exact: true });
        expect(await phoneLink.getAttribute('href')).toBe(`tel:${callCentrePhone.replace(/\D/g, '')}`);

        // 1. The venue list: the second venue with its vaccine, address, access notes and map link.
        await page.locator('.person').first().locator('.next-dose .button').click();
        await heading(page, t('booking.venuesTitle'));
        const card = page.locator('.card', { has: page.getByRole('heading', { level: 2, name: local(venue), exact: true }) });
        await card.waitFor();
        const facts = (await card.locator('.facts').textContent()) ?? '';
        for (const fact of [
          t('booking.vaccine'),
          local(venue.vaccine),
          t('booking.address'),
          venue.address,
          t('booking.access'),
          venue.accessNotes,
        ]) {
          expect(facts).toContain(fact);
        }
        // The first venue is still the first (the journeys choose it), and has no notes or map. The
        // staff schedule journey adds venues of its own to this town while this runs: they come after.
        expect(await page.locator('.card').count()).toBeGreaterThanOrEqual(2);
        expect(await page.locator('.card').nth(1).locator('h2').textContent()).toBe(local(venue));
        const map = card.getByRole('link', { name: `${t('booking.map')} (${t('common.newWindow')})`, exact: true });
        expect(await map.getAttribute('href')).toBe(venue.mapUrl);
        expect(await map.getAttribute('target')).toBe('_blank');
        expect((await map.getAttribute('rel'))?.split(/\s+/)).toContain('noopener');
        const mapBox = (await map.boundingBox())!;
        expect(mapBox.height).toBeGreaterThanOrEqual(MIN_TARGET);
        // A link, not a second button competing with "Choose this venue".
        expect(await map.evaluate((el) => el.className)).not.toContain('button');
        await check('venues');

        // 2. Its calendar: ○ and △ days are links named with their words; the × day is not a link.
        await card.getByRole('link', { name: t('booking.chooseVenueLabel', { venue: local(venue) }), exact: true }).click();
        await heading(page, t('booking.dateTitle'));
        const dayLink = (date: string) => page.locator(`a.day[href*="/book/${venue.id}/${date}"]`);
        await dayLink(venue.freeDate).waitFor();
        expect(await page.locator('.context').textContent()).toContain(local(venue.vaccine));
        const legend = page.locator('.legend');
        for (const mark of ['free', 'few', 'full'] as const) {
          expect(await legend.locator(`.mark-${mark}`).textContent()).toBe(`${SYMBOL[mark]} ${t(`marks.${mark}`)}`);
        }
        for (const [date, mark] of [
          [venue.freeDate, 'free'],
          [venue.fewDate, 'few'],
        ] as const) {
          const link = dayLink(date);
          expect(await link.getAttribute('class')).toContain(`day-${mark}`);
          expect(await link.getAttribute('aria-label')).toContain(t(`marks.${mark}`));
          expect(await link.locator('.mark-symbol').textContent()).toBe(SYMBOL[mark]);
          expect(await link.locator('.mark .visually-hidden').textContent()).toBe(t(`marks.${mark}`));
        }
        expect(await page.locator(`a[href*="/${venue.fullDate}"]`).count()).toBe(0);
        const fullDay = page.locator('.day-full');
        expect(await fullDay.count()).toBe(1);
        expect(await fullDay.locator('[aria-hidden="true"]').first().textContent()).toBe(String(Number(venue.fullDate.slice(8))));
        expect(await fullDay.locator('.mark-symbol').textContent()).toBe(SYMBOL.full);
        expect(await fullDay.locator('.mark .visually-hidden').textContent()).toBe(t('marks.full'));
        expect(await fullDay.evaluate((el) => el.closest('a, button, [role="link"], [role="button"], [tabindex], [onclick]'))).toBeNull();
        // Clicking (tapping) it goes nowhere.
        const calendarUrl = page.url();
        await fullDay.click();
        await heading(page, t('booking.dateTitle'));
        expect(page.url()).toBe(calendarUrl);
        await check('calendar');

        // 3. The △ day's times: 10:00 with few places left (and how many), 14:00 not open yet.
        await dayLink(venue.fewDate).click();
        await heading(page, t('booking.timeTitle'));
        const slotAt = (time: string) => page.locator('.slot', { has: page.locator('.slot-time', { hasText: new RegExp(`^${time}`) }) });
        const few = slotAt('10:00');
        await few.waitFor();
        expect(await few.isEnabled()).toBe(true);
        expect(await few.locator('.mark-few .mark-symbol').textContent()).toBe(SYMBOL.few);
        expect(await few.locator('.mark-few .mark-text').textContent()).toBe(
          `${t('marks.few')} ${t('marks.remaining', { count: venue.fewRemaining })}`,
        );
        const notOpen = slotAt('14:00');
        expect(await notOpen.isDisabled()).toBe(true);
        expect(await notOpen.locator('.mark-symbol').textContent()).toBe(SYMBOL.full);
        // It says when booking opens (09:00 that day, in the municipality's zone), not just "closed".
        const note = await notOpen.locator('.slot-note').textContent();
        expect(note).toContain('09:00');
        expect(note).toBe(
          t('booking.opensAt', { date: note!.match(t('booking.opensAt', { date: '(.+)', time: '09:00' }))?.[1] ?? '?', time: '09:00' }),
        );
        await check('times');
        expect(await page.locator('footer').getByRole('link', { name: callCentrePhone, exact: true }).isVisible()).toBe(true);

        expect(page.url()).toContain(`/m/${municipalityCode}/`);
        expect(problems).toEqual([]);
        expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
      } finally {
        await watched.close();
      }
    });
  }
});
