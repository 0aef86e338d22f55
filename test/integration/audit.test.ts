import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { pgErrorCode } from '../../server/db/transaction.js';
import { createAuditLog } from '../../server/modules/audit/index.js';
import { createAdminAccounts } from '../../server/modules/staff/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, freshMunicipalityCode, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  enrolThrough,
  nextCode,
  signInStaff,
  staffCall,
  staffTeam,
  strongPassword,
  tokenOf,
  uniqueEmail,
  type StaffSession,
  type StaffUser,
} from '../support/staff.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

/**
 * The audit log: each audited action writes exactly one row (who, what, where, from which address)
 * in the transaction of its change, a refused change writes none, the application can never
 * change or remove a row, and staff can search it and take it away as CSV (which is recorded too).
 */
let db: Db;
let server: TestServer;
let room: RoomServer;
let town: TestMunicipality;
let root: { user: StaffUser; session: StaffSession };
let admin: { user: StaffUser; session: StaffSession };
let team: Awaited<ReturnType<typeof staffTeam>>;
/** (actor kind, actor id) of everyone this file acts as: rows of other files running meanwhile are left out. */
const actors = new Set<string>();
const mine = (kind: string, id: number | string | null) => actors.add(`${kind}:${id}`);
/** Accounts this file made with `create-admin`: other files make their own at the same time, also as the system. */
const adminsMadeHere = new Set<number>();

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 3 });
  server = await startTestServer(db, { redisPrefix: 'audit' });
  room = await startRoomServer(db);
  team = await staffTeam(server, db);
  root = team.root;
  admin = await team.member(town.code, ['administrator']);
  for (const id of [root.user.accountId, admin.user.accountId]) mine('staff', id);
  for (const resident of town.residents) mine('resident', resident.id);
});
afterAll(async () => {
  await server?.close();
  await room?.close();
});

async function lastId(): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

async function rowsSince(id: number, municipalities: string[]) {
  const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', id).orderBy('id').execute();
  // The system is everyone's actor: other files' jobs (a resident import finishing) write system rows
  // for their own municipalities, and their own `create-admin`, while this file runs; so a system row
  // is ours only without a municipality and naming an account this file made.
  const ours = (row: { actor_kind: string; actor_id: string | null; municipality_code: string | null; detail: unknown }) =>
    row.actor_kind === 'system'
      ? row.municipality_code === null && adminsMadeHere.has(Number((row.detail as { accountId?: unknown } | null)?.accountId))
      : actors.has(`${row.actor_kind}:${row.actor_id}`);
  return rows.filter((row) => ours(row) || (row.municipality_code !== null && municipalities.includes(row.municipality_code)));
}

interface Case {
  action: string;
  /** Runs before the row count starts (what the action needs, e.g. an invitation before an enrolment). */
  prepare?: () => Promise<unknown>;
  perform: (prepared: any) => Promise<unknown>;
  expect: Record<string, unknown> | ((prepared: any) => Record<string, unknown>);
}

const cases: Case[] = [];
const ok = (answer: { status: number; text: string }) => {
  expect(answer.status, answer.text).toBeLessThan(300);
  return answer;
};
const staffRow = (session: () => { user: StaffUser }, extra: Record<string, unknown> = {}) => ({
  actor_kind: 'staff',
  actor_id: String(session().user.accountId),
  ip: '127.0.0.1',
  ...extra,
});
/** A member of the town, made (and remembered) for one case. */
async function newMember(roles = ['staff']) {
  const member = await team.member(town.code, roles);
  mine('staff', member.user.accountId);
  return member;
}

