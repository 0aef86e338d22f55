import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { insertResidents, insertSlots, insertVenue } from '../../server/demo/seed.js';
import { createInProcessEventBus } from '../../server/platform/event-bus.js';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { freshMunicipalityCode } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { enrolThrough, runCreateAdmin, staffCall, uniqueEmail, type StaffSession, type StaffUser } from '../support/staff.js';
import { serviceUrls, TEST_SCHEMA, testTarget } from '../support/target.js';

/**
 * The first day of a deployment, through HTTP only: `npm run create-admin` prints a link; the
 * super-administrator enrols (the code computed from the secret the page shows), creates a
 * municipality and invites its administrator, who enrols and invites staff with roles, and changes
 * a setting that the booking rules use at once, with no restart.
 */
let db: Db;
let ownDb: Db | undefined;
let server: TestServer;
let root: { user: StaffUser; session: StaffSession; opened: any };
let admin: { user: StaffUser; session: StaffSession };
let code: string;
let printed: Awaited<ReturnType<typeof runCreateAdmin>>;
const rootEmail = uniqueEmail('root');

beforeAll(async () => {
  // The script is a process of its own, on the database the server uses: on the embedded PGlite a
  // folder of its own (the worker's database is open, and PGlite serves one process), on PostgreSQL the test schema.
  if (testTarget === 'embedded') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-create-admin-'));
    printed = await runCreateAdmin(rootEmail, { DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_URL: 'https://yoyaku.example.jp' });
    ownDb = db = await openDatabase({ url: undefined, dataDir, schema: 'public', poolMax: 1 });
  } else {
    printed = await runCreateAdmin(rootEmail, {
      DATABASE_URL: serviceUrls().databaseUrl,
      DATABASE_SCHEMA: TEST_SCHEMA,
      PUBLIC_URL: 'https://yoyaku.example.jp',
    });
    db = await testDatabase();
  }
  server = await startTestServer(db, { env: { PUBLIC_URL: 'https://yoyaku.example.jp' } });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await ownDb?.destroy();
});

