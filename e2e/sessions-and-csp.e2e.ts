import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { heading, signIn } from './support/flows.js';
import { texts } from './support/texts.js';

const noProblems = { pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] };

describe('the built app under its Content-Security-Policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in on two devices and signs out everywhere from one: the other is signed out too, with no CSP refusal', async () => {
    const t = texts('en');
    const resident = e2eEnv().residents[RESIDENTS.sessions]!;
    const laptop = await openPage(browser, { locale: 'en', width: 1280, height: 900 });
    const phone = await openPage(browser, { locale: 'en', width: 360, height: 740 });
    const shoot = screenshots('sign-out-everywhere');
    try {
      const page = await laptop.page.goto(`/m/${e2eEnv().municipalityCode}`);
      const csp = page?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-inline');

      await signIn(laptop.page, 'en', resident);
      await signIn(phone.page, 'en', resident);
      expect((await phone.page.request.get('/api/v1/me')).status()).toBe(200);

      const button = laptop.page.getByRole('button', { name: t('mine.signOutEverywhere') });
      await button.scrollIntoViewIfNeeded();
      await shoot(laptop.page, 'mine');
      await button.click();
      await heading(laptop.page, t('signIn.voucherTitle'));
      await shoot(laptop.page, 'signed-out');

      // The phone's cookie is still there, but it no longer opens anything.
      expect((await phone.page.request.get('/api/v1/me')).status()).toBe(401);
      await phone.page.reload();
      await heading(phone.page, t('signIn.voucherTitle'));
      await shoot(phone.page, 'other-device-signed-out');

      expect(laptop.problems()).toEqual(noProblems);
      expect(phone.problems()).toEqual(noProblems);
    } finally {
      await laptop.close();
      await phone.close();
    }
  });

  it('signs out only when the server ended the session: a failed logout says so and stays signed in', async () => {
    const t = texts('ja');
    const resident = e2eEnv().residents[RESIDENTS.sessions]!;
    const watched = await openPage(browser, { locale: 'ja', width: 360, height: 740 });
    const { page } = watched;
    try {
      await signIn(page, 'ja', resident);
      await page.route('**/api/v1/auth/logout', (route) => route.abort('connectionrefused'));
      const signOut = page.getByRole('button', { name: t('site.signOut'), exact: true });
      await signOut.click();
      await page
        .getByRole('alert')
        .filter({ hasText: t('errors.network') })
        .waitFor();
      await heading(page, t('mine.title'));
      expect((await page.request.get('/api/v1/me')).status()).toBe(200);
      await screenshots('sign-out-failed')(page, 'still-signed-in');

      await page.unroute('**/api/v1/auth/logout');
      await signOut.click();
      await heading(page, t('signIn.voucherTitle'));
      // The cookie the browser may still hold opens nothing any more.
      expect((await page.request.get('/api/v1/me')).status()).toBe(401);
      // The aborted request is the one console error expected here.
      expect({ ...watched.problems(), consoleErrors: [] }).toEqual(noProblems);
    } finally {
      await watched.close();
    }
  });

  it('shows the API documentation (Swagger UI) under its own policy', async () => {
    const watched = await openPage(browser, { locale: 'en', width: 1280, height: 900 });
    try {
      const answer = await watched.page.goto('/api/docs');
      expect(answer?.status()).toBe(200);
      await watched.page.locator('.swagger-ui .info .title', { hasText: 'Yoyaku API' }).waitFor();
      await watched.page.locator('.opblock').first().waitFor();
      expect(await watched.page.locator('.opblock').count()).toBeGreaterThan(10);
      await screenshots('api-docs')(watched.page, 'swagger-ui');
      expect(watched.problems()).toEqual(noProblems);
    } finally {
      await watched.close();
    }
  });
});