cases.push(
  {
    action: 'staff.sign-in',
    prepare: () => newMember(),
    perform: (m) => signInStaff(server, m.user),
    expect: (m) => ({ actor_kind: 'staff', actor_id: String(m.user.accountId), ip: '127.0.0.1', detail: { factor: 'totp' } }),
  },
  {
    action: 'staff.sign-in-failed',
    prepare: () => newMember(),
    perform: (m) =>
      staffCall(server, 'POST', '/api/v1/staff/sign-in', { body: { email: m.user.email, password: 'wrong wrong wrong', code: '123456' } }),
    expect: (m) => ({ actor_kind: 'staff', actor_id: String(m.user.accountId), ip: '127.0.0.1' }),
  },
  {
    action: 'staff.sign-in-locked',
    prepare: async () => {
      const m = await newMember();
      for (let i = 0; i < 5; i++) {
        await staffCall(server, 'POST', '/api/v1/staff/sign-in', {
          body: { email: m.user.email, password: 'wrong wrong wrong', code: '123456' },
        });
      }
      return m;
    },
    perform: (m) =>
      staffCall(server, 'POST', '/api/v1/staff/sign-in', { body: { email: m.user.email, password: m.user.password, code: '123456' } }),
    expect: (m) => ({ actor_kind: 'staff', actor_id: String(m.user.accountId), ip: '127.0.0.1' }),
  },
  {
    action: 'staff.sign-out',
    prepare: () => newMember(),
    perform: async (m) => ok(await staffCall(server, 'POST', '/api/v1/staff/sign-out', { session: m.session })),
    expect: (m) => ({ actor_kind: 'staff', actor_id: String(m.user.accountId) }),
  },
  {
    action: 'staff.sign-out-everywhere',
    prepare: () => newMember(),
    perform: async (m) => ok(await staffCall(server, 'POST', '/api/v1/staff/sign-out-everywhere', { session: m.session })),
    expect: (m) => ({ actor_kind: 'staff', actor_id: String(m.user.accountId), detail: { sessionsEnded: 1 } }),
  },
  {
    action: 'staff.enrol',
    prepare: async () => {
      const invited = ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts`, {
          session: admin.session,
          body: { email: uniqueEmail('enrol'), displayName: 'New', roles: ['viewer'] },
        }),
      );
      const accountId = (invited as any).body.account.id as number;
      mine('staff', accountId);
      return { url: (invited as any).body.link.url as string, accountId };
    },
    perform: (p) => enrolThrough(server, p.url),
    expect: (p) => ({ actor_kind: 'staff', actor_id: String(p.accountId), ip: '127.0.0.1', detail: { sessionsEnded: 0 } }),
  },
  {
    action: 'staff.password-reset',
    prepare: async () => {
      const m = await newMember();
      const link = ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${m.user.accountId}/links`, {
          session: admin.session,
          body: { purpose: 'password-reset' },
        }),
      );
      return { m, token: tokenOf((link as any).body.url) };
    },
    perform: async (p) =>
      ok(
        await staffCall(server, 'POST', '/api/v1/staff/password-reset', {
          body: { token: p.token, password: strongPassword(), code: await nextCode(p.m.user) },
        }),
      ),
    expect: (p) => ({ actor_kind: 'staff', actor_id: String(p.m.user.accountId), detail: { factor: 'totp', sessionsEnded: 1 } }),
  },
  {
    action: 'staff.update-self',
    perform: async () =>
      ok(await staffCall(server, 'PATCH', '/api/v1/staff/me', { session: admin.session, body: { displayName: '管理者' } })),
    expect: () => staffRow(() => admin, { detail: { changed: ['displayName'] } }),
  },
  {
    action: 'staff.invite',
    perform: async () =>
      ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts`, {
          session: admin.session,
          body: { email: uniqueEmail('invite'), displayName: 'Invited', roles: ['operator', 'viewer'] },
        }),
      ),
    expect: () =>
      staffRow(() => admin, {
        municipality_code: town.code,
        detail: expect.objectContaining({ roles: ['operator', 'viewer'], newAccount: true }),
      }),
  },
  {
    action: 'staff.roles-change',
    prepare: () => newMember(['viewer']),
    perform: async (m) =>
      ok(
        await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${town.code}/accounts/${m.user.accountId}/roles`, {
          session: admin.session,
          body: { roles: ['staff'] },
        }),
      ),
    expect: (m) =>
      staffRow(() => admin, {
        municipality_code: town.code,
        detail: { accountId: m.user.accountId, before: ['viewer'], after: ['staff'] },
      }),
  },
  {
    action: 'staff.disable',
    prepare: () => newMember(),
    perform: async (m) =>
      ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${m.user.accountId}/disable`, {
          session: admin.session,
        }),
      ),
    expect: (m) => staffRow(() => admin, { municipality_code: town.code, detail: { accountId: m.user.accountId, sessionsEnded: 1 } }),
  },
  {
    action: 'staff.enable',
    prepare: async () => {
      const m = await newMember();
      await staffCall(server, 'POST', `/api/v1/staff/accounts/${m.user.accountId}/disable`, { session: root.session });
      return m;
    },
    perform: async (m) =>
      ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${m.user.accountId}/enable`, {
          session: admin.session,
        }),
      ),
    expect: (m) => staffRow(() => admin, { municipality_code: town.code, detail: { accountId: m.user.accountId } }),
  },
  {
    action: 'staff.link-issue',
    prepare: () => newMember(),
    perform: async (m) =>
      ok(
        await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts/${m.user.accountId}/links`, {
          session: admin.session,
          body: { purpose: 'enrolment' },
        }),
      ),
    expect: (m) => staffRow(() => admin, { municipality_code: town.code, detail: { accountId: m.user.accountId, purpose: 'enrolment' } }),
  },
  {
    action: 'staff.create',
    perform: async () =>
      ok(
        await staffCall(server, 'POST', '/api/v1/staff/accounts', {
          session: root.session,
          body: { email: uniqueEmail('create'), displayName: 'Created', superAdmin: false },
        }),
      ),
    expect: () => staffRow(() => root, { municipality_code: null, detail: expect.objectContaining({ superAdmin: false }) }),
  },
  {
    action: 'staff.super-admin-change',
    prepare: () => newMember(),
    perform: async (m) =>
      ok(
        await staffCall(server, 'PUT', `/api/v1/staff/accounts/${m.user.accountId}/super-admin`, {
          session: root.session,
          body: { superAdmin: true },
        }),
      ),
    expect: (m) => staffRow(() => root, { detail: { accountId: m.user.accountId, superAdmin: true } }),
  },
  {
    action: 'staff.create-admin',
    perform: async () => {
      const made = await createAdminAccounts({ db, clock: systemClock, publicUrl: server.url, audit: createAuditLog(db) }).createAdmin(
        uniqueEmail('admin'),
      );
      adminsMadeHere.add(made.accountId);
      return made;
    },
    expect: { actor_kind: 'system', actor_id: null, ip: null, detail: expect.objectContaining({ newAccount: true }) },
  },
  {
    action: 'municipality.create',
    prepare: () => freshMunicipalityCode(db),
    perform: async (code: string) =>
      ok(
        await staffCall(server, 'POST', '/api/v1/staff/municipalities', {
          session: root.session,
          body: { code, nameJa: '監査町', nameEn: 'Audit Town', timeZone: 'Asia/Tokyo' },
        }),
      ),
    expect: (code: string) => staffRow(() => root, { municipality_code: code }),
  },
  {
    action: 'municipality.update',
    perform: async () =>
      ok(
        await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}`, {
          session: admin.session,
          body: { nameEn: 'Audited City' },
        }),
      ),
    expect: () => staffRow(() => admin, { municipality_code: town.code, detail: { changed: ['nameEn'] } }),
  },
  {
    action: 'settings.update',
    prepare: async () =>
      (await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/settings`, { session: admin.session })).body.settings,
    perform: async (settings) =>
      ok(
        await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${town.code}/settings`, {
          session: admin.session,
          body: { ...settings, familyLimit: 2, reminderDaysBefore: 1 },
        }),
      ),
    expect: () => staffRow(() => admin, { municipality_code: town.code, detail: { changed: ['familyLimit', 'reminderDaysBefore'] } }),
  },
  {
    action: 'audit.export',
    perform: async () =>
      ok(
        await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/audit/export?action=staff.`, { session: admin.session }),
      ),
    expect: () =>
      staffRow(() => admin, { municipality_code: town.code, detail: { filters: { municipalityCode: town.code, action: 'staff.' } } }),
  },
  {
    action: 'waiting-room.control',
    // The room's server has a signing key of its own (TOTP secrets are sealed under it): its own super-administrator.
    prepare: async () => {
      const onRoom = (await staffTeam(room, db)).root;
      mine('staff', onRoom.user.accountId);
      return onRoom;
    },
    perform: async (onRoom) =>
      ok(await staffCall(room, 'POST', '/api/v1/staff/waiting-room/control', { session: onRoom.session, body: { paused: false } })),
    expect: (onRoom) => staffRow(() => onRoom, { detail: { paused: false } }),
  },
  {
    action: 'family.add',
    perform: async () =>
      server.request('POST', '/api/v1/me/family', {
        session: server.sessionFor(town.residents[0]!.id, town.code),
        body: { voucherNumber: town.residents[1]!.voucherNumber, birthDate: town.residents[1]!.birthDate },
      }),
    expect: () => ({
      actor_kind: 'resident',
      actor_id: String(town.residents[0]!.id),
      subject_resident_id: town.residents[1]!.id,
      municipality_code: town.code,
      ip: '127.0.0.1',
    }),
  },
  {
    action: 'family.remove',
    perform: async () =>
      server.request('DELETE', `/api/v1/me/family/${town.residents[1]!.id}`, {
        session: server.sessionFor(town.residents[0]!.id, town.code),
      }),
    expect: () => ({ actor_kind: 'resident', actor_id: String(town.residents[0]!.id), subject_resident_id: town.residents[1]!.id }),
  },
);

describe('every audited action writes exactly one row', () => {
  it.each(cases.map((c) => [c.action, c] as const))('%s', async (action, c) => {
    const prepared = await c.prepare?.();
    const since = await lastId();
    await c.perform(prepared);
    const rows = await rowsSince(since, [town.code, ...(typeof prepared === 'string' ? [prepared] : [])]);
    expect(rows.map((r) => r.action)).toEqual([action]);
    expect(rows[0]).toMatchObject(typeof c.expect === 'function' ? c.expect(prepared) : c.expect);
  });

  it('writes none for a change that was refused, nor for a removal that removed nothing', async () => {
    const since = await lastId();
    const twice = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts`, {
      session: admin.session,
      body: { email: admin.user.email, displayName: 'again', roles: ['viewer'] },
    });
    expect(twice.body.code).toBe('staff-account-exists');
    const bad = await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}`, {
      session: admin.session,
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);
    const nobody = await server.request('DELETE', `/api/v1/me/family/${town.residents[2]!.id}`, {
      session: server.sessionFor(town.residents[0]!.id, town.code),
    });
    expect(nobody.status).toBe(204);
    expect(await rowsSince(since, [town.code])).toEqual([]);
  });
});

describe('the audit log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    const row = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const refusals = [];
    for (const attempt of [
      () => db.updateTable('audit_log').set({ action: 'rewritten' }).where('id', '=', row.id).execute(),
      () => db.deleteFrom('audit_log').where('id', '=', row.id).execute(),
      () => sql`truncate audit_log`.execute(db),
    ]) {
      refusals.push(
        await attempt().then(
          () => 'allowed',
          (error: unknown) => `${pgErrorCode(error)} ${(error as Error).message}`,
        ),
      );
    }
    expect(refusals).toEqual(Array(3).fill('42501 audit_log is append-only'));
    expect(await db.selectFrom('audit_log').select('action').where('id', '=', row.id).executeTakeFirst()).toBeDefined();
  });
});

describe('searching and exporting the audit log', () => {
  it('finds by staff member, resident, action or its subject, and time; pages newest first without gaps', async () => {
    const search = async (query: string, session = admin.session) =>
      (await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/audit?${query}`, { session })).body;
    const byAdmin = await search(`staffAccountId=${admin.user.accountId}&limit=200`);
    expect(byAdmin.entries.length).toBeGreaterThan(3);
    expect(byAdmin.entries.every((e: any) => e.actor.id === String(admin.user.accountId) && e.municipalityCode === town.code)).toBe(true);
    const family = await search(`residentId=${town.residents[1]!.id}`);
    expect(family.entries.map((e: any) => e.action)).toEqual(['family.remove', 'family.add']);
    const staffActions = await search('action=staff.&limit=200');
    expect(staffActions.entries.length).toBeGreaterThan(3);
    expect(staffActions.entries.every((e: any) => e.action.startsWith('staff.'))).toBe(true);
    const exact = await search('action=staff.invite&limit=200');
    expect(new Set(exact.entries.map((e: any) => e.action))).toEqual(new Set(['staff.invite']));

    const all = await search('limit=200');
    const ids = all.entries.map((e: any) => e.id as number);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const paged: number[] = [];
    let before: number | null | undefined;
    do {
      const page = await search(`limit=3${before ? `&before=${before}` : ''}`);
      paged.push(...page.entries.map((e: any) => e.id));
      before = page.nextBefore;
    } while (before);
    expect(paged).toEqual(ids);

    const newest = all.entries[0];
    const window = await search(
      `from=${encodeURIComponent(newest.at)}&to=${encodeURIComponent(new Date(Date.parse(newest.at) + 1).toISOString())}`,
    );
    expect(window.entries.map((e: any) => e.id)).toContain(newest.id);
    const future = await search(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future).toEqual({ entries: [], nextBefore: null });
  });

  it('exports CSV (BOM, CRLF, formulas kept as text), streamed, and records the export', async () => {
    const odd = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/accounts`, {
      session: admin.session,
      body: { email: `=1+2.${Date.now()}@example.org`, displayName: 'Odd', roles: ['administrator'] },
    });
    const oddOne = await enrolThrough(server, odd.body.link.url);
    await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}`, { session: oddOne.session, body: { nameJa: '監査市' } });

    const response = await fetch(`${server.url}/api/v1/staff/municipalities/${town.code}/audit/export`, {
      headers: { cookie: admin.session.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="audit-${town.code}.csv"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('id,at,actor_kind,actor_id,actor_email,action,municipality_code,resident_id,ip,detail');
    // The export recorded itself before streaming, so it is its own first line.
    expect(lines[1]).toMatch(
      new RegExp(`^\\d+,[^,]+,staff,${admin.user.accountId},${admin.user.email.replace(/[.+]/g, '\\$&')},audit\\.export,${town.code},`),
    );
    expect(lines.find((line) => line.includes('municipality.update') && line.includes('1+2'))).toContain(",'=1+2.");
    expect(lines.at(-1)).toBe('');
  });

  it('keeps each municipality’s log to its own administrators; super-administrators search everything', async () => {
    const other = await createTestMunicipality(db, { residents: 1 });
    const outsider = await team.member(other.code, ['administrator']);
    const theirs = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/audit`, { session: outsider.session });
    expect(theirs).toMatchObject({ status: 404, body: { code: 'municipality-not-found' } });
    const staffer = await newMember(['staff', 'viewer']);
    expect((await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/audit`, { session: staffer.session })).status).toBe(
      403,
    );
    const everything = await staffCall(server, 'GET', `/api/v1/staff/audit?action=staff.create-admin&limit=200`, { session: root.session });
    expect(everything.body.entries.length).toBeGreaterThan(0);
    expect(everything.body.entries.every((e: any) => e.municipalityCode === null && e.actor.kind === 'system')).toBe(true);
  });
});
