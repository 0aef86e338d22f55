import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { generateReservationNumber } from '../../server/modules/reservations/index.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestResponse, type TestServer, type TestSession } from '../support/server.js';
import { tenantState } from '../support/tenant-state.js';

/** Everything a caller can see of an answer, bar the moment it was sent. */
const visible = (answer: TestResponse) => ({
  status: answer.status,
  contentType: answer.contentType,
  retryAfter: answer.headers.get('retry-after'),
  body: answer.body,
});

/**
 * A signed-in caller must not learn whether a reservation number exists: another person's number
 * answers exactly as a made-up one, on every route that takes a number; and the numbers an
 * account sends that are not found are limited, so they cannot be tried by the hundred.
 */
describe('reservation numbers that are not the caller’s', () => {
  let db: Db;
  let town: TestMunicipality;
  let server: TestServer;
  let caller: TestSession;
  let theirs: string;
  let mine: string;

  const made = () => {
    let number = generateReservationNumber();
    while (number === theirs || number === mine) number = generateReservationNumber();
    return number;
  };

  beforeAll(async () => {
    db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 4 + 3, slots: 3 });
    server = await startTestServer(db, {
      env: { LIMIT_SIGNIN_FAILURES_PER_VOUCHER: '5', LIMIT_WINDOW_SECONDS: '120' },
      redisPrefix: 'numbers',
    });
    caller = server.sessionFor(town.residents[0]!.id, town.code);
    const book = async (session: TestSession) => {
      const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
      expect(booked.status).toBe(201);
      return booked.body.number as string;
    };
    mine = await book(caller);
    theirs = await book(server.sessionFor(town.residents[1]!.id, town.code));
  });
  afterAll(() => server.close());

  const routes: [string, (session: TestSession, number: string) => Promise<TestResponse>][] = [
    [
      'change',
      (session, number) => server.request('POST', `/api/v1/reservations/${number}/change`, { session, body: { slotId: town.slotIds[1] } }),
    ],
    ['cancel', (session, number) => server.request('POST', `/api/v1/reservations/${number}/cancel`, { session })],
    [
      'hold while changing',
      (session, number) => server.request('POST', '/api/v1/holds', { session, body: { slotId: town.slotIds[2], changing: number } }),
    ],
  ];

  it('answers another person’s number exactly as a made-up one (404 reservation-not-found) and changes nothing', async () => {
    const before = await tenantState(db, town.code);
    for (const [i, [name, send]] of routes.entries()) {
      // An account per route, so that the limit below plays no part here.
      const session = server.sessionFor(town.residents[4 + i]!.id, town.code);
      const other = await send(session, theirs);
      const madeUp = await send(session, made());
      expect(other.status, `${name}: ${JSON.stringify(other.body)}`).toBe(404);
      expect(other.body.code).toBe('reservation-not-found');
      expect(visible(other), name).toEqual(visible(madeUp));
    }
    expect(await tenantState(db, town.code)).toEqual(before);
  });

  it('answers another person’s hold as one that does not exist', async () => {
    const held = await server.request('POST', '/api/v1/holds', {
      session: server.sessionFor(town.residents[2]!.id, town.code),
      body: { slotId: town.slotIds[2] },
    });
    expect(held.status).toBe(201);
    const before = await tenantState(db, town.code);
    const other = await server.request('DELETE', `/api/v1/holds/${held.body.id}`, { session: caller });
    const missing = await server.request('DELETE', `/api/v1/holds/${held.body.id + 1000}`, { session: caller });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('hold-not-found');
    expect(visible(other)).toEqual(visible(missing));
    expect(await tenantState(db, town.code)).toEqual(before);
  });

  it('evaluates at most 5 of 200 wrong numbers sent at once by one account, others’ numbers among them', async () => {
    const prober = server.sessionFor(town.residents[3]!.id, town.code);
    const sends = Array.from({ length: 200 }, (_, i) => routes[i % routes.length]![1]);
    await Promise.all(sends.map(() => fetch(`${server.url}/api/health`).then((r) => r.text())));
    const answers = await Promise.all(sends.map((send, i) => send(prober, i % 7 === 0 ? theirs : made())));
    const evaluated = answers.filter((a) => a.status !== 429);
    expect(evaluated.length).toBe(5);
    for (const answer of evaluated) expect(answer.body.code).toBe('reservation-not-found');
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.body.code).toBe('too-many-attempts');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    }
    // Another account is not slowed down, and its right numbers never counted against it.
    for (let i = 0; i < 8; i++) {
      const change = await server.request('POST', `/api/v1/reservations/${mine}/change`, {
        session: caller,
        body: { slotId: town.slotIds[1 + (i % 2)] },
      });
      expect(change.status, JSON.stringify(change.body)).toBe(200);
    }
  });
});
