import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createInProcessEventBus } from '../../server/platform/event-bus.js';
import { REVOCATION_SYNC_MS } from '../../server/platform/session-revocations.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';
import { serviceUrls } from '../support/target.js';

/** What a copied cookie is worth: the account it reads, or the problem it gets. */
async function me(server: TestServer, session: TestSession) {
  const answer = await server.request('GET', '/api/v1/me', { session });
  return answer.status === 200
    ? { status: 200, accountId: answer.body.account.id as number }
    : { status: answer.status, code: answer.body.code as string };
}

/** Milliseconds until `server` refuses `session`, polling; fails after `limitMs`. */
async function timeUntilRefused(server: TestServer, session: TestSession, limitMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await me(server, session);
    const elapsed = performance.now() - started;
    if (answer.status === 401) return elapsed;
    expect(answer.status).toBe(200);
    if (elapsed > limitMs) throw new Error(`still signed in after ${Math.round(elapsed)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const withoutCsrf = (session: TestSession): TestSession => ({ cookie: session.cookie, csrfToken: '' });

describe('logout', () => {
  let db: Db;
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 4, capacity: 20 });
    server = await startTestServer(db, { redisPrefix: 'sessions-logout' });
  });
  afterAll(() => server.close());

  it('ends the session for a cookie copied before it: /me and a booking are refused right after', async () => {
    const resident = town.residents[0]!;
    const session = await server.signIn(town.code, resident);
    const copy = { ...session };
    expect(await me(server, copy)).toEqual({ status: 200, accountId: resident.id });

    const logout = await server.request('POST', '/api/v1/auth/logout', { session });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/yoyaku_session=;/);

    expect(await me(server, copy)).toEqual({ status: 401, code: 'not-signed-in' });
    const booking = await server.request('POST', '/api/v1/reservations', { session: copy, body: { slotId: town.slotIds[0] } });
    expect(booking.status).toBe(401);
    expect(booking.body.code).toBe('not-signed-in');
    expect(await db.selectFrom('reservations').select('id').where('resident_id', '=', resident.id).execute()).toEqual([]);
    // A second logout with the copy has nothing left to end.
    expect((await server.request('POST', '/api/v1/auth/logout', { session: copy })).status).toBe(401);
  });

  it('is refused without the CSRF token (403 csrf-failed), and the session goes on working', async () => {
    const resident = town.residents[1]!;
    const session = await server.signIn(town.code, resident);
    for (const csrfToken of ['', 'not-the-token', session.csrfToken.slice(0, -1)]) {
      const refused = await server.request('POST', '/api/v1/auth/logout', { session: { cookie: session.cookie, csrfToken } });
      expect(refused.status).toBe(403);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body.code).toBe('csrf-failed');
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
    expect((await server.request('POST', '/api/v1/auth/logout-everywhere', { session: withoutCsrf(session) })).body.code).toBe(
      'csrf-failed',
    );
    expect(await me(server, session)).toEqual({ status: 200, accountId: resident.id });
    const booking = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booking.status).toBe(201);
  });

  it('is refused without a session', async () => {
    const answer = await server.request('POST', '/api/v1/auth/logout');
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('not-signed-in');
  });
});

describe('sign out everywhere', () => {
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 2 });
    server = await startTestServer(db, { redisPrefix: 'sessions-everywhere' });
  });
  afterAll(() => server.close());

  it("ends both sessions of an account opened by two sign-ins, and not another account's", async () => {
    const [resident, other] = [town.residents[0]!, town.residents[1]!];
    const phone = await server.signIn(town.code, resident);
    const laptop = await server.signIn(town.code, resident);
    const neighbour = await server.signIn(town.code, other);
    expect(phone.cookie).not.toBe(laptop.cookie);
    expect(await me(server, laptop)).toEqual({ status: 200, accountId: resident.id });

    const everywhere = await server.request('POST', '/api/v1/auth/logout-everywhere', { session: phone });
    expect(everywhere.status).toBe(204);
    expect(everywhere.headers.get('set-cookie')).toMatch(/yoyaku_session=;/);

    expect(await me(server, phone)).toEqual({ status: 401, code: 'not-signed-in' });
    expect(await me(server, laptop)).toEqual({ status: 401, code: 'not-signed-in' });
    expect((await server.request('POST', '/api/v1/reservations', { session: laptop, body: { slotId: town.slotIds[0] } })).status).toBe(401);
    expect(await me(server, neighbour)).toEqual({ status: 200, accountId: other.id });

    // Signing in again afterwards gives a session that works.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await server.signIn(town.code, resident);
    expect(await me(server, again)).toEqual({ status: 200, accountId: resident.id });
  });
});

describe('revocations outlive a restart', () => {
  it('refuses, after the server restarts, cookies ended before', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 2 });
    const first = await startTestServer(db, { redisPrefix: 'sessions-restart-1' });
    const loggedOut = await first.signIn(town.code, town.residents[0]!);
    const everywhere = await first.signIn(town.code, town.residents[1]!);
    const kept = await first.signIn(town.code, town.residents[0]!);
    expect((await first.request('POST', '/api/v1/auth/logout', { session: loggedOut })).status).toBe(204);
    expect((await first.request('POST', '/api/v1/auth/logout-everywhere', { session: everywhere })).status).toBe(204);
    await first.close();

    // A new server knows of them only from the table (its own bus, so nothing is heard live).
    const second = await startTestServer(db, { redisPrefix: 'sessions-restart-2', events: createInProcessEventBus() });
    try {
      expect(await me(second, loggedOut)).toEqual({ status: 401, code: 'not-signed-in' });
      expect(await me(second, everywhere)).toEqual({ status: 401, code: 'not-signed-in' });
      expect(await me(second, kept)).toEqual({ status: 200, accountId: town.residents[0]!.id });
    } finally {
      await second.close();
    }
  });
});

describe('revocations across server processes', () => {
  const { databaseUrl } = serviceUrls();

  it.runIf(databaseUrl)('a logout on one process is refused on another at once (PostgreSQL LISTEN/NOTIFY)', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3 });
    // Each listens on a PostgreSQL connection of its own, as two processes would.
    const a = await startTestServer(db, { redisPrefix: 'sessions-a' });
    const b = await startTestServer(db, { redisPrefix: 'sessions-b' });
    try {
      // Three rounds: B's periodic read (every 2 s) could land inside 500 ms once by chance, not three times.
      for (const resident of town.residents) {
        const session = await a.signIn(town.code, resident);
        expect(await me(b, session)).toEqual({ status: 200, accountId: resident.id });
        expect((await a.request('POST', '/api/v1/auth/logout', { session })).status).toBe(204);
        expect(await timeUntilRefused(b, session, 500)).toBeLessThan(500);
      }
      // And the other way round, for sign out everywhere.
      const onA = await a.signIn(town.code, town.residents[0]!);
      const onB = await b.signIn(town.code, town.residents[0]!);
      expect((await b.request('POST', '/api/v1/auth/logout-everywhere', { session: onB })).status).toBe(204);
      expect(await timeUntilRefused(a, onA, 500)).toBeLessThan(500);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a process that missed the notification still refuses the session within a few seconds', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 1 });
    const a = await startTestServer(db, { redisPrefix: 'sessions-loud' });
    // B hears nothing A publishes: only its periodic read of newer rows can tell it.
    const b = await startTestServer(db, { redisPrefix: 'sessions-deaf', events: createInProcessEventBus() });
    try {
      const session = await a.signIn(town.code, town.residents[0]!);
      expect(await me(b, session)).toEqual({ status: 200, accountId: town.residents[0]!.id });
      expect((await a.request('POST', '/api/v1/auth/logout', { session })).status).toBe(204);
      const bound = REVOCATION_SYNC_MS + 3_000; // headroom for a loaded machine
      expect(await timeUntilRefused(b, session, bound)).toBeLessThan(bound);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
