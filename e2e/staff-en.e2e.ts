import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { staffJourneys } from './support/staff-journey.js';

/** The staff app's two first journeys in English (screenshots in e2e/screenshots/staff-en-*). */
describe('staff journeys in English', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('super-administrator and administrator at 1280 px', () => staffJourneys(browser, 'en', 1280));
  it('super-administrator and administrator at 360 px', () => staffJourneys(browser, 'en', 360));
});
