import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, STAFF_LINKS } from './support/env.js';
import { enrol, staffTexts } from './support/staff-journey.js';

/**
 * Staff open "Messages and cost" from the navigation of their municipality: the month's table per
 * kind and channel (SMS segments × the price per segment, e-mails counted, failures), and the
 * failed messages with their reason, the listing audited. Japanese and English, 360 px and 1280 px,
 * axe clean; screenshots in YOYAKU_SHOTS (default e2e/screenshots/staff-notifications).
 */
const SHOTS = process.env.YOYAKU_SHOTS ?? path.resolve('e2e/screenshots/staff-notifications');

function shooter(name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n += 1;
    await page.screenshot({
      path: path.join(SHOTS, `${name}-${String(n).padStart(2, '0')}-${step}.png`),
      fullPage: true,
      animations: 'disabled',
    });
  };
}

async function costJourney(browser: Browser, lang: 'ja' | 'en', width: 360 | 1280) {
  const t = staffTexts(lang);
  const label = `staff-messages-${lang}-${width}`;
  const { municipalityCode, staffLinks } = e2eEnv();
  const watched = await openPage(browser, { locale: lang, width, height: width < 600 ? 740 : 900 });
  const { page } = watched;
  const checks = pageChecker(page, label, { shoot: shooter(label), reflow: true });
  // Enrolment pages are checked by the staff journeys; here only the cost page is.
  const skip = async () => {};
  try {
    await enrol(page, staffLinks[STAFF_LINKS[`messages-${lang}-${width}`]]!, skip, 'root');
    await page.locator('h1', { hasText: t('home.title') }).waitFor();
    await page.goto(`/admin/m/${municipalityCode}`);
    await page
      .getByRole('link', { name: t('nav.messages') })
      .first()
      .click();
    await page.locator('h1', { hasText: t('messages.title') }).waitFor();
    expect(
      await page
        .getByRole('link', { name: t('nav.messages') })
        .first()
        .getAttribute('aria-current'),
    ).toBe('page');
    const usage = page.locator('table').first();
    await usage.waitFor();

    // The booking confirmations' SMS row: the seeded 2 + 2 + 3 segments at least, cost = segments × 10 yen.
    const confirmed = usage.locator('tbody tr', { hasText: t('messages.kinds.booking-confirmed') }).filter({ hasText: 'SMS' });
    await confirmed.waitFor();
    const cells = await confirmed.locator('td').allInnerTexts();
    const segments = Number(cells[1]!.replace(/\D/g, ''));
    expect(segments).toBeGreaterThanOrEqual(7);
    expect(cells[2]!.replace(/[^\d.]/g, '')).toBe(String(segments * 10));
    // The whole month agrees with the database.
    const [total] = await dbRows<{ segments: string }>(
      "select coalesce(sum(segments), 0) as segments from notification_outbox where municipality_code = $1 and status = 'sent' and channel = 'sms'",
      [municipalityCode],
    );
    const footer = await usage.locator('tfoot td').allInnerTexts();
    expect(Number(footer[1]!.replace(/\D/g, ''))).toBeLessThanOrEqual(Number(total!.segments));
    await checks.check('usage');

    // The failure, with the provider's reason and the number masked.
    const failures = page.locator('table', { has: page.locator('caption#failures-caption') });
    await failures.waitFor();
    const failure = failures.locator('tbody tr', { hasText: 'not a valid mobile number' });
    await failure.waitFor();
    expect(await failure.innerText()).toContain('…1234');
    expect(await failure.innerText()).not.toContain('+819000001234');
    // Seeing who was not reached is recorded.
    await expect
      .poll(
        async () =>
          (
            await dbRows("select id from audit_log where action = 'notifications.failures-view' and municipality_code = $1", [
              municipalityCode,
            ])
          ).length,
      )
      .toBeGreaterThan(0);
    await checks.check('failures');

    // An earlier month with nothing in it says so.
    const months = await page
      .locator('#month option')
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    await page.selectOption('#month', months[months.length - 1]!);
    await page.locator('p', { hasText: t('messages.none') }).waitFor();
    await checks.check('empty-month');

    expect(checks.problems).toEqual([]);
    const problems = watched.problems();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await watched.close();
  }
}

describe('staff: messages and their cost', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['ja', 1280],
    ['ja', 360],
    ['en', 1280],
    ['en', 360],
  ] as const)('%s at %i px', (lang, width) => costJourney(browser, lang, width));
});
