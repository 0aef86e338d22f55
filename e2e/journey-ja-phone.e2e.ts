import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { journey } from './support/journey.js';

/** The whole journey in Japanese on a phone (screenshots in e2e/screenshots/ja-360). */
describe('resident journey in Japanese, 360×740', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sign-in → book → change → cancel → add a family member → book for them', () => journey(browser, 'ja', 360));
});
