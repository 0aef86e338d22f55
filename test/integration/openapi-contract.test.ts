import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesOf } from '../../scripts/openapi-types.js';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { contractClient, type OpenApiDocument } from '../support/openapi-client.js';
import { latestCode, startTestServer, type TestServer } from '../support/server.js';
import type { Db } from '../../server/db/database.js';
import { createAuditLog } from '../../server/modules/audit/index.js';
import { createAdminAccounts } from '../../server/modules/staff/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { freshMunicipalityCode } from '../support/fixtures.js';
import { nextCode, strongPassword, tokenOf, uniqueEmail, type StaffUser } from '../support/staff.js';
import { walkTheCampaignApi } from '../support/campaign-walk.js';
import { walkTheScheduleApi } from '../support/schedule-walk.js';
import { walkTheCheckInApi } from '../support/check-in-walk.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

/**
 * The OpenAPI document the server generates is the API's contract: Redocly's recommended rules
 * find nothing in it, with the waiting room off or on; the types committed for the web app are
 * the ones it generates now; and a client generated from it signs in, books and cancels with
 * nothing added by hand, each credential sent only where the document asks for it.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let off: TestServer;
let on: RoomServer;
let town: TestMunicipality;
let offDocument: OpenApiDocument;
let onDocument: OpenApiDocument;
let db: Db;

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 4, slots: 3 });
  off = await startTestServer(db);
  on = await startRoomServer(db);
  offDocument = (await off.request('GET', '/api/docs/json')).body;
  onDocument = await fetch(`${on.url}/api/docs/json`).then((r) => r.json());
});
afterAll(async () => {
  await off?.close();
  await on?.close();
});

/** A TCP listener standing in for an HTTP(S) proxy: it counts every connection anything tries to make. */
async function recordingProxy() {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function redoclyLint(document: object, proxyUrl: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  const cli = path.join(root, 'node_modules', '.bin', 'redocly');
  const { stdout } = await promisify(execFile)(cli, ['lint', '--config', path.join(root, 'redocly.yaml'), '--format', 'json', file], {
    cwd: root,
    // Anything the CLI fetched would go through the recording proxy (it honours these, as npm does).
    env: { ...process.env, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, https_proxy: proxyUrl, http_proxy: proxyUrl, NO_PROXY: '' },
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout) as {
    totals: { errors: number; warnings: number };
    problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
  };
}

function operations(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([url, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ url, method, operation })),
  );
}

