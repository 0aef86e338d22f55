import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { horizontalOverflow, pageChecker } from './support/checks.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { bookFrom, bookThroughApi, fillBirthDate, heading, signIn } from './support/flows.js';
import { shownNumber, texts } from './support/texts.js';

/**
 * What the journeys' own checks do not cover: reflow at 200 % and 400 % zoom, and axe and tap
 * targets on the pages the journey does not pass (look-up, errors, not found).
 */
describe('accessibility', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reflows at 200 % (1280 px at 2×) and 400 % (320 px) zoom: no sideways scrolling on any page', async () => {
    const { residents } = e2eEnv();
    // 640 × 400 CSS px at a device scale of 2 is a 1280 × 800 screen zoomed to 200 %.
    const watched = await openPage(browser, { locale: 'en', width: 640, height: 400, deviceScaleFactor: 2 });
    const { page } = watched;
    const shoot = screenshots('zoom-200');
    const overflows: string[] = [];
    const step = async (name: string) => {
      await shoot(page, name);
      const at200 = await horizontalOverflow(page);
      await page.setViewportSize({ width: 320, height: 200 });
      const at400 = await horizontalOverflow(page);
      await page.setViewportSize({ width: 640, height: 400 });
      if (at200 > 0) overflows.push(`${name}: ${at200}px sideways at 200 %`);
      if (at400 > 0) overflows.push(`${name}: ${at400}px sideways at 400 %`);
    };
    try {
      await signIn(page, 'en', residents[RESIDENTS.reflow]!, { step });
      const section = page.locator('.person').first();
      await bookFrom(page, 'en', section.locator('.next-dose .button'), { dayIndex: 3, time: '14:00', step });
      await page.getByRole('link', { name: texts('en')('done.toMine'), exact: true }).click();
      await heading(page, texts('en')('mine.title'));
      await step('mine-booked');
      await section.locator('a[href*="/cancel"]').click();
      await heading(page, texts('en')('cancel.title'));
      await step('cancel');
      expect(overflows).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  let lookupNumber: Promise<string> | undefined;
  for (const [lang, width] of [
    ['ja', 360],
    ['en', 1280],
  ] as const) {
    it(`${lang}, ${width} px: axe and tap targets on the pages outside the journey (look-up, errors, not found)`, async () => {
      const t = texts(lang);
      const { municipalityCode, residents, slotIds } = e2eEnv();
      lookupNumber ??= bookThroughApi(residents[RESIDENTS.lookup]!, slotIds.at(-1)!);
      const { page, close } = await openPage(browser, { locale: lang, width, height: 800 });
      const { check, problems } = pageChecker(page, lang);
      try {
        await page.goto(`/m/${municipalityCode}/lookup`);
        await heading(page, t('lookup.title'));
        await check('lookup');
        await page.click('form button[type=submit]');
        await page.locator('.error-summary').waitFor();
        await check('lookup-errors');
        // A booking made elsewhere, found with its number and the birth date, without signing in.
        const resident = residents[RESIDENTS.lookup]!;
        const number = await lookupNumber;
        await page.fill('#number', shownNumber(number));
        await fillBirthDate(page, 'birth', resident.birthDate, 'western');
        await page.click('form button[type=submit]');
        await page.getByRole('heading', { level: 2, name: t('lookup.resultTitle') }).waitFor();
        expect(await page.locator('section .facts').textContent()).toContain(shownNumber(number));
        await check('lookup-found');
        await page.goto(`/m/${municipalityCode}/sign-in`);
        await heading(page, t('signIn.voucherTitle'));
        await page.click('summary');
        await page.click('form button[type=submit]');
        await page.locator('.error-summary').waitFor();
        await check('sign-in-errors');
        await page.goto(`/m/${municipalityCode}/no-such-page`);
        await heading(page, t('start.notFoundTitle'));
        await check('not-found');
        await page.goto('/');
        await heading(page, t('start.noMunicipalityTitle'));
        await check('no-municipality');
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
  // Chinese and Portuguese have no journey of their own: their longer or denser texts must still
  // fit a 360 px phone, keep 44 px targets and pass axe on the pages a newcomer sees first.
  for (const lang of ['zh-Hans', 'pt-BR'] as const) {
    it(`${lang}, 360 px: start, sign-in with its errors, and look-up follow the browser's language and fit`, async () => {
      const t = texts(lang);
      const { municipalityCode } = e2eEnv();
      const { page, close } = await openPage(browser, { locale: lang, width: 360, height: 740 });
      const { check, problems } = pageChecker(page, lang, { shoot: screenshots(`${lang}-360`), reflow: true });
      try {
        await page.goto(`/m/${municipalityCode}`);
        await heading(page, t('start.title'));
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await check('start');
        await page.goto(`/m/${municipalityCode}/sign-in`);
        await heading(page, t('signIn.voucherTitle'));
        await check('sign-in');
        await page.click('form button[type=submit]');
        await page.locator('.error-summary').waitFor();
        expect(await page.locator('.error-summary').textContent()).toContain(t('errors.summaryTitle'));
        await check('sign-in-errors');
        await page.goto(`/m/${municipalityCode}/lookup`);
        await heading(page, t('lookup.title'));
        await check('lookup');
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }
});
