import fs from 'node:fs';
import path from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { municipalityCheckDigit } from '../../server/modules/municipalities/index.js';
import { nextCode, type StaffUser } from '../../test/support/staff.js';
import { openPage, screenshots, type Lang } from './browser.js';
import { pageChecker } from './checks.js';
import { dbRows, e2eEnv, STAFF_LINKS } from './env.js';

type Tree = { [key: string]: string | Tree };

/** The staff app's text for a key, from its own resources (web/admin/src/i18n), so tests never copy wording. */
export function staffTexts(lang: 'ja' | 'en') {
  const tree = JSON.parse(fs.readFileSync(path.resolve(`web/admin/src/i18n/${lang}.json`), 'utf8')) as Tree;
  return (key: string, vars: Record<string, string | number> = {}): string => {
    let value: string | Tree | undefined = tree;
    for (const part of key.split('.')) value = typeof value === 'object' ? value[part] : undefined;
    if (typeof value !== 'string') throw new Error(`no ${lang} staff text for ${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? `{{${name}}}`));
  };
}

/** A municipality code nobody has yet, with its check digit right (and one with it wrong). */
async function freshCode(): Promise<{ code: string; wrong: string }> {
  for (;;) {
    const firstFive = String(randomInt(10_000, 99_999));
    const code = `${firstFive}${municipalityCheckDigit(firstFive)}`;
    if ((await dbRows('select code from municipalities where code = $1', [code])).length === 0) {
      return { code, wrong: `${firstFive}${(municipalityCheckDigit(firstFive) + 1) % 10}` };
    }
  }
}

const password = () => `harbour ${randomUUID().slice(0, 6)} lantern meadow`;

/**
 * Opens a one-time enrolment link and goes through it as a person would: a password, the QR
 * page (the code computed from the secret the page shows, with otplib), the recovery codes.
 */
export async function enrol(page: Page, url: string, check: (step: string) => Promise<void>, prefix: string): Promise<StaffUser> {
  const user: StaffUser = { accountId: 0, email: '', password: password(), secret: '', recoveryCodes: [], lastStep: 0 };
  await page.goto(url.replace(/^https?:\/\/[^/]+/, ''));
  await page.locator('#f-password').waitFor();
  // The token is out of the address bar once read.
  expect(new URL(page.url()).hash).toBe('');
  await check(`${prefix}-enrol-password`);
  await page.fill('#f-password', 'short');
  await page.click('button[type=submit]');
  await page.locator('.error-summary').waitFor();
  await check(`${prefix}-enrol-password-error`);
  await page.fill('#f-password', user.password);
  await page.fill('#f-confirm', user.password);
  await page.click('button[type=submit]');
  const secret = page.getByTestId('totp-secret');
  await secret.waitFor();
  await expect
    .poll(() => page.locator('img.qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBeGreaterThan(0);
  await check(`${prefix}-enrol-authenticator`);
  user.secret = (await secret.innerText()).replace(/\s/g, '');
  await page.fill('#f-code', await nextCode(user));
  await page.click('button[type=submit]');
  const codes = page.locator('.recovery-codes li');
  await codes.first().waitFor();
  expect(await codes.count()).toBe(10);
  user.recoveryCodes = (await codes.allInnerTexts()).map((c) => c.trim());
  await check(`${prefix}-enrol-recovery-codes`);
  await page.locator('main button.button').click();
  return user;
}

/**
 * The super-administrator's first day (create-admin's link → enrol → a municipality → its
 * administrator invited) and that administrator's (enrol → staff with roles → a setting changed →
 * the audit rows found and exported), in one language at one width, every page axe-checked.
 */
export async function staffJourneys(browser: Browser, lang: 'ja' | 'en', width: 360 | 1280): Promise<void> {
  const t = staffTexts(lang);
  const label = `${lang}-${width}`;
  const shoot = screenshots(`staff-${label}`);
  const height = width < 600 ? 740 : 900;
  const root = await openPage(browser, { locale: lang as Lang, width, height });
  const checker = pageChecker(root.page, `staff ${label}`, { shoot, reflow: true });
  const check = (step: string) => checker.check(step);
  const { code, wrong } = await freshCode();
  let adminLink: string | undefined;
  try {
    const page = root.page;
    await enrol(page, e2eEnv().staffLinks[STAFF_LINKS[label as keyof typeof STAFF_LINKS]]!, check, 'root');
    await page.locator('h1', { hasText: t('home.title') }).waitFor();
    await check('root-home');

    await page
      .getByRole('link', { name: t('nav.municipalities') })
      .first()
      .click();
    await page.getByRole('link', { name: t('municipalities.add') }).click();
    await page.locator('#f-code').waitFor();
    await page.fill('#f-code', wrong);
    await page.fill('#f-nameJa', `テスト${code}町`);
    await page.fill('#f-nameEn', `Test ${code}`);
    await page.fill('#f-callCentrePhone', '0120-123-456');
    await page.click('button[type=submit]');
    // The server's own message for a wrong check digit, beside the field and in the summary.
    const fieldText = JSON.parse(fs.readFileSync(path.resolve(`shared/i18n/fields/${lang}.json`), 'utf8')) as Record<string, string>;
    await page.locator('.error-summary', { hasText: fieldText.checkDigit! }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await check('root-municipality-error');
    await page.fill('#f-code', code);
    await page.click('button[type=submit]');
    await page.locator('h1', { hasText: lang === 'ja' ? `テスト${code}町` : `Test ${code}` }).waitFor();
    await check('root-municipality-overview');

    await page
      .getByRole('link', { name: t('nav.accounts') })
      .first()
      .click();
    await page.getByRole('link', { name: t('accounts.invite') }).click();
    await page.locator('#f-email').waitFor();
    await page.fill('#f-email', `admin.${code}@example.org`);
    await page.fill('#f-displayName', lang === 'ja' ? '管理 花子' : 'Hana Admin');
    await page.selectOption('#f-language', lang);
    await page.check('#role-administrator');
    await check('root-invite');
    await page.click('button[type=submit]');
    adminLink = await page.getByTestId('one-time-link').innerText();
    expect(adminLink).toMatch(/\/admin\/enrol#[A-Za-z0-9_-]{20,}$/);
    await check('root-invited');
    expect(root.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
  } finally {
    await root.close();
  }

  const admin = await openPage(browser, { locale: lang as Lang, width, height });
  const adminChecker = pageChecker(admin.page, `staff ${label}`, { shoot, reflow: true });
  const adminCheck = (step: string) => adminChecker.check(step);
  try {
    const page = admin.page;
    // The same enrolment pages as the super-administrator's, already checked: screenshots only.
    const user = await enrol(page, adminLink!, (step) => shoot(page, step), 'admin');
    // One municipality: straight into it.
    await page.waitForURL(`**/admin/m/${code}`);
    await page.locator('.context-name', { hasText: code }).waitFor();
    await adminCheck('admin-overview');

    await page
      .getByRole('link', { name: t('nav.accounts') })
      .first()
      .click();
    await page.getByRole('link', { name: t('accounts.invite') }).click();
    await page.locator('#f-email').waitFor();
    await page.click('button[type=submit]');
    await page.locator('.error-summary').waitFor();
    await adminCheck('admin-invite-errors');
    await page.fill('#f-email', `staff.${code}@example.org`);
    await page.fill('#f-displayName', lang === 'ja' ? '職員 太郎' : 'Taro Staff');
    await page.check('#role-staff');
    await page.check('#role-operator');
    await page.click('button[type=submit]');
    await page.getByTestId('one-time-link').waitFor();
    await page.getByRole('link', { name: t('accounts.backToList') }).click();
    await page.locator('table', { hasText: `staff.${code}@example.org` }).waitFor();
    await adminCheck('admin-accounts');

    // Disabling asks first, and "keep" changes nothing; the second press disables the account.
    const staffName = lang === 'ja' ? '職員 太郎' : 'Taro Staff';
    await page.getByRole('link', { name: staffName }).click();
    await page.getByRole('button', { name: t('accounts.disable') }).click();
    const question = page.locator('.confirm p', { hasText: t('accounts.disableQuestion', { who: staffName }) });
    await question.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('P');
    await adminCheck('admin-disable-question');
    await page.getByRole('button', { name: t('accounts.keep') }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(t('accounts.disable'));
    const statusOf = async () =>
      (await dbRows<{ status: string }>('select status from staff_accounts where email = $1', [`staff.${code}@example.org`]))[0]?.status;
    expect(await statusOf()).toBe('invited');
    await page.getByRole('button', { name: t('accounts.disable') }).click();
    await page.getByRole('button', { name: t('accounts.disableConfirm') }).click();
    await page.locator('.notice-success', { hasText: t('accounts.disabled') }).waitFor();
    expect(await statusOf()).toBe('disabled');
    await adminCheck('admin-disabled');
    await page.getByRole('link', { name: t('accounts.backToList') }).click();

    await page
      .getByRole('link', { name: t('nav.settings') })
      .first()
      .click();
    await page.locator('#f-holdMinutes').waitFor();
    await page.fill('#f-holdMinutes', '99');
    await page.click('form button[type=submit]');
    await page.locator('.error-summary', { hasText: t('settings.fields.holdMinutes.label') }).waitFor();
    await expect.poll(() => page.locator('#f-holdMinutes').getAttribute('aria-invalid')).toBe('true');
    await adminCheck('admin-settings-error');
    await page.fill('#f-holdMinutes', '15');
    await page.click('form button[type=submit]');
    await page.locator('.notice-success', { hasText: t('settings.saved') }).waitFor();
    const [row] = await dbRows<{ settings: { holdMinutes?: number } }>('select settings from municipalities where code = $1', [code]);
    expect(row?.settings.holdMinutes).toBe(15);
    await adminCheck('admin-settings-saved');

    await page
      .getByRole('link', { name: t('nav.audit') })
      .first()
      .click();
    await page.selectOption('#f-action', 'settings.update');
    await page.click('form button[type=submit]');
    await page.locator('table td code', { hasText: 'settings.update' }).first().waitFor();
    await adminCheck('admin-audit');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t('audit.export') }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^\uFEFF?id,at,actor_kind/);
    expect(csv).toContain('settings.update');
    // The export is itself in the log.
    await page.selectOption('#f-action', 'audit.export');
    await page.click('form button[type=submit]');
    await page.locator('table td code', { hasText: 'audit.export' }).first().waitFor();

    // Signed out, then in again with a recovery code instead of the authenticator.
    await page.getByRole('button', { name: t('site.signOut') }).click();
    await page.locator('#email').waitFor();
    await page.fill('#email', `admin.${code}@example.org`);
    await page.fill('#password', user.password);
    await page.fill('#code', '000000');
    await page.click('button[type=submit]');
    await page.locator('.error-summary', { hasText: t('staffProblems.staff-sign-in-failed') }).waitFor();
    await adminCheck('admin-sign-in-failed');
    await page.fill('#code', user.recoveryCodes[0]!);
    await page.click('button[type=submit]');
    await page.waitForURL(`**/admin/m/${code}`);
    expect(admin.problems()).toEqual({ pageErrors: [], consoleErrors: [], foreignRequests: [], cspViolations: [] });
  } finally {
    await admin.close();
  }
  expect([...checker.problems, ...adminChecker.problems]).toEqual([]);
}
