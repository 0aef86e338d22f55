import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type Lang } from './support/browser.js';
import { pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS } from './support/env.js';
import { heading, signIn } from './support/flows.js';
import { texts } from './support/texts.js';

/**
 * A resident signs in, opens "How we contact you" from their bookings, chooses e-mail and SMS,
 * turns reminders off and picks the language of messages; after a reload the page shows what
 * they chose, and the database agrees. Japanese and English, a 360 px phone and a desktop, axe
 * clean; screenshots in YOYAKU_SHOTS (default e2e/screenshots/notification-preferences).
 */
const SHOTS = process.env.YOYAKU_SHOTS ?? path.resolve('e2e/screenshots/notification-preferences');

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

async function preferencesJourney(browser: Browser, lang: 'ja' | 'en', width: number) {
  const t = texts(lang);
  const label = `messages-${lang}-${width}`;
  const resident = e2eEnv().residents[RESIDENTS.messages[`${lang}-${width}` as keyof typeof RESIDENTS.messages]]!;
  const watched = await openPage(browser, { locale: lang, width, height: width < 600 ? 740 : 900 });
  const { page } = watched;
  const checks = pageChecker(page, label, { shoot: shooter(label), reflow: true });
  try {
    await signIn(page, lang, resident);
    await page.click(`a[href$="/messages"]`);
    await heading(page, t('messages.title'));
    await page.locator('#channel-sms').waitFor();
    expect(await page.isChecked('#channel-sms')).toBe(true);
    expect(await page.isChecked('#reminders')).toBe(true);
    expect(await page.inputValue('#language')).toBe(lang);
    // The number confirmed at sign-in, by its last four digits.
    await expect.poll(() => page.locator('main').innerText()).toMatch(/\d{4}/);
    await checks.check('start');

    // E-mail without an address is refused beside the field.
    await page.check('#channel-both');
    await page.locator('#email').waitFor();
    await page.click('form button[type=submit]');
    await page.locator('#email-error').waitFor();
    expect(await page.locator('#email-error').innerText()).toContain(t('messages.emailError'));
    await checks.check('email-missing');

    const address = `resident-${resident.id}@example.jp`;
    await page.fill('#email', address);
    await page.uncheck('#reminders');
    const chosenLanguage: Lang = lang === 'ja' ? 'en' : 'ko';
    await page.selectOption('#language', chosenLanguage);
    await page.click('form button[type=submit]');
    await page.locator('.notice-success').waitFor();
    expect(await page.locator('.notice-success').innerText()).toBe(t('messages.saved'));
    await checks.check('saved');

    await page.reload();
    await heading(page, t('messages.title'));
    await page.locator('#channel-both').waitFor();
    expect(await page.isChecked('#channel-both')).toBe(true);
    expect(await page.inputValue('#email')).toBe(address);
    expect(await page.isChecked('#reminders')).toBe(false);
    expect(await page.inputValue('#language')).toBe(chosenLanguage);
    await checks.check('reloaded');

    const [row] = await dbRows<{ channel: string; email: string; reminders: boolean; language: string }>(
      'select channel, email, reminders, language from notification_preferences where resident_id = $1',
      [resident.id],
    );
    expect(row).toEqual({ channel: 'both', email: address, reminders: false, language: chosenLanguage });

    // Back to SMS only: the address field goes, the choice is kept.
    await page.check('#channel-sms');
    expect(await page.locator('#email').count()).toBe(0);
    await page.click('form button[type=submit]');
    await page.locator('.notice-success').waitFor();
    await page.reload();
    await page.locator('#channel-sms').waitFor();
    expect(await page.isChecked('#channel-sms')).toBe(true);
    await checks.check('sms-only');

    expect(checks.problems).toEqual([]);
    const problems = watched.problems();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await watched.close();
  }
}

describe('message preferences', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['ja', 360],
    ['ja', 1280],
    ['en', 360],
    ['en', 1280],
  ] as const)('%s at %i px: choose, save, reload, kept', (lang, width) => preferencesJourney(browser, lang, width));
});
