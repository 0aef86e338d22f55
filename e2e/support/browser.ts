import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { e2eEnv } from './env.js';

import { localeOf, type LanguageCode } from '../../shared/i18n/languages.js';

export type Lang = LanguageCode;

/**
 * The browser locale a visitor of each language typically has. No browser asks for やさしい日本語:
 * its reader has a Japanese browser and chose it in the menu (remembered, as the app does).
 */
function browserLocale(lang: Lang): string {
  return localeOf(lang);
}

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface PageOptions {
  /** The browser's own language (the app follows it until the visitor picks one). */
  locale: Lang;
  width: number;
  height: number;
  deviceScaleFactor?: number;
}

export interface WatchedPage {
  page: Page;
  /**
   * Uncaught exceptions, console errors other than failed loads, requests that left 127.0.0.1,
   * and whatever the Content-Security-Policy refused.
   */
  problems(): { pageErrors: string[]; consoleErrors: string[]; foreignRequests: string[]; cspViolations: string[] };
  close(): Promise<void>;
}

/**
 * A phone whose browser text size is set in its profile, as a person sets it once in Chrome's or
 * Android's settings: Chromium's default font size (16 px) becomes `fontSize`. A profile setting,
 * unlike DevTools' Page.setFontSizes, holds across every navigation and renderer process.
 */
export async function openLargeTextPhone(options: PageOptions & { fontSize: number }): Promise<{ page: Page; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-large-text-'));
  fs.mkdirSync(path.join(profile, 'Default'));
  const webprefs = { default_font_size: options.fontSize, default_fixed_font_size: Math.round(options.fontSize * 0.8125) };
  fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ webkit: { webprefs } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL: e2eEnv().baseUrl,
    viewport: { width: options.width, height: options.height },
    isMobile: true,
    hasTouch: true,
    locale: browserLocale(options.locale),
    timezoneId: 'Asia/Tokyo',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh context (cold cache, no cookies, no storage) and page: a phone below 600 px wide. */
export async function openPage(browser: Browser, options: PageOptions): Promise<WatchedPage> {
  const { baseUrl } = e2eEnv();
  const mobile = options.width < 600;
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width, height: options.height },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    isMobile: mobile,
    hasTouch: mobile,
    locale: browserLocale(options.locale),
    timezoneId: 'Asia/Tokyo',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(10_000);
  if (options.locale === 'ja-x-easy') {
    await context.addInitScript(() => {
      if (!localStorage.getItem('yoyaku.lang')) localStorage.setItem('yoyaku.lang', 'ja-x-easy');
    });
  }
  const cspViolations = await watchCspViolations(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    // A refused API call (401 before sign-in, an aborted route) is logged by Chromium itself.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !/^(data|blob):/.test(url)) foreignRequests.push(url);
  });
  return {
    page,
    problems: () => ({ pageErrors, consoleErrors, foreignRequests, cspViolations }),
    close: () => context.close(),
  };
}

/**
 * Every `securitypolicyviolation` event in the context's pages, as "directive blocked-URI at
 * page". Reported through a binding, so it survives navigations and runs before any page script.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__yoyakuCspViolation', (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __yoyakuCspViolation: (text: string) => void }).__yoyakuCspViolation;
      void report(`${event.effectiveDirective} ${event.blockedURI || '(inline)'} at ${event.documentURI}`);
    });
  });
  return violations;
}

/** Full-page screenshots of each step, numbered, into e2e/screenshots/{name}/ (emptied first). */
export function screenshots(name: string) {
  const dir = path.resolve('e2e/screenshots', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    if (process.env.E2E_SCREENSHOTS === 'off') return;
    n += 1;
    await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${step}.png`), fullPage: true, animations: 'disabled' });
  };
}