describe('the OpenAPI document', () => {
  it('documents the same API with the waiting room off as on (its routes answer as an off room)', () => {
    expect(offDocument).toEqual(onDocument);
    expect(operations(offDocument).map((o) => o.operation.operationId)).toEqual(
      expect.arrayContaining(['joinQueue', 'getQueueStatus', 'getWaitingRoomState', 'getQueueStats']),
    );
  });

  it('passes Redocly’s recommended rules with 0 errors and 0 warnings, off and on, fetching nothing', async () => {
    const proxy = await recordingProxy();
    try {
      for (const document of [offDocument, onDocument]) {
        const report = await redoclyLint(document, proxy.url);
        const found = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
        expect(found).toEqual([]);
        expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      }
      expect(proxy.connections(), 'the lint tried to reach the network').toBe(0);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('gives every operation a verb-first operationId, its 4xx, 500 and 503 as problems, and Retry-After on every 429 and 503', () => {
    for (const { url, method, operation } of operations(offDocument)) {
      const label = `${method.toUpperCase()} ${url}`;
      expect(operation.operationId, label).toMatch(
        /^(get|list|start|send|verify|sign|add|remove|hold|release|book|change|cancel|look|join|renew|take|control|close|preview|create|update|delete|revoke|end|set|export|import|check|confirm|search|invite|issue|disable|enable|open|reopen|enrol|reset|mark|undo)[A-Z][A-Za-z]+$/,
      );
      const responses = operation.responses as Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
      const statuses = Object.keys(responses).map(Number);
      expect(statuses, label).toEqual(expect.arrayContaining([500, 503]));
      // Redocly's operation-4xx-response, without the exception redocly.yaml makes for it: only an
      // operation that takes nothing (no parameter, no body, no credential) may have no 4xx.
      const takesInput = /\{/.test(url) || method !== 'get' || (operation.security ?? []).length > 0;
      if (takesInput)
        expect(
          statuses.some((s) => s >= 400 && s < 500),
          `${label} documents no 4xx`,
        ).toBe(true);
      for (const status of statuses.filter((s) => s >= 400)) {
        expect(Object.keys(responses[status]!.content ?? {}), `${label} ${status}`).toEqual(['application/problem+json']);
        if (status === 429 || status === 503)
          expect(Object.keys(responses[status]!.headers ?? {}), `${label} ${status}`).toContain('retry-after');
      }
    }
  });

  it('is what the committed shared/api/openapi.d.ts was generated from (npm run api:types)', async () => {
    const committed = fs.readFileSync(path.join(root, API_TYPES_FILE), 'utf8');
    expect(committed === (await apiTypesOf(offDocument)), `${API_TYPES_FILE} is out of date: run npm run api:types`).toBe(true);
  });
});

describe('a client generated from the document', () => {
  it('signs in, books, changes, cancels and looks up, and walks every operation, with only the document to go on', async () => {
    const { client, called, setSecret } = contractClient(off.url, offDocument);
    const [me, relative] = [town.residents[0]!, town.residents[1]!];
    const today = localDate(new Date(), town.timeZone);
    const [from, to] = [addDays(today, 1), addDays(today, 3)];

    expect((await client.GET('/api/v1/waiting-room/state')).data).toEqual({ active: false, mode: 'off' });
    const municipality = await client.GET('/api/v1/municipalities/{code}', { params: { path: { code: town.code } } });
    expect(municipality.data?.code).toBe(town.code);

    // Sign in: voucher → SMS code (read from the demo outbox) → session cookie + CSRF token.
    const started = await client.POST('/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: me.voucherNumber, birthDate: me.birthDate },
    });
    const challengeId = started.data!.challengeId;
    const phone = '09012345678';
    const sent = await client.POST('/api/v1/auth/sms', { body: { challengeId, phone } });
    expect(sent.data?.phoneLast4).toBe('5678');
    const verified = await client.POST('/api/v1/auth/verify', { body: { challengeId, code: latestCode(off.dataDir, phone) } });
    expect(verified.data?.accountId).toBe(me.id);
    setSecret('csrf', verified.data!.csrfToken);
    const account = await client.GET('/api/v1/me');
    expect(account.data?.account.id).toBe(me.id);

    // Find a place, hold it, give it back; book, change and cancel.
    const venues = await client.GET('/api/v1/municipalities/{code}/venues', { params: { path: { code: town.code } } });
    const venueId = venues.data![0]!.id;
    const days = await client.GET('/api/v1/venues/{venueId}/days', { params: { path: { venueId }, query: { from, to } } });
    expect(days.data?.map((d) => d.mark)).toEqual(['free', 'free', 'free']);
    const slots = await client.GET('/api/v1/venues/{venueId}/slots', { params: { path: { venueId }, query: { from, to } } });
    const [first, second] = slots.data!.filter((s) => s.bookable);
    const hold = await client.POST('/api/v1/holds', { body: { slotId: first!.id } });
    expect((await client.DELETE('/api/v1/holds/{holdId}', { params: { path: { holdId: hold.data!.id } } })).response.status).toBe(204);
    const booked = await client.POST('/api/v1/reservations', { body: { slotId: first!.id } });
    const number = booked.data!.number;
    expect(booked.data?.status).toBe('booked');
    const moved = await client.POST('/api/v1/reservations/{number}/change', { params: { path: { number } }, body: { slotId: second!.id } });
    expect(moved.data?.slot.id).toBe(second!.id);
    const cancelled = await client.POST('/api/v1/reservations/{number}/cancel', { params: { path: { number } } });
    expect(cancelled.data?.status).toBe('cancelled');
    const mine = await client.GET('/api/v1/reservations');
    expect(mine.data?.find((r) => r.number === number)?.status).toBe('cancelled');
    const found = await client.POST('/api/v1/reservations/lookup', { body: { reservationNumber: number, birthDate: me.birthDate } });
    expect(found.data?.number).toBe(number);

    // Family, the waiting room (off) and its operators' side, signing out.
    const member = await client.POST('/api/v1/me/family', {
      body: { voucherNumber: relative.voucherNumber, birthDate: relative.birthDate },
    });
    expect(member.data?.relation).toBe('family');
    const together = await client.POST('/api/v1/reservations/together', {
      body: { slotId: second!.id, residentIds: [me.id, relative.id] },
    });
    expect(together.data?.reservations.map((r) => r.residentId).sort()).toEqual([me.id, relative.id].sort());
    for (const r of together.data?.reservations ?? [])
      await client.POST('/api/v1/reservations/{number}/cancel', { params: { path: { number: r.number } } });
    const preferences = await client.PATCH('/api/v1/me/notifications', { body: { channel: 'both', email: 'me@example.jp' } });
    expect(preferences.data).toEqual({ channel: 'both', reminders: true, email: 'me@example.jp', phoneLast4: '5678', language: 'ja' });
    expect((await client.GET('/api/v1/me/notifications')).data?.channel).toBe('both');
    expect((await client.DELETE('/api/v1/me/family/{residentId}', { params: { path: { residentId: relative.id } } })).response.status).toBe(
      204,
    );
    const join = await client.POST('/api/v1/waiting-room/join', {
      body: { municipalityCode: town.code, voucherNumber: me.voucherNumber, birthDate: me.birthDate },
    });
    expect(join.error?.code).toBe('waiting-room-off');
    expect((await client.POST('/api/v1/waiting-room/ticket', { body: {} })).error?.code).toBe('waiting-room-off');
    expect((await client.POST('/api/v1/waiting-room/admit', { body: {} })).error?.code).toBe('waiting-room-off');
    expect(
      (await client.GET('/api/v1/waiting-room/queues/{queueId}/status', { params: { path: { queueId: town.code } } })).response.status,
    ).toBe(404);
    expect((await client.POST('/api/v1/auth/logout')).response.status).toBe(204);

    // A second sign-in, ended on every device at once.
    const again = await client.POST('/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: me.voucherNumber, birthDate: me.birthDate },
    });
    await client.POST('/api/v1/auth/sms', { body: { challengeId: again.data!.challengeId, phone } });
    const reverified = await client.POST('/api/v1/auth/verify', {
      body: { challengeId: again.data!.challengeId, code: latestCode(off.dataDir, phone) },
    });
    setSecret('csrf', reverified.data!.csrfToken);
    expect((await client.POST('/api/v1/auth/logout-everywhere')).response.status).toBe(204);

    await walkTheStaffApi(client, setSecret);

    expect([...called].sort()).toEqual(
      operations(offDocument)
        .map((o) => o.operation.operationId)
        .sort(),
    );
  });

  it('polls a queue’s status with the room on, and gets a 304 for the ETag it has', async () => {
    const { client } = contractClient(on.url, onDocument);
    const me = town.residents[2]!;
    const joined = await client.POST('/api/v1/waiting-room/join', {
      body: { municipalityCode: town.code, voucherNumber: me.voucherNumber, birthDate: me.birthDate },
    });
    const queueId = joined.data!.queueId;
    const status = await client.GET('/api/v1/waiting-room/queues/{queueId}/status', { params: { path: { queueId } } });
    expect(status.data?.queueId).toBe(queueId);
    const etag = status.response.headers.get('etag')!;
    const again = await client.GET('/api/v1/waiting-room/queues/{queueId}/status', {
      params: { path: { queueId }, header: { 'if-none-match': etag } },
    });
    expect(again.response.status).toBe(304);
  });
});

/**
 * The staff side, as the staff app will use it: create-admin's link is opened and used to enrol
 * (the code computed from the secret the answer shows), then every staff operation once.
 */
async function walkTheStaffApi(
  client: ReturnType<typeof contractClient>['client'],
  setSecret: ReturnType<typeof contractClient>['setSecret'],
): Promise<void> {
  const admins = createAdminAccounts({ db, clock: systemClock, publicUrl: off.url, audit: createAuditLog(db) });
  const email = uniqueEmail('contract');
  const first = await admins.createAdmin(email);
  const token = tokenOf(first.link.url);
  const opened = await client.POST('/api/v1/staff/links/open', { body: { token } });
  expect(opened.data).toMatchObject({ purpose: 'enrolment', email });
  const user: StaffUser = {
    accountId: first.accountId,
    email,
    password: strongPassword(),
    secret: opened.data!.totp!.secret,
    recoveryCodes: [],
    lastStep: 0,
  };
  const enrolled = await client.POST('/api/v1/staff/enrolment', { body: { token, password: user.password, code: await nextCode(user) } });
  expect(enrolled.data?.recoveryCodes).toHaveLength(10);
  setSecret('csrf', enrolled.data!.csrfToken);
  expect((await client.GET('/api/v1/staff/me')).data?.account.superAdmin).toBe(true);
  expect((await client.PATCH('/api/v1/staff/me', { body: { language: 'en' } })).data?.language).toBe('en');

  const code = await freshMunicipalityCode(db);
  const municipalityCode = { municipalityCode: code };
  const created = await client.POST('/api/v1/staff/municipalities', {
    body: { code, nameJa: '契約町', nameEn: 'Contract Town', timeZone: 'Asia/Tokyo' },
  });
  expect(created.data?.code).toBe(code);
  expect((await client.GET('/api/v1/staff/municipalities')).data?.map((m) => m.code)).toContain(code);
  expect((await client.GET('/api/v1/staff/me/memberships')).data?.memberships.map((m) => m.municipalityCode)).toContain(code);
  expect((await client.GET('/api/v1/staff/municipalities/{municipalityCode}', { params: { path: municipalityCode } })).data?.nameEn).toBe(
    'Contract Town',
  );
  const patched = await client.PATCH('/api/v1/staff/municipalities/{municipalityCode}', {
    params: { path: municipalityCode },
    body: { callCentrePhone: '03-1234-5678' },
  });
  expect(patched.data?.callCentrePhone).toBe('03-1234-5678');
  const settings = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/settings', { params: { path: municipalityCode } });
  const saved = await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/settings', {
    params: { path: municipalityCode },
    body: { ...settings.data!.settings, familyLimit: 3 },
  });
  expect(saved.data?.familyLimit).toBe(3);

  // Messages: who receives confirmations, the month's figures, the failures.
  const notifySettings = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/notifications/settings', {
    params: { path: municipalityCode },
  });
  expect(notifySettings.data).toEqual({ confirmationRecipient: 'both', reminderHour: 10 });
  const notifySaved = await client.PATCH('/api/v1/staff/municipalities/{municipalityCode}/notifications/settings', {
    params: { path: municipalityCode },
    body: { confirmationRecipient: 'booker' },
  });
  expect(notifySaved.data?.confirmationRecipient).toBe('booker');
  const usage = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/notifications/usage', {
    params: { path: municipalityCode, query: { month: new Date().toISOString().slice(0, 7) } },
  });
  expect(usage.data?.costYen).toBe(0);
  const failures = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/notifications/failures', {
    params: { path: municipalityCode },
  });
  expect(failures.data?.items).toEqual([]);

  const invited = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts', {
    params: { path: municipalityCode },
    body: { email: uniqueEmail('member'), displayName: 'Member', roles: ['staff'] },
  });
  const member = { ...municipalityCode, accountId: invited.data!.account.id };
  expect(invited.data?.link?.purpose).toBe('enrolment');
  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/accounts', { params: { path: municipalityCode } })).data,
  ).toHaveLength(1);
  const roles = await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/roles', {
    params: { path: member },
    body: { roles: ['viewer', 'staff'] },
  });
  expect(roles.data?.roles).toEqual(['staff', 'viewer']);
  const memberLink = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/links', {
    params: { path: member },
    body: { purpose: 'enrolment' },
  });
  expect(memberLink.data?.purpose).toBe('enrolment');
  expect(
    (await client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/disable', { params: { path: member } })).data
      ?.status,
  ).toBe('disabled');
  expect(
    (await client.POST('/api/v1/staff/municipalities/{municipalityCode}/accounts/{accountId}/enable', { params: { path: member } })).data
      ?.status,
  ).toBe('invited');

  const other = await client.POST('/api/v1/staff/accounts', {
    body: { email: uniqueEmail('other'), displayName: 'Other', superAdmin: false },
  });
  const otherId = { accountId: other.data!.account.id };
  expect((await client.GET('/api/v1/staff/accounts')).data?.map((a) => a.id)).toContain(otherId.accountId);
  expect(
    (await client.PUT('/api/v1/staff/accounts/{accountId}/super-admin', { params: { path: otherId }, body: { superAdmin: true } })).data
      ?.superAdmin,
  ).toBe(true);
  expect((await client.POST('/api/v1/staff/accounts/{accountId}/disable', { params: { path: otherId } })).data?.status).toBe('disabled');
  expect((await client.POST('/api/v1/staff/accounts/{accountId}/enable', { params: { path: otherId } })).data?.status).toBe('invited');
  expect(
    (await client.POST('/api/v1/staff/accounts/{accountId}/links', { params: { path: otherId }, body: { purpose: 'enrolment' } })).data
      ?.purpose,
  ).toBe('enrolment');

  const audit = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/audit', {
    params: { path: municipalityCode, query: { action: 'staff.' } },
  });
  expect(audit.data?.entries.map((e) => e.action)).toContain('staff.invite');
  const csv = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/audit/export', {
    params: { path: municipalityCode },
    parseAs: 'text',
  });
  expect(csv.data).toMatch(/^\uFEFF?id,at,actor_kind/);
  expect((await client.GET('/api/v1/staff/audit', { params: { query: { municipalityCode: code, limit: 5 } } })).data?.entries).toHaveLength(
    5,
  );
  expect(
    (await client.GET('/api/v1/staff/audit/export', { params: { query: { municipalityCode: code } }, parseAs: 'text' })).data,
  ).toContain('municipality.create');
  const failed = (await client.GET('/api/v1/staff/jobs/failed', { params: { query: { limit: 5 } } })).data;
  expect(failed?.jobs.length).toBeLessThanOrEqual(5);

  await walkTheCampaignApi(client, code, db);
  await walkTheScheduleApi(client, code);

  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/waiting-room', { params: { path: municipalityCode } })).data,
  ).toMatchObject({ mode: 'off', queues: [] });
  expect((await client.GET('/api/v1/staff/waiting-room')).data).toMatchObject({ mode: 'off', active: false, queues: [] });
  expect((await client.POST('/api/v1/staff/waiting-room/control', { body: { paused: true } })).error?.code).toBe('waiting-room-off');

  // The call centre, in the test's town (a super-administrator may act in every municipality).
  const centre = { municipalityCode: town.code };
  const caller = town.residents[3]!;
  const found = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/callers', {
    params: { path: centre, query: { voucherNumber: caller.voucherNumber, birthDate: caller.birthDate } },
  });
  expect(found.data?.results.map((r) => r.residentId)).toEqual([caller.id]);
  const person = { ...centre, residentId: caller.id };
  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/residents/{residentId}', { params: { path: person } }))
      .data?.person.residentId,
  ).toBe(caller.id);
  expect(
    (
      await client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/residents/{residentId}/notes', {
        params: { path: person },
        body: { body: 'contract' },
      })
    ).data?.body,
  ).toBe('contract');
  const phoned = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations', {
    params: { path: centre },
    body: { residentId: caller.id, slotId: town.slotIds[0]! },
  });
  expect(phoned.data?.madeBy).toBe('operator');
  const booking = { ...centre, number: phoned.data!.number };
  const card = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations/{number}/postcard', {
    params: { path: booking, query: { language: 'en' } },
    parseAs: 'arrayBuffer',
  });
  expect(Buffer.from(card.data!).subarray(0, 5).toString()).toBe('%PDF-');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: town.timeZone }).format(new Date());
  const batch = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/postcards', {
    params: { path: centre, query: { madeOn: today } },
    parseAs: 'arrayBuffer',
  });
  expect(batch.response.headers.get('content-type')).toBe('application/pdf');
  expect(
    (
      await client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations/{number}/change', {
        params: { path: booking },
        body: { slotId: town.slotIds[1]! },
      })
    ).data?.slot.id,
  ).toBe(town.slotIds[1]);
  expect(
    (
      await client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations/{number}/cancel', {
        params: { path: booking },
      })
    ).data?.status,
  ).toBe('cancelled');
  const dashboard = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/dashboard', { params: { path: centre } });
  expect(dashboard.data?.totals.cancelled).toBeGreaterThanOrEqual(1);
  // The event stream never ends by itself: its first event is enough.
  const events = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/dashboard/live', {
    params: { path: centre },
    parseAs: 'stream',
  });
  const reader = (events.data as ReadableStream<Uint8Array>).getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: dashboard');
  await reader.cancel();
  const scripts = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/scripts', { params: { path: centre } });
  expect(
    (
      await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/call-centre/scripts', {
        params: { path: centre },
        body: scripts.data!,
      })
    ).data,
  ).toEqual(scripts.data);

  await walkTheCheckInApi(client, town, db);

  // A password reset of one's own account, proven with the authenticator; then out, and in with a recovery code.
  const reset = await client.POST('/api/v1/staff/accounts/{accountId}/links', {
    params: { path: { accountId: user.accountId } },
    body: { purpose: 'password-reset' },
  });
  user.password = strongPassword();
  const renewed = await client.POST('/api/v1/staff/password-reset', {
    body: { token: tokenOf(reset.data!.url), password: user.password, code: await nextCode(user) },
  });
  setSecret('csrf', renewed.data!.csrfToken);
  expect((await client.POST('/api/v1/staff/sign-out')).response.status).toBe(204);
  const signedIn = await client.POST('/api/v1/staff/sign-in', {
    body: { email, password: user.password, code: enrolled.data!.recoveryCodes[0]! },
  });
  setSecret('csrf', signedIn.data!.csrfToken);
  expect((await client.POST('/api/v1/staff/sign-out-everywhere')).response.status).toBe(204);
}
