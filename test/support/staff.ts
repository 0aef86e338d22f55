import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import { expect } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createAuditLog } from '../../server/modules/audit/index.js';
import { createAdminAccounts } from '../../server/modules/staff/index.js';
import { systemClock, type Clock } from '../../server/platform/clock.js';
import type { TestServer } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STEP_MS = 30_000;

/** A staff member as a test knows them: what they typed at enrolment, and the authenticator's secret. */
export interface StaffUser {
  accountId: number;
  email: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
  /** The last TOTP time step the server accepted: it takes each one once. */
  lastStep: number;
}

/** A signed-in staff session: the cookie and the CSRF token, sent with every call. */
export interface StaffSession {
  cookie: string;
  csrfToken: string;
}

export interface StaffAnswer {
  status: number;
  body: any;
  headers: Headers;
  text: string;
  /** On a 5xx answer: the server's last error lines. */
  serverLog?: string[];
}

/** A password zxcvbn rates well, different for everyone. */
export function strongPassword(): string {
  return `lantern ${randomUUID().slice(0, 8)} orchard violet`;
}

export function uniqueEmail(label = 'staff'): string {
  return `${label}.${randomUUID().slice(0, 12)}@example.org`;
}

/** The token of a one-time link: what follows '#'. */
export function tokenOf(url: string): string {
  return url.slice(url.indexOf('#') + 1);
}

/** The code an authenticator app shows for `secret` in the time step of `atMs`. */
export function totpAt(secret: string, atMs: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(atMs / 1000) });
}

/**
 * A code the server will take now: the first time step after the last one used, the current one or
 * the next (the server allows one step of clock drift); waits for the next step when both are used
 * (a real clock), so a test can sign the same person in again and again.
 */
export async function nextCode(user: StaffUser, clock: Clock = systemClock): Promise<string> {
  for (;;) {
    const current = Math.floor(clock.now().getTime() / STEP_MS);
    // Not the step before: the server reads its clock a moment later, maybe already in the next step.
    const step = [current, current + 1].find((s) => s > user.lastStep);
    if (step !== undefined) {
      user.lastStep = step;
      return totpAt(user.secret, step * STEP_MS);
    }
    if (clock !== systemClock) throw new Error('every usable TOTP step was used: advance the test clock by 30 s');
    await new Promise((resolve) => setTimeout(resolve, STEP_MS - (Date.now() % STEP_MS) + 50));
  }
}

/** Calls a staff route with the session's cookie and CSRF token (or none). */
export async function staffCall(
  server: Pick<TestServer, 'url'> & Partial<Pick<TestServer, 'app' | 'errorLog'>>,
  method: string,
  urlPath: string,
  options: { session?: StaffSession; body?: unknown; headers?: Record<string, string> } = {},
): Promise<StaffAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.session) {
    headers.cookie = options.session.cookie;
    headers['x-csrf-token'] ??= options.session.csrfToken;
  }
  const response = await fetch(server.url + urlPath, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : undefined;
  // As server.request: a staff change's messages (a closed slot's notices) are read once written.
  await server.app?.notifications.settled();
  const serverLog = response.status >= 500 ? server.errorLog?.() : undefined;
  return { status: response.status, body: json, headers: response.headers, text, ...(serverLog ? { serverLog } : {}) };
}

/** The staff session cookie a response set. */
export function sessionOf(answer: StaffAnswer): StaffSession {
  const line = answer.headers.getSetCookie().find((c) => c.startsWith('yoyaku_staff='));
  if (!line) throw new Error(`no staff cookie in ${answer.status} ${answer.text.slice(0, 200)}`);
  return { cookie: line.split(';')[0]!, csrfToken: answer.body.csrfToken };
}

/** Opens an enrolment link and completes it through HTTP, as the page would; the code is computed from the secret shown. */
export async function enrolThrough(
  server: Pick<TestServer, 'url'>,
  linkUrl: string,
  options: { password?: string; clock?: Clock } = {},
): Promise<{ user: StaffUser; session: StaffSession; opened: any }> {
  const token = tokenOf(linkUrl);
  const opened = await staffCall(server, 'POST', '/api/v1/staff/links/open', { body: { token } });
  expect(opened.status, opened.text).toBe(200);
  const secret = opened.body.totp.secret as string;
  const password = options.password ?? strongPassword();
  const user: StaffUser = { accountId: 0, email: opened.body.email, password, secret, recoveryCodes: [], lastStep: 0 };
  const enrolled = await staffCall(server, 'POST', '/api/v1/staff/enrolment', {
    body: { token, password, code: await nextCode(user, options.clock) },
  });
  expect(enrolled.status, enrolled.text).toBe(201);
  user.accountId = enrolled.body.account.id;
  user.recoveryCodes = enrolled.body.recoveryCodes;
  return { user, session: sessionOf(enrolled), opened: opened.body };
}

export async function signInStaff(
  server: Pick<TestServer, 'url'>,
  user: StaffUser,
  options: { clock?: Clock; code?: string; headers?: Record<string, string> } = {},
): Promise<StaffSession> {
  const code = options.code ?? (await nextCode(user, options.clock));
  const answer = await staffCall(server, 'POST', '/api/v1/staff/sign-in', {
    body: { email: user.email, password: user.password, code },
    headers: options.headers,
  });
  expect(answer.status, answer.text).toBe(200);
  return sessionOf(answer);
}

/**
 * The people a staff test needs, made through the real routes: a super-administrator (created by
 * create-admin's use case, enrolled over HTTP), who invites members into municipalities with roles,
 * each of whom enrols over HTTP.
 */
export async function staffTeam(server: Pick<TestServer, 'url'>, db: Db, options: { clock?: Clock } = {}) {
  const clock = options.clock ?? systemClock;
  const accounts = createAdminAccounts({ db, clock, publicUrl: server.url, audit: createAuditLog(db) });
  const created = await accounts.createAdmin(uniqueEmail('root'));
  const root = await enrolThrough(server, created.link.url, { clock });

  async function member(municipalityCode: string, roles: string[], label = roles.join('-') || 'member') {
    const invited = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${municipalityCode}/accounts`, {
      session: root.session,
      body: { email: uniqueEmail(label), displayName: `Test ${label}`, roles },
    });
    expect(invited.status, invited.text).toBe(201);
    return enrolThrough(server, invited.body.link.url, { clock });
  }

  return { root, member };
}

/** Runs `npm run create-admin` as a person would (tsx, the server's config from the environment). */
export async function runCreateAdmin(email: string, env: Record<string, string | undefined>) {
  const run = promisify(execFile);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', '--email', email], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', ...env },
    });
    return { code: 0, stdout, stderr, link: /(https?:\/\/\S+\/admin\/enrol#\S+)/.exec(stdout)?.[1] };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', link: undefined };
  }
}
