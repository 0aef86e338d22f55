import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { staffJourneys } from './support/staff-journey.js';

/** The staff app's two first journeys in Japanese (screenshots in e2e/screenshots/staff-ja-*). */
describe('staff journeys in Japanese', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('super-administrator and administrator at 1280 px', () => staffJourneys(browser, 'ja', 1280));
  it('super-administrator and administrator at 360 px', () => staffJourneys(browser, 'ja', 360));
});
