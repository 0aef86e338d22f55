import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { fuzzEveryEndpoint } from '../support/endpoint-fuzz.js';
import type { KnownValues } from '../support/hostile-requests.js';
import { headerText } from '../support/hostile-values.js';
import { endpointsOf, type Endpoint } from '../support/openapi-endpoints.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';
import { tenantState } from '../support/tenant-state.js';

type Caller =
  | { kind: 'anonymous' }
  | { kind: 'signed-in' }
  | { kind: 'no-csrf' }
  | { kind: 'wrong-csrf'; token: string }
  | { kind: 'forged-cookie'; cookie: string };

describe('hostile input at every endpoint of the OpenAPI document', () => {
  let db: Db;
  let server: TestServer;
  let town: TestMunicipality;
  /** Another municipality whose bookings the town's residents must never touch. */
  let neighbour: TestMunicipality;
  let session: TestSession;
  let endpoints: Endpoint[];
  let known: KnownValues;

  beforeAll(async () => {
    db = await testDatabase();
    town = await createTestMunicipality(db, {
      residents: [{}, { birthDate: '1990-02-28' }, { birthDate: '1950-12-31' }, {}, { birthDate: '2012-02-29' }, {}],
      slots: 10,
      capacity: 4,
    });
    neighbour = await createTestMunicipality(db, { residents: 3, slots: 3, capacity: 4 });
    server = await startTestServer(db);
    session = await server.signIn(town.code, town.residents[0]!);
    endpoints = endpointsOf((await server.request('GET', '/api/docs/json')).body);

    // Something for the fuzz to aim at: bookings, a family link, holds and an open sign-in challenge.
    const ok = async (promise: ReturnType<TestServer['request']>) => {
      const response = await promise;
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
      return response.body;
    };
    const [member, holder] = [town.residents[1]!, town.residents[2]!];
    const booking = await ok(server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } }));
    await ok(
      server.request('POST', '/api/v1/me/family', { session, body: { voucherNumber: member.voucherNumber, birthDate: member.birthDate } }),
    );
    const hold = await ok(
      server.request('POST', '/api/v1/holds', { session: server.sessionFor(holder.id, town.code), body: { slotId: town.slotIds[1] } }),
    );
    const theirs = server.sessionFor(neighbour.residents[0]!.id, neighbour.code);
    const theirBooking = await ok(
      server.request('POST', '/api/v1/reservations', { session: theirs, body: { slotId: neighbour.slotIds[0] } }),
    );
    const theirHold = await ok(
      server.request('POST', '/api/v1/holds', {
        session: server.sessionFor(neighbour.residents[1]!.id, neighbour.code),
        body: { slotId: neighbour.slotIds[1] },
      }),
    );
    const resident = town.residents[3]!;
    const challenge = await ok(
      server.request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
      }),
    );

    const people = [...town.residents, ...neighbour.residents];
    const numbers = [booking.number as string, theirBooking.number as string];
    const spelledNumbers = [...numbers, ...numbers.map((n) => `${n.slice(0, 4)}-${n.slice(4)}`.toLowerCase())];
    const today = localDate(new Date(), town.timeZone);
    const dates = [-1, 0, 1, 2, 5, 9, 10, 11, 31, 62, 63].map((days) => addDays(today, days));
    known = {
      slotId: [...town.slotIds, ...neighbour.slotIds],
      residentId: people.map((p) => p.id),
      holdId: [hold.id, theirHold.id],
      venueId: [town.venueId, neighbour.venueId],
      code: [town.code, neighbour.code],
      municipalityCode: [town.code, neighbour.code],
      voucherNumber: people.map((p) => p.voucherNumber),
      birthDate: [...new Set(people.map((p) => p.birthDate))],
      number: spelledNumbers,
      reservationNumber: spelledNumbers,
      challengeId: [challenge.challengeId],
      phone: ['09012345678', '+81 90-1234-5678'],
      from: dates,
      to: dates,
    };
  });
  afterAll(() => server.close());

  it('reads the endpoints from the server’s own OpenAPI document', () => {
    const listed = endpoints.map((e) => `${e.method} ${e.path}`);
    // A floor, so that an empty or broken document cannot make the fuzz below pass by doing nothing.
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/voucher',
        'POST /api/v1/reservations',
        'DELETE /api/v1/holds/{holdId}',
        'GET /api/v1/venues/{venueId}/slots',
      ]),
    );
    expect(listed.length).toBeGreaterThanOrEqual(15);
  });

  it('never answers 5xx; every 4xx is a translated problem; rejected requests change nothing', async () => {
    const callers: fc.Arbitrary<Caller> = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
      { weight: 5, arbitrary: fc.constant({ kind: 'signed-in' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'no-csrf' as const }) },
      { weight: 1, arbitrary: headerText.map((token) => ({ kind: 'wrong-csrf' as const, token })) },
      {
        weight: 1,
        arbitrary: fc
          .oneof(
            headerText.map((text) => `yoyaku_session=${text.replace(/;/g, '')}`),
            fc.nat().map((at) => tamper(session.cookie, at)),
          )
          .map((cookie) => ({ kind: 'forged-cookie' as const, cookie })),
      },
    );
    await fuzzEveryEndpoint({
      baseUrl: server.url,
      endpoints,
      known,
      callers,
      headersOf: (caller): Record<string, string> => {
        switch (caller.kind) {
          case 'anonymous':
            return {};
          case 'signed-in':
            return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
          case 'no-csrf':
            return { cookie: session.cookie };
          case 'wrong-csrf':
            return { cookie: session.cookie, 'x-csrf-token': caller.token };
          case 'forged-cookie':
            return { cookie: caller.cookie };
        }
      },
      // Whatever the town's residents do, the neighbour's bookings stay as they were.
      observe: async () => {
        const [mine, theirs] = await Promise.all([tenantState(db, town.code), tenantState(db, neighbour.code)]);
        return { all: { mine, theirs }, untouchable: theirs.bookings };
      },
      // Staff endpoints answer these callers 401 or 403 whatever they send; staff-fuzz.test.ts
      // throws the full count at them as staff. A tenth here checks the refusal holds.
      shareOf: (endpoint) => (endpoint.path.startsWith('/api/v1/staff/') ? 0.1 : 1),
      defaultSeed: 20261124,
    });
    expect(await slotCountsMismatches(db, [...town.slotIds, ...neighbour.slotIds])).toEqual([]);
  }, 300_000);
});

/** The session cookie with one character of its value changed. */
function tamper(cookie: string, at: number): string {
  const start = cookie.indexOf('=') + 1;
  const index = start + (at % (cookie.length - start));
  const replacement = cookie[index] === 'A' ? 'B' : 'A';
  return cookie.slice(0, index) + replacement + cookie.slice(index + 1);
}
