import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCode, type StaffUser } from '../test/support/staff.js';
import { launchBrowser, openPage, screenshots } from './support/browser.js';
import { focused, horizontalOverflow, pageChecker } from './support/checks.js';
import { e2eEnv, STAFF_LINKS } from './support/env.js';
import { staffTexts } from './support/staff-journey.js';

/**
 * The staff app with the keyboard alone at 200 % zoom (640 × 400 CSS px at a device scale of 2):
 * enrolment from create-admin's link, the municipality switcher, every focus visible, nothing
 * scrolling sideways; then a session that ends elsewhere sends the page back to sign in, saying so.
 */
describe('staff app: keyboard, zoom and an ended session', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function tabTo(page: Page, selector: string, max = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      const now = await focused(page);
      // Past the last control focus leaves the page (the browser's own bar), then comes back to the top.
      if (now) expect(now.visible, `focus indicator on ${now.label}`).toBe(true);
      if ((await page.locator(`${selector}:focus`).count()) > 0) return;
    }
    throw new Error(`${selector} not reached with ${max} presses of ${key}`);
  }

  it('enrols and moves around with the keyboard alone at 200 %, says when the session has ended, and resets the password', async () => {
    const t = staffTexts('en');
    const watched = await openPage(browser, { locale: 'en', width: 640, height: 400, deviceScaleFactor: 2 });
    const { page } = watched;
    const shoot = screenshots('staff-zoom-200');
    const checker = pageChecker(page, 'staff 200%', { shoot, reflow: true });
    const user: StaffUser = {
      accountId: 0,
      email: '',
      password: 'quiet harbour lantern meadow 42',
      secret: '',
      recoveryCodes: [],
      lastStep: 0,
    };
    try {
      await page.goto(e2eEnv().staffLinks[STAFF_LINKS.zoom]!.replace(/^https?:\/\/[^/]+/, ''));
      await page.locator('#f-password').waitFor();
      await checker.check('enrol-password');
      await tabTo(page, '#f-password');
      await page.keyboard.type(user.password);
      await tabTo(page, '#f-confirm');
      await page.keyboard.type(user.password);
      await page.keyboard.press('Enter');
      const secret = page.getByTestId('totp-secret');
      await secret.waitFor();
      await checker.check('enrol-authenticator');
      user.secret = (await secret.innerText()).replace(/\s/g, '');
      await tabTo(page, '#f-code');
      await page.keyboard.type(await nextCode(user));
      await page.keyboard.press('Enter');
      await page.locator('.recovery-codes').waitFor();
      user.recoveryCodes = (await page.locator('.recovery-codes li').allInnerTexts()).map((code) => code.trim());
      await checker.check('enrol-codes');
      await tabTo(page, 'main button.button');
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('home.title') }).waitFor();
      await checker.check('home');
      await tabTo(page, `main a[href="/admin/municipalities"]`, 40);
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('municipalities.title') }).waitFor();
      await checker.check('municipalities');
      expect(await horizontalOverflow(page)).toBe(0);
      // The deployment's other pages: the waiting room's operators and the failed jobs.
      // Back from the page's heading into the section navigation above it.
      await tabTo(page, `a[href="/admin/waiting-room"]`, 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('room.titleAll') }).waitFor();
      await page.locator('#room-title').waitFor();
      await checker.check('waiting-room');
      // Back from the page's heading into the section navigation above it.
      await tabTo(page, `a[href="/admin/jobs"]`, 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('jobs.title') }).waitFor();
      await page.locator('main p', { hasText: t('jobs.intro') }).waitFor();
      await checker.check('failed-jobs');
      // Back from the page's heading into the section navigation above it.
      await tabTo(page, `a[href="/admin/accounts"]`, 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('allAccounts.title') }).waitFor();
      await page.locator('table td', { hasText: t('allAccounts.you') }).waitFor();
      await checker.check('all-accounts');
      // Disabling someone else's account asks first, by keyboard too; "keep" puts focus back.
      await tabTo(page, '.row-actions button.button-warning', 60);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.confirm') !== null)).toBe(true);
      await checker.check('all-accounts-disable-question');
      await tabTo(page, '.confirm button.button-secondary', 5);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.matches('.row-actions button.button-warning'))).toBe(true);
      expect(await page.locator('.confirm').count()).toBe(0);

      // Signed out from elsewhere (another tab, or sign out everywhere): the next call gets 401.
      const me = (await (await page.request.get('/api/v1/staff/me')).json()) as { csrfToken: string; account: { id: number } };
      const reset = await page.request.post(`/api/v1/staff/accounts/${me.account.id}/links`, {
        headers: { 'x-csrf-token': me.csrfToken },
        data: { purpose: 'password-reset' },
      });
      expect(reset.status()).toBe(201);
      const resetUrl = ((await reset.json()) as { url: string }).url;
      const out = await page.request.post('/api/v1/staff/sign-out-everywhere', { headers: { 'x-csrf-token': me.csrfToken } });
      expect(out.status()).toBe(204);
      // Back from the page's heading into the section navigation above it.
      await tabTo(page, `a[href="/admin/municipalities"]`, 40, 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('.notice', { hasText: t('signIn.ended') }).waitFor();
      await page.locator('h1', { hasText: t('signIn.title') }).waitFor();
      await checker.check('session-ended');

      // A password reset link: a new password, proved with a recovery code instead of the app.
      await page.goto(resetUrl.replace(/^https?:\/\/[^/]+/, ''));
      await page.locator('h1', { hasText: t('reset.title') }).waitFor();
      await checker.check('reset-password');
      const newPassword = 'amber river kettle window 7';
      await page.fill('#f-password', newPassword);
      await page.fill('#f-confirm', newPassword);
      await page.fill('#f-code', '123456');
      await page.keyboard.press('Enter');
      await page.locator('.error-summary').waitFor();
      await checker.check('reset-password-refused');
      await page.fill('#f-password', newPassword);
      await page.fill('#f-confirm', newPassword);
      await page.fill('#f-code', user.recoveryCodes[0]!);
      await page.keyboard.press('Enter');
      await page.locator('h1', { hasText: t('home.title') }).waitFor();
      await checker.check('reset-signed-in');
      expect(checker.problems).toEqual([]);
      expect(watched.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
    } finally {
      await watched.close();
    }
  });
});
