import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser } from './support/browser.js';
import { journey } from './support/journey.js';

/** The whole journey in English on a desktop (screenshots in e2e/screenshots/en-1280). */
describe('resident journey in English, 1280×800', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sign-in → book → change → cancel → add a family member → book for them', () => journey(browser, 'en', 1280));
});
