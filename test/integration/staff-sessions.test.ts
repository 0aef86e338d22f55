import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createFixedClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { nextCode, signInStaff, staffCall, staffTeam, totpAt, uniqueEmail, type StaffSession, type StaffUser } from '../support/staff.js';

/**
 * Staff sign-in and sessions: one generic refusal whichever factor was wrong; lock-out per account
 * and per address that a burst cannot get past; codes and recovery codes good once; sessions that
 * end after 30 idle minutes and 12 hours, at sign-out, sign-out everywhere and when the account is
 * disabled, on every server at once (the row is read on each request).
 */
let db: Db;
let town: TestMunicipality;
beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 1 });
});

async function auditCount(action: string, actorId: number | null, sinceId: number): Promise<number> {
  let query = db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .where('id', '>', sinceId);
  query = actorId === null ? query : query.where('actor_id', '=', String(actorId));
  return Number((await query.executeTakeFirstOrThrow()).n);
}

async function lastAuditId(): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

describe('sign-in', () => {
  let server: TestServer;
  let member: { user: StaffUser; session: StaffSession };
  let root: { user: StaffUser; session: StaffSession };

  beforeAll(async () => {
    server = await startTestServer(db, { env: { LIMIT_STAFF_SIGNIN_FAILURES_PER_IP: '100000' }, redisPrefix: 'staff-sign-in' });
    const team = await staffTeam(server, db);
    root = team.root;
    member = await team.member(town.code, ['staff']);
  });
  afterAll(() => server.close());

  it('answers a wrong password, a wrong code, an unknown address and a disabled account alike', async () => {
    // Someone of their own: the failures below count against their address's limit.
    const target = await (await staffTeam(server, db)).member(town.code, ['staff']);
    const disabled = await (await staffTeam(server, db)).member(town.code, ['viewer']);
    const off = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${disabled.user.accountId}/disable`, {
      session: root.session,
    });
    expect(off.status, off.text).toBe(200);
    const attempts = [
      { email: target.user.email, password: 'not the password at all', code: await totpAt(target.user.secret, Date.now()) },
      { email: target.user.email, password: target.user.password, code: '000000' },
      { email: target.user.email, password: target.user.password, code: 'ABCDE-FGHJK' },
      { email: uniqueEmail('nobody'), password: target.user.password, code: '123456' },
      { email: disabled.user.email, password: disabled.user.password, code: await nextCode(disabled.user) },
    ];
    const answers = [];
    for (const body of attempts) {
      const answer = await staffCall(server, 'POST', '/api/v1/staff/sign-in', { body, headers: { 'accept-language': 'en' } });
      answers.push({ status: answer.status, body: answer.body, cookie: answer.headers.getSetCookie() });
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.body).toMatchObject({ code: 'staff-sign-in-failed', title: expect.stringContaining('password and the code') });
    expect(answers[0]!.cookie).toEqual([]);
  });

  it('sets an HttpOnly, SameSite=Strict cookie scoped to /api/v1/staff, and takes each TOTP code once', async () => {
    const code = await nextCode(member.user);
    const body = { email: member.user.email.toUpperCase(), password: member.user.password, code };
    const first = await staffCall(server, 'POST', '/api/v1/staff/sign-in', { body });
    expect(first.status, first.text).toBe(200);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith('yoyaku_staff='))!;
    expect(cookie).toMatch(/; Path=\/api\/v1\/staff/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(first.body).toMatchObject({ idleTimeoutSeconds: 1800, account: { id: member.user.accountId } });
    const replay = await staffCall(server, 'POST', '/api/v1/staff/sign-in', { body });
    expect(replay.body.code).toBe('staff-sign-in-failed');
  });

  it('takes each recovery code once, and says how many are left', async () => {
    const [recovery] = member.user.recoveryCodes;
    const since = await lastAuditId();
    await signInStaff(server, member.user, { code: recovery!.toLowerCase().replace('-', ' ') });
    const again = await staffCall(server, 'POST', '/api/v1/staff/sign-in', {
      body: { email: member.user.email, password: member.user.password, code: recovery },
    });
    expect(again.body.code).toBe('staff-sign-in-failed');
    const entry = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'staff.sign-in')
      .where('actor_id', '=', String(member.user.accountId))
      .where('id', '>', since)
      .executeTakeFirstOrThrow();
    expect(entry.detail).toEqual({ factor: 'recovery-code', recoveryCodesLeft: 9 });
  });

  it('refuses a change without the CSRF header, and accepts it with it', async () => {
    const session = member.session;
    const without = await staffCall(server, 'PATCH', '/api/v1/staff/me', {
      session,
      body: { language: 'en' },
      headers: { 'x-csrf-token': '' },
    });
    expect(without).toMatchObject({ status: 403, body: { code: 'csrf-failed' } });
    const withIt = await staffCall(server, 'PATCH', '/api/v1/staff/me', { session, body: { language: 'en' } });
    expect(withIt.body).toMatchObject({ language: 'en' });
  });
});

describe('lock-out under a burst of 200 parallel attempts', () => {
  it('evaluates exactly the limit per account, then refuses even the right password', async () => {
    const server = await startTestServer(db, { env: { LIMIT_STAFF_SIGNIN_FAILURES_PER_IP: '100000' }, redisPrefix: 'staff-burst-account' });
    try {
      const { member } = await staffTeam(server, db);
      const target = await member(town.code, ['viewer']);
      const since = await lastAuditId();
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          staffCall(server, 'POST', '/api/v1/staff/sign-in', {
            body: { email: target.user.email, password: `wrong password number ${i}`, code: '123456' },
          }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(195);
      expect(answers.find((a) => a.status === 429)!.headers.get('retry-after')).toMatch(/^\d+$/);
      // Each attempt is in the audit log once: five evaluated and refused, 195 refused before any check.
      expect(await auditCount('staff.sign-in-failed', target.user.accountId, since)).toBe(5);
      expect(await auditCount('staff.sign-in-locked', target.user.accountId, since)).toBe(195);
      const right = await staffCall(server, 'POST', '/api/v1/staff/sign-in', {
        body: { email: target.user.email, password: target.user.password, code: await nextCode(target.user) },
      });
      expect(right.body.code).toBe('too-many-attempts');
    } finally {
      await server.close();
    }
  });

  it('evaluates exactly the limit per address, whatever accounts are named', async () => {
    const server = await startTestServer(db, { env: { LIMIT_STAFF_SIGNIN_FAILURES_PER_IP: '20' }, redisPrefix: 'staff-burst-ip' });
    try {
      const since = await lastAuditId();
      const answers = await Promise.all(
        Array.from({ length: 200 }, () =>
          staffCall(server, 'POST', '/api/v1/staff/sign-in', {
            body: { email: uniqueEmail('guess'), password: 'a guessed password', code: '123456' },
          }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(180);
      const failed = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'staff.sign-in-failed')
        .where('actor_kind', '=', 'anonymous')
        .where('id', '>', since)
        .executeTakeFirstOrThrow();
      // Other files may fail sign-ins meanwhile; this burst's 20 are among them, and no more than the limit were evaluated here.
      expect(Number(failed.n)).toBeGreaterThanOrEqual(20);
    } finally {
      await server.close();
    }
  });
});

describe('session lifetimes, on an injected clock', () => {
  const clock = createFixedClock('2026-12-01T00:00:00Z');
  let server: TestServer;
  let user: StaffUser;

  beforeAll(async () => {
    server = await startTestServer(db, { clock, redisPrefix: 'staff-clock' });
    const { member } = await staffTeam(server, db, { clock });
    user = (await member(town.code, ['viewer'])).user;
  });
  afterAll(() => server.close());

  async function freshSession(): Promise<StaffSession> {
    clock.advance(31_000);
    return signInStaff(server, user, { clock });
  }
  const me = (session: StaffSession) => staffCall(server, 'GET', '/api/v1/staff/me', { session });

  it('ends after 30 minutes without a request, and not before', async () => {
    const session = await freshSession();
    clock.advance(29 * 60_000);
    expect((await me(session)).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await me(session)).status).toBe(200);
    clock.advance(30 * 60_000 + 1_000);
    expect(await me(session)).toMatchObject({ status: 401, body: { code: 'not-signed-in' } });
  });

  it('ends 12 hours after sign-in however busy it is', async () => {
    const session = await freshSession();
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      clock.advance(20 * 60_000);
      expect((await me(session)).status, `after ${elapsed + 20} min`).toBe(200);
    }
    clock.advance(21 * 60_000);
    expect((await me(session)).status).toBe(401);
  });

  it('sign-out ends that session (a copy of the cookie too); sign-out everywhere ends all of them', async () => {
    const one = await freshSession();
    const two = await freshSession();
    const three = await freshSession();
    expect((await staffCall(server, 'POST', '/api/v1/staff/sign-out', { session: one })).status).toBe(204);
    expect((await me(one)).status).toBe(401);
    expect((await me(two)).status).toBe(200);
    const everywhere = await staffCall(server, 'POST', '/api/v1/staff/sign-out-everywhere', { session: two });
    expect(everywhere.status).toBe(204);
    expect(everywhere.headers.getSetCookie().join()).toMatch(/yoyaku_staff=;/);
    expect([(await me(two)).status, (await me(three)).status]).toEqual([401, 401]);
  });
});

describe('disabling an account ends its sessions at once, on every server', () => {
  it('refuses the disabled member on another server process from the next request', async () => {
    const a = await startTestServer(db, { redisPrefix: 'staff-disable-a' });
    const b = await startTestServer(db, { redisPrefix: 'staff-disable-b' });
    try {
      const team = await staffTeam(a, db);
      const member = await team.member(town.code, ['operator']);
      const onB = await signInStaff(b, member.user);
      expect((await staffCall(b, 'GET', '/api/v1/staff/me', { session: onB })).status).toBe(200);
      const disabled = await staffCall(a, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${member.user.accountId}/disable`, {
        session: team.root.session,
      });
      expect(disabled.body).toMatchObject({ status: 'disabled' });
      expect((await staffCall(b, 'GET', `/api/v1/staff/municipalities/${town.code}/waiting-room`, { session: onB })).body.code).toBe(
        'not-signed-in',
      );
      expect((await staffCall(a, 'GET', '/api/v1/staff/me', { session: member.session })).status).toBe(401);
      // Enabled again, the old sessions stay ended: they were revoked, not just paused.
      await staffCall(a, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${member.user.accountId}/enable`, {
        session: team.root.session,
      });
      expect((await staffCall(b, 'GET', '/api/v1/staff/me', { session: onB })).status).toBe(401);
      // A new sign-in works. With a recovery code: this half-minute's TOTP steps are used, and
      // waiting for the next one would only slow the test down.
      const again = await signInStaff(b, member.user, { code: member.user.recoveryCodes[0] });
      expect((await staffCall(b, 'GET', '/api/v1/staff/me', { session: again })).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
