import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { isAction, scopeOf } from '../../server/platform/access/index.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, freshMunicipalityCode, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffAnswer, type StaffSession } from '../support/staff.js';

/**
 * The permission matrix, generated from the OpenAPI document: every staff operation the server
 * documents is tried, so a new staff route is covered the day it is added, without editing this
 * file. For each operation:
 * - a member of municipality A asking about municipality B gets exactly the answer a municipality
 *   that does not exist gets (404, no data, no hint), and nothing changes;
 * - a viewer's writes are all refused (403), an operator's changes of settings too;
 * - a signed-out session and a disabled account get 401 at once.
 * Bodies are left empty on purpose: access is decided before the body is read, so the refusal may
 * never be a validation error that would tell the caller the route is there for them.
 */
interface Operation {
  method: string;
  path: string;
  operationId: string;
  action: string;
}

let db: Db;
let server: TestServer;
let a: TestMunicipality;
let b: TestMunicipality;
let operations: Operation[];
let aAdmin: StaffSession;
let aViewer: StaffSession;
let aOperator: StaffSession;
let bMemberId: number;
let aMemberId: number;

beforeAll(async () => {
  db = await testDatabase();
  [a, b] = await Promise.all([createTestMunicipality(db, { residents: 2 }), createTestMunicipality(db, { residents: 2 })]);
  server = await startTestServer(db, { redisPrefix: 'staff-permissions' });
  const document = (await server.request('GET', '/api/docs/json')).body as {
    paths: Record<string, Record<string, { operationId: string; 'x-yoyaku-action'?: string }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op['x-yoyaku-action'] !== undefined)
      .map(([method, op]) => ({ method: method.toUpperCase(), path, operationId: op.operationId, action: op['x-yoyaku-action']! })),
  );
  const team = await staffTeam(server, db);
  aAdmin = (await team.member(a.code, ['administrator'])).session;
  aViewer = (await team.member(a.code, ['viewer'])).session;
  aOperator = (await team.member(a.code, ['operator'])).session;
  aMemberId = (await team.member(a.code, ['staff'])).user.accountId;
  bMemberId = (await team.member(b.code, ['staff'])).user.accountId;
});
afterAll(() => server?.close());

/** The operation's path with its parameters filled in. */
function urlOf(operation: Operation, values: { municipalityCode: string; accountId: number }): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'municipalityCode') return values.municipalityCode;
    if (name === 'accountId') return String(values.accountId);
    // Access is decided before the record is looked up: any id will do.
    if (name === 'importId' || name === 'slotId' || name === 'venueId') return '1';
    if (name === 'date') return '2030-01-01';
    // Access is decided before the record is looked for: any well-formed value will do.
    if (name === 'residentId') return '1';
    if (name === 'number') return '2345-6789';
    throw new Error(`${operation.operationId}: no test value for {${name}}; add one to urlOf`);
  });
}

function call(operation: Operation, session: StaffSession | undefined, values: { municipalityCode: string; accountId: number }) {
  return staffCall(server, operation.method, urlOf(operation, values), {
    session,
    body: operation.method === 'GET' ? undefined : {},
    headers: { 'accept-language': 'en' },
  });
}

const scope = (operation: Operation) => (isAction(operation.action) ? scopeOf(operation.action) : 'unknown');
const secured = () => operations.filter((o) => scope(o) !== 'public');
const inMunicipality = () => operations.filter((o) => scope(o) === 'municipality');

/** What an answer tells its reader: status, the problem, and the headers that could give something away. */
function told(answer: StaffAnswer) {
  return { status: answer.status, body: answer.body ?? answer.text, cache: answer.headers.get('cache-control') };
}

/** Everything staff routes can change: accounts, roles, links, sessions, municipalities, and the audit log of B. */
async function staffState() {
  const [accounts, roles, links, sessions, municipalities, audit] = await Promise.all([
    db
      .selectFrom('staff_accounts')
      .select(['id', 'email', 'status', 'super_admin', 'display_name', 'language', 'password_hash'])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('staff_roles')
      .select(['account_id', 'municipality_code', 'role'])
      .orderBy(['account_id', 'municipality_code', 'role'])
      .execute(),
    db.selectFrom('staff_links').select(['account_id', 'token_hash', 'expires_at', 'used_at']).orderBy('token_hash').execute(),
    db.selectFrom('staff_sessions').select(['account_id', 'id_hash', 'revoked_at', 'last_seen_at']).orderBy('id_hash').execute(),
    db
      .selectFrom('municipalities')
      .select(['code', 'name_ja', 'name_en', 'time_zone', 'call_centre_phone', 'settings'])
      .where('code', 'in', [a.code, b.code])
      .execute(),
    db.selectFrom('audit_log').select('id').where('municipality_code', '=', b.code).orderBy('id').execute(),
  ]);
  // Other test files add accounts of their own meanwhile: compare only those of this file's municipalities.
  const ours = new Set(roles.filter((r) => r.municipality_code === a.code || r.municipality_code === b.code).map((r) => r.account_id));
  return {
    accounts: accounts.filter((x) => ours.has(x.id)),
    roles: roles.filter((r) => ours.has(r.account_id)),
    links: links.filter((l) => ours.has(l.account_id)),
    // last_seen_at moves with every request (at most once a minute); that is not a change a refusal could make.
    sessions: sessions.filter((x) => ours.has(x.account_id)).map(({ last_seen_at: _, ...rest }) => rest),
    municipalities,
    audit,
  };
}

