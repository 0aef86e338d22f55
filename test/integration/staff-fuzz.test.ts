import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { fuzzEveryEndpoint } from '../support/endpoint-fuzz.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import type { KnownValues } from '../support/hostile-requests.js';
import { headerText } from '../support/hostile-values.js';
import { endpointsOf, type Endpoint } from '../support/openapi-endpoints.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

type Caller = { kind: 'anonymous' } | { kind: 'administrator' } | { kind: 'viewer' } | { kind: 'wrong-csrf'; token: string };

/**
 * Every staff endpoint under hostile input, from an administrator of one municipality, a viewer,
 * someone with a wrong CSRF token and someone not signed in: never a 5xx, every refusal a translated
 * problem that changes nothing, and whatever succeeds leaves the other municipality as it was.
 * (Signing out is left out: it would end the callers' sessions for the rest of the run.)
 */
describe('hostile input at every staff endpoint', () => {
  let db: Db;
  let server: TestServer;
  let town: TestMunicipality;
  let neighbour: TestMunicipality;
  let endpoints: Endpoint[];
  let known: KnownValues;
  let admin: StaffSession;
  let viewer: StaffSession;

  beforeAll(async () => {
    db = await testDatabase();
    [town, neighbour] = await Promise.all([createTestMunicipality(db, { residents: 2 }), createTestMunicipality(db, { residents: 2 })]);
    server = await startTestServer(db, { redisPrefix: 'staff-fuzz' });
    const docs = (await server.request('GET', '/api/docs/json')).body;
    endpoints = endpointsOf(docs).filter((e) => e.path.startsWith('/api/v1/staff/') && !e.path.includes('/sign-out'));
    const team = await staffTeam(server, db);
    const adminMember = await team.member(town.code, ['administrator']);
    admin = adminMember.session;
    viewer = (await team.member(town.code, ['viewer'])).session;
    const staffer = await team.member(town.code, ['staff']);
    const theirs = await team.member(neighbour.code, ['administrator']);
    const link = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${staffer.user.accountId}/links`, {
      session: admin,
      body: { purpose: 'password-reset' },
    });
    expect(link.status, link.text).toBe(201);
    known = {
      municipalityCode: [town.code, neighbour.code],
      code: [town.code, neighbour.code],
      accountId: [staffer.user.accountId, theirs.user.accountId, adminMember.user.accountId],
      staffAccountId: [staffer.user.accountId, adminMember.user.accountId],
      residentId: town.residents.map((r) => r.id),
      email: [staffer.user.email, adminMember.user.email],
      token: [link.body.url.split('#')[1]],
      purpose: ['enrolment', 'password-reset'],
      action: ['staff.', 'staff.sign-in', 'settings.update'],
      timeZone: ['Asia/Tokyo', 'Europe/Lisbon'],
      language: ['ja', 'en'],
    };
  });
  afterAll(() => server?.close());

  async function observe() {
    const [roles, accounts, municipalities] = await Promise.all([
      db
        .selectFrom('staff_roles')
        .select(['account_id', 'municipality_code', 'role'])
        .where('municipality_code', 'in', [town.code, neighbour.code])
        .orderBy(['account_id', 'role'])
        .execute(),
      db.selectFrom('staff_accounts').select(['id', 'status', 'super_admin', 'password_hash']).orderBy('id').execute(),
      db
        .selectFrom('municipalities')
        .select(['code', 'name_ja', 'name_en', 'time_zone', 'call_centre_phone', 'settings'])
        .where('code', 'in', [town.code, neighbour.code])
        .orderBy('code')
        .execute(),
    ]);
    const ours = new Set(roles.map((r) => r.account_id));
    const neighbours = new Set(roles.filter((r) => r.municipality_code === neighbour.code).map((r) => r.account_id));
    const state = { roles, accounts: accounts.filter((a) => ours.has(a.id)), municipalities };
    return {
      all: state,
      untouchable: {
        municipality: municipalities.find((m) => m.code === neighbour.code),
        roles: roles.filter((r) => r.municipality_code === neighbour.code),
        accounts: accounts.filter((a) => neighbours.has(a.id)),
      },
    };
  }

  it('reads the staff endpoints from the OpenAPI document', () => {
    expect(endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(
      expect.arrayContaining(['PUT /api/v1/staff/municipalities/{municipalityCode}/settings', 'POST /api/v1/staff/sign-in']),
    );
    expect(endpoints.length).toBeGreaterThanOrEqual(30);
  });

  it('never answers 5xx; every refusal is a translated problem that changed nothing; the neighbour stays as it was', async () => {
    const callers: fc.Arbitrary<Caller> = fc.oneof(
      { weight: 2, arbitrary: fc.constant({ kind: 'anonymous' as const }) },
      { weight: 5, arbitrary: fc.constant({ kind: 'administrator' as const }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'viewer' as const }) },
      { weight: 1, arbitrary: headerText.map((token) => ({ kind: 'wrong-csrf' as const, token })) },
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
          case 'administrator':
            return { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
          case 'viewer':
            return { cookie: viewer.cookie, 'x-csrf-token': viewer.csrfToken };
          case 'wrong-csrf':
            return { cookie: admin.cookie, 'x-csrf-token': caller.token };
        }
      },
      observe,
      defaultSeed: 20261201,
    });
  }, 600_000);
});