describe('a deployment’s first day, from create-admin on', () => {
  it('create-admin prints a one-time enrolment link under PUBLIC_URL and how long it is valid', () => {
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`Super-administrator ${rootEmail} created`);
    expect(printed.stdout).toMatch(/works once, for 72 hours, until \d{4}-\d\d-\d\dT/);
    expect(printed.link).toMatch(/^https:\/\/yoyaku\.example\.jp\/admin\/enrol#[A-Za-z0-9_-]{43}$/);
  });

  it('the super-administrator enrols with a code computed from the secret on the page, once', async () => {
    root = await enrolThrough(server, printed.link!);
    expect(root.opened).toMatchObject({ purpose: 'enrolment', email: rootEmail });
    expect(root.opened.totp.otpauthUri).toMatch(/^otpauth:\/\/totp\/Yoyaku:/);
    expect(root.opened.totp.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(root.user.recoveryCodes).toHaveLength(10);
    const me = await staffCall(server, 'GET', '/api/v1/staff/me', { session: root.session });
    expect(me.body.account).toMatchObject({ email: rootEmail, superAdmin: true, status: 'active' });
    // The link is spent.
    const again = await staffCall(server, 'POST', '/api/v1/staff/links/open', { body: { token: printed.link!.split('#')[1] } });
    expect(again.body.code).toBe('link-invalid');
  });

  it('creates a municipality; a wrong check digit, an unknown time zone and a bad phone are each named', async () => {
    code = await freshMunicipalityCode(db);
    const wrongDigit = `${code.slice(0, 5)}${(Number(code[5]) + 1) % 10}`;
    const refused = await staffCall(server, 'POST', '/api/v1/staff/municipalities', {
      session: root.session,
      headers: { 'accept-language': 'en' },
      body: { code: wrongDigit, nameJa: '新町', nameEn: 'Shinmachi', timeZone: 'Asia/Tokio', callCentrePhone: '0120-12' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { field: 'code', rule: 'checkDigit', message: expect.stringContaining('check digit') },
      { field: 'timeZone', rule: 'timeZone', message: expect.stringContaining('time zone') },
      { field: 'callCentrePhone', rule: 'phone', message: expect.stringContaining('phone') },
    ]);
    const created = await staffCall(server, 'POST', '/api/v1/staff/municipalities', {
      session: root.session,
      body: { code, nameJa: '新町', nameEn: 'Shinmachi', timeZone: 'Asia/Tokyo', callCentrePhone: '03-1234-5678' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ code, nameEn: 'Shinmachi', timeZone: 'Asia/Tokyo' });
    const taken = await staffCall(server, 'POST', '/api/v1/staff/municipalities', {
      session: root.session,
      body: { code, nameJa: '新町', nameEn: 'Shinmachi', timeZone: 'Asia/Tokyo' },
    });
    expect(taken.body.code).toBe('municipality-exists');
  });

  it('invites an administrator, who enrols and invites staff with roles', async () => {
    const invited = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${code}/accounts`, {
      session: root.session,
      body: { email: uniqueEmail('admin'), displayName: '管理 花子', roles: ['administrator'] },
    });
    expect(invited.status, invited.text).toBe(201);
    expect(invited.body.link.url).toMatch(/^https:\/\/yoyaku\.example\.jp\/admin\/enrol#/);
    admin = await enrolThrough(server, invited.body.link.url);
    const memberships = await staffCall(server, 'GET', '/api/v1/staff/me/memberships', { session: admin.session });
    expect(memberships.body).toEqual({
      superAdmin: false,
      memberships: [
        expect.objectContaining({ municipalityCode: code, roles: ['administrator'], actions: expect.arrayContaining(['settings.update']) }),
      ],
    });

    const staffer = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${code}/accounts`, {
      session: admin.session,
      body: { email: uniqueEmail('staffer'), displayName: '職員 太郎', roles: ['staff', 'viewer'], language: 'en' },
    });
    const operator = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${code}/accounts`, {
      session: admin.session,
      body: { email: uniqueEmail('operator'), displayName: 'Call centre', roles: ['operator'] },
    });
    expect([staffer.status, operator.status]).toEqual([201, 201]);
    const operatorUser = await enrolThrough(server, operator.body.link.url);
    const list = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${code}/accounts`, { session: admin.session });
    const byEmail = new Map<string, any>(list.body.map((a: any) => [a.email, a]));
    expect(byEmail.get(staffer.body.account.email)).toMatchObject({ roles: ['staff', 'viewer'], status: 'invited', language: 'en' });
    expect(byEmail.get(operator.body.account.email)).toMatchObject({ roles: ['operator'], status: 'active', managedHere: true });
    expect(byEmail.get(admin.user.email)).toMatchObject({ roles: ['administrator'] });

    // What each may do follows from the roles, and nobody may make themselves more.
    const opSettings = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/settings`, {
      session: operatorUser.session,
      body: {},
    });
    expect(opSettings.body.code).toBe('forbidden');
    const self = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/accounts/${admin.user.accountId}/roles`, {
      session: admin.session,
      body: { roles: ['administrator', 'staff'] },
    });
    expect(self.body.code).toBe('own-account');
    const superAdmin = await staffCall(server, 'POST', '/api/v1/staff/accounts', {
      session: admin.session,
      body: { email: uniqueEmail('x'), displayName: 'x', superAdmin: true },
    });
    expect(superAdmin.body.code).toBe('forbidden');
  });

  it('changes a setting that the booking rules use from the next request, with no restart', async () => {
    const venueId = await insertVenue(db, {
      municipalityCode: code,
      nameJa: '会場',
      nameEn: 'Venue',
      address: '東京都',
      vaccine: 'pfizer',
    });
    const today = localDate(new Date(), 'Asia/Tokyo');
    const [slotId] = await insertSlots(db, venueId, {
      from: addDays(today, 1),
      to: addDays(today, 2),
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      times: ['10:00'],
      durationMinutes: 30,
      capacity: 10,
      opensDaysBefore: 400,
      opensAtTime: '00:00',
      closesDaysBefore: 0,
      closesAtTime: '00:00',
      timeZone: 'Asia/Tokyo',
    });
    const [residentId] = await insertResidents(db, code, [
      {
        voucherNumber: '3000000001',
        birthDate: '1970-01-01',
        nameKanji: '住民 一',
        nameKana: 'ジュウミン イチ',
        sex: 'F',
        phone: null,
        doses: [],
      },
    ]);
    const resident = server.sessionFor(residentId!, code);
    // The booking path has this municipality's policy in its cache now.
    const held = await server.request('POST', '/api/v1/holds', { session: resident, body: { slotId } });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    await server.request('DELETE', `/api/v1/holds/${held.body.id}`, { session: resident });

    const current = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${code}/settings`, { session: admin.session });
    expect(current.body.settings).toEqual(current.body.defaults);
    const settings = structuredClone(current.body.settings);
    settings.vaccines.pfizer.minAgeYears = 65;
    settings.vaccines.pfizer.maxAgeYears = 60;
    settings.holdMinutes = 0;
    const refused = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/settings`, {
      session: admin.session,
      headers: { 'accept-language': 'ja' },
      body: settings,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: any) => [e.field, e.rule])).toEqual([['holdMinutes', 'minimum']]);
    expect(refused.body.errors[0].message).toBe('1以上にしてください。');
    settings.holdMinutes = 5;
    const crossed = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/settings`, {
      session: admin.session,
      body: settings,
    });
    expect(crossed.body.errors.map((e: any) => [e.field, e.rule])).toEqual([['vaccines.pfizer.maxAgeYears', 'minAgeAboveMax']]);
    delete settings.vaccines.pfizer.maxAgeYears;
    delete settings.vaccines.moderna;
    const saved = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/settings`, {
      session: admin.session,
      body: settings,
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.vaccines.pfizer.minAgeYears).toBe(65);
    expect(saved.body.vaccines.moderna).toBeUndefined();

    // The very next hold, in the same process whose cache had the old policy: 56 is under 65 now.
    const tooYoung = await server.request('POST', '/api/v1/holds', { session: resident, body: { slotId } });
    expect(tooYoung.body.code).toBe('not-eligible-age');

    const removed = structuredClone(settings);
    delete removed.vaccines.pfizer;
    const inUse = await staffCall(server, 'PUT', `/api/v1/staff/municipalities/${code}/settings`, {
      session: admin.session,
      body: removed,
    });
    expect(inUse.body.errors.map((e: any) => [e.field, e.rule])).toEqual([['vaccines.pfizer', 'vaccineInUse']]);

    const audit = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${code}/audit?action=settings.update`, {
      session: admin.session,
    });
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        action: 'settings.update',
        actor: expect.objectContaining({ kind: 'staff', id: String(admin.user.accountId), email: admin.user.email }),
        municipalityCode: code,
        ip: '127.0.0.1',
        detail: { changed: ['vaccines'] },
      }),
    ]);
  });
});

describe.skipIf(testTarget !== 'services')('a setting changed on one server process is used by another at once (PostgreSQL NOTIFY)', () => {
  it('announces the change on the event bus; a process that does not hear it keeps its cached copy', async () => {
    const listening = await startTestServer(db);
    const deaf = await startTestServer(db, { events: createInProcessEventBus() });
    try {
      const nameOn = async (s: TestServer) => (await s.request('GET', `/api/v1/municipalities/${code}`)).body.nameEn as string;
      expect([await nameOn(listening), await nameOn(deaf)]).toEqual(['Shinmachi', 'Shinmachi']);
      const patched = await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${code}`, {
        session: admin.session,
        body: { nameEn: 'Shinmachi Town' },
      });
      expect(patched.status, patched.text).toBe(200);
      const started = Date.now();
      while ((await nameOn(listening)) !== 'Shinmachi Town' && Date.now() - started < 2_000) await new Promise((r) => setTimeout(r, 20));
      expect(await nameOn(listening)).toBe('Shinmachi Town');
      expect(Date.now() - started).toBeLessThan(2_000);
      // Without the bus the copy would stay for up to 30 s: the bus, not luck, made it fresh.
      expect(await nameOn(deaf)).toBe('Shinmachi');
    } finally {
      await listening.close();
      await deaf.close();
    }
  });
});