describe('the staff operations of the OpenAPI document', () => {
  it('are read from the document, each with its declared action', () => {
    const ids = operations.map((o) => o.operationId);
    // A floor, so that a broken document cannot make the matrix pass by testing nothing.
    expect(ids).toEqual(
      expect.arrayContaining(['setMunicipalitySettings', 'inviteStaffMember', 'exportAuditLog', 'controlWaitingRoom', 'signInStaff']),
    );
    expect(operations.length).toBeGreaterThanOrEqual(30);
    for (const operation of operations) expect(scope(operation), operation.operationId).not.toBe('unknown');
    expect(operations.every((o) => o.path.startsWith('/api/v1/staff/'))).toBe(true);
  });
});

describe('a member of municipality A asking about municipality B', () => {
  it('gets what a municipality that does not exist gets, for every operation, and changes nothing', async () => {
    const nowhere = await freshMunicipalityCode(db);
    const before = await staffState();
    for (const operation of inMunicipality()) {
      const theirs = await call(operation, aAdmin, { municipalityCode: b.code, accountId: bMemberId });
      const none = await call(operation, aAdmin, { municipalityCode: nowhere, accountId: bMemberId });
      expect(told(theirs), operation.operationId).toEqual(told(none));
      expect(theirs.status, operation.operationId).toBe(404);
      expect(theirs.body.code, operation.operationId).toBe('municipality-not-found');
      expect(Object.keys(theirs.body).sort(), operation.operationId).toEqual(['code', 'status', 'title', 'type']);
    }
    expect(await staffState()).toEqual(before);
  });

  it('cannot reach B’s people through A either: a B member’s id in A’s paths is not found', async () => {
    const before = await staffState();
    for (const operation of inMunicipality().filter((o) => o.path.includes('{accountId}'))) {
      const answer = await call(operation, aAdmin, { municipalityCode: a.code, accountId: bMemberId });
      // An empty body may be refused first for a route that takes one; never allowed, never a hint of B.
      expect([400, 404], `${operation.operationId} ${answer.text}`).toContain(answer.status);
      if (answer.status === 404) expect(answer.body.code).toBe('staff-account-not-found');
    }
    expect(await staffState()).toEqual(before);
  });

  it('is refused every deployment-wide operation but their own', async () => {
    const before = await staffState();
    for (const operation of operations.filter((o) => scope(o) === 'deployment')) {
      const answer = await call(operation, aAdmin, { municipalityCode: b.code, accountId: bMemberId });
      expect({ id: operation.operationId, status: answer.status, code: answer.body?.code }).toEqual({
        id: operation.operationId,
        status: 403,
        code: 'forbidden',
      });
    }
    expect(await staffState()).toEqual(before);
  });
});

describe('roles in their own municipality', () => {
  it('refuse every write of a viewer (403), in their municipality and deployment-wide', async () => {
    const before = await staffState();
    const writes = secured().filter((o) => o.method !== 'GET' && scope(o) !== 'self');
    expect(writes.length).toBeGreaterThanOrEqual(14);
    for (const operation of writes) {
      const answer = await call(operation, aViewer, { municipalityCode: a.code, accountId: aMemberId });
      expect({ id: operation.operationId, status: answer.status, code: answer.body?.code }).toEqual({
        id: operation.operationId,
        status: 403,
        code: 'forbidden',
      });
    }
    expect(await staffState()).toEqual(before);
  });

  it('refuse an operator every change of the municipality’s settings and accounts', async () => {
    const before = await staffState();
    const changes = inMunicipality().filter((o) => o.method !== 'GET' && /^(settings|municipality|accounts)\./.test(o.action));
    expect(changes.map((o) => o.operationId)).toEqual(expect.arrayContaining(['setMunicipalitySettings', 'updateMunicipality']));
    for (const operation of changes) {
      const answer = await call(operation, aOperator, { municipalityCode: a.code, accountId: aMemberId });
      expect({ id: operation.operationId, status: answer.status }).toEqual({ id: operation.operationId, status: 403 });
    }
    expect(await staffState()).toEqual(before);
  });
});

describe('sessions that ended', () => {
  it('get 401 at once for every operation that needs one: no cookie, a signed-out session, a disabled account', async () => {
    const team = await staffTeam(server, db);
    const leaver = await team.member(a.code, ['administrator']);
    const disabled = await team.member(a.code, ['administrator']);
    expect((await staffCall(server, 'POST', '/api/v1/staff/sign-out', { session: leaver.session })).status).toBe(204);
    const off = await staffCall(server, 'POST', `/api/v1/staff/accounts/${disabled.user.accountId}/disable`, {
      session: team.root.session,
    });
    expect(off.status, off.text).toBe(200);
    const before = await staffState();
    for (const operation of secured()) {
      for (const [who, session] of [
        ['nobody', undefined],
        ['signed out', leaver.session],
        ['disabled', disabled.session],
      ] as const) {
        const answer = await call(operation, session, { municipalityCode: a.code, accountId: aMemberId });
        expect({ id: operation.operationId, who, status: answer.status, code: answer.body?.code }).toEqual({
          id: operation.operationId,
          who,
          status: 401,
          code: 'not-signed-in',
        });
      }
    }
    // Fastify answers HEAD for every GET route: the same hook guards it.
    for (const operation of secured().filter((o) => o.method === 'GET')) {
      const head = await staffCall(server, 'HEAD', urlOf(operation, { municipalityCode: a.code, accountId: aMemberId }));
      expect({ id: operation.operationId, status: head.status }).toEqual({ id: operation.operationId, status: 401 });
    }
    expect(await staffState()).toEqual(before);
  });
});
