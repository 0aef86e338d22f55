import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLanguage, LANGUAGES } from '../shared/i18n/languages.js';
import { launchBrowser, openLargeTextPhone, openPage, screenshots, type Lang } from './support/browser.js';
import { horizontalOverflow, pageChecker } from './support/checks.js';
import { dbRows, e2eEnv, RESIDENTS } from './support/env.js';
import { heading, signIn } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/*
 * Issue 13: every language at 360 px (a short journey each, axe clean), large text that never
 * breaks, the browser-language fallback. One browser; a fresh context per language.
 */
declare const document: { querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): DOMRectLike }> };
interface DOMRectLike {
  left: number;
  right: number;
  top: number;
  bottom: number;
  height: number;
}
declare function getComputedStyle(element: unknown): { lineHeight: string; fontSize: string };

/** From the venue list (where a first sign-in lands) to the done page; returns the number shown. */
async function bookFirstFree(page: Page, lang: Lang, check: (step: string) => Promise<void>, dayIndex: number): Promise<string> {
  const t = texts(lang);
  await page.locator('.cards .button').first().click();
  await heading(page, t('booking.dateTitle'));
  await page.locator('a.day').first().waitFor();
  await check('calendar');
  await page.locator('a.day').nth(dayIndex).click();
  await heading(page, t('booking.timeTitle'));
  await page.locator('.slot:not([disabled])').first().waitFor();
  await check('times');
  await page.locator('.slot:not([disabled])').first().click();
  await heading(page, t('confirm.title'));
  await page.locator('.summary').waitFor();
  await check('confirm');
  await page.click('form button[type=submit]');
  await heading(page, t('done.titleBooked'));
  await page.locator('.reservation-number').waitFor();
  await check('done');
  return (await page.locator('.reservation-number').textContent())!.trim();
}

/** Calendar day cells whose boxes overlap another's (numbers running together). */
function overlappingDays(page: Page): Promise<number> {
  return page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll('.calendar .day')).map((el) => el.getBoundingClientRect());
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
      }
    return overlaps;
  });
}

/** The root element's computed font size ("36px" at 200% text). */
function rootFontSize(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle((document as unknown as { documentElement: unknown }).documentElement).fontSize);
}

/** Whether the reservation number takes more than one line. */
function numberWraps(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.querySelectorAll('.reservation-number')[0]!;
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.7;
    return el.getBoundingClientRect().height > line * 1.5;
  });
}

describe('every language', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(LANGUAGES.map((l, i) => [l.code, i] as const))(
    '%s, 360 px: start → sign in with an era date → venues → calendar → times → confirm → done, axe clean',
    async (lang, index) => {
      const t = texts(lang);
      const resident = e2eEnv().residents[RESIDENTS.languages + index]!;
      const { page, close, problems: pageProblems } = await openPage(browser, { locale: lang, width: 360, height: 740 });
      const { check, problems } = pageChecker(page, lang, { shoot: screenshots(`lang-${lang}-360`), reflow: true });
      try {
        await signIn(page, lang, resident, {
          era: true,
          landing: 'venues',
          step: async (name) => {
            if (['start', 'voucher-filled', 'phone', 'code', 'venues'].includes(name)) await check(name);
          },
          onStartPage: async () => {
            expect(await page.getAttribute('html', 'lang')).toBe(lang);
            // The menu names the current language in itself and marks it.
            expect(await page.getAttribute(`.languages button[lang="${lang}"]`, 'aria-current')).toBe('true');
          },
        });
        if (lang === 'zh-Hans') expect(await page.locator('.cards .card-title').first().textContent()).toBe('测试接种会场');
        const shown = await bookFirstFree(page, lang, check, index % 10);
        const rows = await dbRows<{ number: string }>("select number from reservations where resident_id = $1 and status = 'booked'", [
          resident.id,
        ]);
        expect(rows.map((r) => shownNumber(r.number))).toEqual([shown]);
        expect(await page.locator('h1').textContent()).toContain(t('done.titleBooked').slice(0, 2));
        expect(problems).toEqual([]);
        expect(pageProblems().pageErrors).toEqual([]);
      } finally {
        await close();
      }
    },
  );

  // Japanese, English and Vietnamese (long words, many diacritics), whichever the site has.
  const large = ['ja', 'en', 'vi'].filter(isLanguage);
  it.each(large)(
    '%s with the browser’s text at 200 percent: nothing scrolls sideways, days never overlap, the number never wraps',
    async (lang) => {
      const resident = e2eEnv().residents[RESIDENTS.large[lang as keyof typeof RESIDENTS.large]]!;
      // Chromium's default font size doubled (16 → 32 px) in the browser's profile, as Android's and
      // Chrome's text setting does; the root then computes to 112.5% of 32 px, and every step checks
      // it still does, so the run cannot quietly fall back to the default size.
      const { page, close } = await openLargeTextPhone({ locale: lang, width: 360, height: 740, fontSize: 32 });
      await page.goto(`/m/${e2eEnv().municipalityCode}`);
      expect(await rootFontSize(page)).toBe('36px');
      const shoot = screenshots(`large-${lang}-360`);
      const problems: string[] = [];
      const check = async (step: string) => {
        await shoot(page, step);
        const size = await rootFontSize(page);
        if (size !== '36px') problems.push(`${step}: text at ${size}, not 200%`);
        const sideways = await horizontalOverflow(page);
        if (sideways > 0) problems.push(`${step}: ${sideways}px sideways`);
        if (step === 'calendar') {
          const overlaps = await overlappingDays(page);
          if (overlaps > 0) problems.push(`calendar: ${overlaps} overlapping days`);
        }
        if (step === 'done' && (await numberWraps(page))) problems.push('done: the reservation number wraps');
        // The header (name, language, sign out) takes at most a quarter of the screen.
        const header = await page.locator('header').boundingBox();
        if (header && header.height > 740 / 4) problems.push(`${step}: header ${Math.round(header.height)}px tall`);
      };
      try {
        await signIn(page, lang, resident, { era: lang === 'ja', landing: 'venues', step: check });
        const shown = await bookFirstFree(page, lang, check, 11);
        expect(shown).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    },
  );

  it('at 130% text, the start button is on the first screen', async () => {
    const { page, close } = await openPage(browser, { locale: 'ja', width: 360, height: 640 });
    try {
      await page.goto(`/m/${e2eEnv().municipalityCode}`);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Page.enable');
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 21, fixed: 17 } });
      await page.reload();
      expect(parseFloat(await rootFontSize(page))).toBeCloseTo(21 * 1.125, 0);
      await heading(page, texts('ja')('start.title'));
      const start = await page.locator('.button-start').boundingBox();
      expect(start!.y + start!.height).toBeLessThanOrEqual(640);
    } finally {
      await close();
    }
  });

  it.each([
    ['vi-VN', 'vi'],
    ['ko-KR', 'ko'],
    ['sw-KE', 'en'],
    ['de-DE', 'en'],
    ['ja-JP', 'ja'],
    ['pt-PT', 'pt-BR'],
    ['zh-TW', 'zh-Hant'],
  ] as const)('a %s browser sees the site in %s (English when the site lacks its language)', async (locale, expected) => {
    const have = LANGUAGES.some((l) => l.code === expected);
    const lang: Lang = have ? (expected as Lang) : 'en';
    const context = await browser.newContext({ baseURL: e2eEnv().baseUrl, locale, viewport: { width: 360, height: 740 } });
    try {
      const page = await context.newPage();
      await page.goto(`/m/${e2eEnv().municipalityCode}`);
      await heading(page, texts(lang)('start.title'));
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
    } finally {
      await context.close();
    }
  });
});
