import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzEveryEndpoint } from '../support/endpoint-fuzz.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import type { KnownValues } from '../support/hostile-requests.js';
import { headerText } from '../support/hostile-values.js';
import { endpointsOf, type Endpoint } from '../support/openapi-endpoints.js';
import { staffTeam, type StaffSession } from '../support/staff.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

type Caller =
  | { kind: 'anonymous' }
  | { kind: 'ticket-holder' }
  | { kind: 'other-browser'; cookie: string }
  | { kind: 'super-admin' }
  | { kind: 'wrong-csrf'; token: string };

/**
 * The waiting room's own endpoints (join, ticket, admit, status, state, and the staff's stats and
 * controls) under the same hostile input as the rest of the API, on a server with the room on:
 * never a 5xx, every refusal a translated problem, and a refused request leaves the queue, its
 * numbers and the room's controls exactly as they were.
 */
describe('hostile input at every waiting-room endpoint', () => {
  let server: RoomServer;
  let town: TestMunicipality;
  let endpoints: Endpoint[];
  let known: KnownValues;
  let holderCookie: string;
  let root: StaffSession;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 4, slots: 3 });
    server = await startRoomServer(db);
    const docs = await fetch(`${server.url}/api/docs/json`).then((r) => r.json());
    endpoints = endpointsOf(docs).filter(
      (e) => e.path.startsWith('/api/v1/waiting-room/') || /^\/api\/v1\/staff\/.*waiting-room/.test(e.path),
    );
    root = (await staffTeam(server, db)).root.session;

    // A real place in the queue, held by one browser, for the fuzz to aim at.
    const holder = server.browser();
    const resident = town.residents[0]!;
    const joined = await holder.call('POST', '/api/v1/waiting-room/join', {
      municipalityCode: town.code,
      voucherNumber: resident.voucherNumber,
      birthDate: resident.birthDate,
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    holderCookie = [...holder.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const people = town.residents;
    known = {
      municipalityCode: [town.code, '131016'],
      voucherNumber: people.map((p) => p.voucherNumber),
      birthDate: people.map((p) => p.birthDate),
      queueId: [joined.body.queueId, town.code, `${town.code}-age50s`],
      ticket: [joined.body.ticket],
      ratePerMinute: [0, 1, 60, 6000],
    };
  });
  afterAll(() => server?.close());

  it('reads the waiting-room endpoints from the OpenAPI document', () => {
    const listed = endpoints.map((e) => `${e.method} ${e.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /api/v1/waiting-room/join',
        'POST /api/v1/waiting-room/ticket',
        'POST /api/v1/waiting-room/admit',
        'GET /api/v1/waiting-room/queues/{queueId}/status',
        'GET /api/v1/waiting-room/state',
        'GET /api/v1/staff/waiting-room',
        'POST /api/v1/staff/waiting-room/control',
        'GET /api/v1/staff/municipalities/{municipalityCode}/waiting-room',
      ]),
    );
  });

  it('never answers 5xx; every 4xx is a translated problem; refused requests change nothing', async () => {
    const callers: fc.Arbitrary<Caller> = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
      { weight: 3, arbitrary: fc.constant({ kind: 'ticket-holder' as const }) },
      {
        weight: 1,
        arbitrary: headerText.map((text) => ({ kind: 'other-browser' as const, cookie: `yoyaku_wr_browser=${text.replace(/;/g, '')}` })),
      },
      { weight: 2, arbitrary: fc.constant({ kind: 'super-admin' as const }) },
      { weight: 1, arbitrary: headerText.map((token) => ({ kind: 'wrong-csrf' as const, token })) },
    );
    const queueId = known.queueId![0] as string;
    await fuzzEveryEndpoint({
      baseUrl: server.url,
      endpoints,
      known,
      callers,
      headersOf: (caller): Record<string, string> => {
        switch (caller.kind) {
          case 'anonymous':
            return {};
          case 'ticket-holder':
            return { cookie: holderCookie };
          case 'other-browser':
            return { cookie: caller.cookie };
          case 'super-admin':
            return { cookie: root.cookie, 'x-csrf-token': root.csrfToken };
          case 'wrong-csrf':
            return { cookie: root.cookie, 'x-csrf-token': caller.token };
        }
      },
      observe: async () => {
        const [snapshot, control] = await Promise.all([server.room.store.snapshot(queueId), server.room.store.control()]);
        // A refusal changes nothing at all; even a success never redefines the queue itself.
        return { all: { snapshot, control }, untouchable: { opensAt: snapshot?.opensAt, share: snapshot?.share, open: snapshot?.open } };
      },
      defaultSeed: 20261130,
    });
  }, 300_000);
});
