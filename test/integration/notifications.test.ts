import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createMunicipalitiesRepository } from '../../server/modules/municipalities/index.js';
import {
  createNotifications,
  createTwilioSmsSender,
  createWebhookSmsSender,
  type Notifications,
  type Providers,
  type SmsProvider,
} from '../../server/modules/notifications/index.js';
import { createReservationsService } from '../../server/modules/reservations/index.js';
import { createResidentsRepository } from '../../server/modules/residents/index.js';
import { createVenuesRepository } from '../../server/modules/venues/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createJobEngine, createJobQueue, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTwilioPeer, startWebhookPeer, type HttpPeer } from '../support/provider-peers.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

/**
 * The outbox: a booking's messages are written in its transaction (never one without the other),
 * sent by the job worker once, even with two workers or a sender that died mid-send, with retries
 * and back-off, and a permanent failure recorded with its reason.
 */
const { databaseUrl } = serviceUrls();
/** A pg-boss schema of this file's own, so no other test's workers take its jobs. */
const jobsSchema = databaseUrl ? `${TEST_SCHEMA}_pgboss_n` : 'pgboss_n';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const SECRET = 'a-webhook-secret-of-at-least-32-characters';
const logger = createLogger('silent');

let db: Db;
let town: TestMunicipality;
let server: TestServer;
let twilio: HttpPeer;
const queues: JobQueue[] = [];
const peers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 40, slots: 3, capacity: 100 });
  server = await startTestServer(db, { redisPrefix: 'notifications' });
  twilio = await startTwilioPeer(SID, 'token');
  peers.push(twilio);
  // Every resident has a confirmed number, as after a sign-in.
  for (const r of town.residents) {
    await db
      .insertInto('notification_preferences')
      .values({ resident_id: r.id, phone: `+8190${String(r.id).padStart(8, '0')}`, language: r.id % 2 ? 'ja' : 'en' })
      .onConflict((oc) => oc.column('resident_id').doUpdateSet({ phone: `+8190${String(r.id).padStart(8, '0')}` }))
      .execute();
  }
});

afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop()));
  await server?.close();
  await Promise.all(peers.map((p) => p.close()));
});

function notificationsWith(providers: Providers, options: { staleSeconds?: number; sendRetryDelaySeconds?: number } = {}): Notifications {
  return createNotifications({ db, clock: systemClock, logger, providers, publicUrl: 'https://yoyaku.example.jp', ...options });
}

function reservationsWith(notifier: Parameters<typeof createReservationsService>[0]['notifier']) {
  return createReservationsService({
    db,
    clock: systemClock,
    municipalities: createMunicipalitiesRepository(db, systemClock),
    venues: createVenuesRepository(db),
    residents: createResidentsRepository(db),
    notifier,
  });
}

async function startWorker(notifications: Notifications, options: { pollMs?: number } = {}) {
  const pollMs = options.pollMs ?? 200;
  const boss = createJobEngine({
    url: databaseUrl,
    db,
    schema: jobsSchema,
    poolMax: 2,
    work: true,
    maintenanceSeconds: 1,
    cronCheckSeconds: 1,
    pollMs,
    logger,
  });
  const jobs = createJobQueue({ boss, db, logger, pollMs, stopGraceMs: 2000 });
  notifications.registerJobs(jobs, { sweepSeconds: 3600, reminderCron: '0 0 1 1 *' });
  await jobs.start({ work: true });
  queues.push(jobs);
  return jobs;
}

const outboxOf = (reservationNumber: string) =>
  db
    .selectFrom('notification_outbox')
    .innerJoin('reservations', 'reservations.id', 'notification_outbox.reservation_id')
    .selectAll('notification_outbox')
    .where('reservations.number', '=', reservationNumber)
    .orderBy('notification_outbox.id')
    .execute();

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const resident = (i: number) => town.residents[i]!;
const actorFor = (i: number) => ({ kind: 'resident' as const, accountId: resident(i).id, municipalityCode: town.code });

describe('a booking and its messages commit together', () => {
  it('writes the confirmation in the booking transaction, in the resident’s language, to the confirmed number', async () => {
    const session = server.sessionFor(resident(0).id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const rows = await outboxOf(booked.body.number);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'booking-confirmed',
      channel: 'sms',
      status: 'pending',
      delivery: 'at-least-once',
      recipient: `+8190${String(resident(0).id).padStart(8, '0')}`,
      language: resident(0).id % 2 ? 'ja' : 'en',
    });
    expect(rows[0]!.body).toContain(resident(0).id % 2 ? 'テスト市' : 'Test City');
    expect(rows[0]!.body).toContain(`${booked.body.number.slice(0, 4)}-${booked.body.number.slice(4)}`);

    const changed = await server.request('POST', `/api/v1/reservations/${booked.body.number}/change`, {
      session,
      body: { slotId: town.slotIds[1] },
    });
    expect(changed.status).toBe(200);
    const cancelled = await server.request('POST', `/api/v1/reservations/${booked.body.number}/cancel`, { session });
    expect(cancelled.status).toBe(200);
    expect((await outboxOf(booked.body.number)).map((r) => r.kind)).toEqual(['booking-confirmed', 'booking-changed', 'booking-cancelled']);
  });

  it('owes the confirmation from the booking’s own statement: a process that stops before writing it leaves it to the sweep, written once', async () => {
    // A notifier that is never told: the process died between the commit and writing the message.
    const stopped = reservationsWith(undefined);
    const person = resident(1);
    const booked = await stopped.book(actorFor(1), { residentId: person.id, slotId: town.slotIds[0]! });
    const owed = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select('reservation_events.notice')
      .where('reservations.number', '=', booked.number)
      .execute();
    expect(owed).toEqual([{ notice: 'booking-confirmed' }]);
    expect(await outboxOf(booked.number)).toEqual([]);

    // Five processes' sweeps at once: each event is taken by one of them (SKIP LOCKED), once.
    const sweeps = Array.from({ length: 5 }, () => notificationsWith({ sms: undefined as never, email: undefined }));
    await Promise.all(sweeps.map((n) => n.writeOwed()));
    await Promise.all(sweeps.map((n) => n.writeOwed()));
    // Other files' servers share this database and may have taken the event first (SKIP LOCKED):
    // wait for whichever writer holds it, then count.
    await sweeps[0]!.settled();
    const rows = await outboxOf(booked.number);
    expect(rows.map((r) => r.kind)).toEqual(['booking-confirmed']);
    expect(rows[0]!.recipient).toBe(`+8190${String(person.id).padStart(8, '0')}`);
  });

  it('settles only once every message owed at the call is written, whichever process writes it (20 rounds against 4 racing sweeps)', async () => {
    // What a test (or a shutdown) relies on: after settled(), a committed booking's message is in
    // the outbox, even when another process's writer took the event with SKIP LOCKED meanwhile.
    const stopped = reservationsWith(undefined);
    const observer = notificationsWith({ sms: undefined as never, email: undefined });
    const sweeps = Array.from({ length: 4 }, () => notificationsWith({ sms: undefined as never, email: undefined }));
    const missing: string[] = [];
    for (let round = 0; round < 20; round++) {
      const i = 30 + (round % 10);
      const booked = await stopped.book(actorFor(i), { residentId: resident(i).id, slotId: town.slotIds[0]! });
      const [seen] = await Promise.all([
        observer.settled().then(() => outboxOf(booked.number)),
        ...sweeps.map((n, k) => new Promise((resolve) => setTimeout(resolve, k)).then(() => n.writeOwed())),
      ]);
      if (seen.length !== 1) missing.push(booked.number);
      await stopped.cancel(actorFor(i), { number: booked.number });
    }
    expect(missing).toEqual([]);
  });

  it('owes nothing for a booking the database refused: no event, no message, the count unchanged', async () => {
    const person = resident(2);
    const session = server.sessionFor(person.id, town.code);
    const before = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[1]!).executeTakeFirstOrThrow();
    // The same first dose 10 times at once: one wins; the others are refused by the unique index
    // inside their statement (409, those that decided dose 1 before it committed) or by the dose
    // rules (422, those that read it; on the one-connection embedded database, all of them).
    const tries = await Promise.all(
      Array.from({ length: 10 }, () => server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[1] } })),
    );
    expect(tries.filter((r) => r.status === 201)).toHaveLength(1);
    expect(tries.every((r) => [201, 409, 422].includes(r.status))).toBe(true);
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('reservations.resident_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(1);
    const messages = await db.selectFrom('notification_outbox').select('kind').where('resident_id', '=', person.id).execute();
    expect(messages.map((m) => m.kind)).toEqual(['booking-confirmed']);
    const after = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[1]!).executeTakeFirstOrThrow();
    expect(after.taken).toBe(before.taken + 1);
  });

  it('never has a booking without its confirmation, through a burst of 20 parallel bookings', async () => {
    const bookings = await Promise.all(
      Array.from({ length: 20 }, (_, k) => {
        const i = 10 + k;
        return server.request('POST', '/api/v1/reservations', {
          session: server.sessionFor(resident(i).id, town.code),
          body: { slotId: town.slotIds[2] },
        });
      }),
    );
    expect(bookings.map((b) => b.status)).toEqual(Array(20).fill(201));
    const missing = await db
      .selectFrom('reservations')
      .innerJoin('residents', 'residents.id', 'reservations.resident_id')
      .select('reservations.number')
      .where('residents.municipality_code', '=', town.code)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notification_outbox')
              .select('notification_outbox.id')
              .whereRef('notification_outbox.reservation_id', '=', 'reservations.id')
              .where('notification_outbox.kind', '=', 'booking-confirmed'),
          ),
        ),
      )
      .execute();
    expect(missing).toEqual([]);
  });
});

/** An outbox row written straight in, as the notifier writes one. */
async function insertRow(kind: 'reminder' | 'sign-in-code', to: string): Promise<number> {
  const row = await db
    .insertInto('notification_outbox')
    .values({
      idempotency_key: randomUUID(),
      municipality_code: town.code,
      resident_id: resident(2).id,
      kind,
      channel: 'sms',
      delivery: kind === 'sign-in-code' ? 'at-most-once' : 'at-least-once',
      recipient: to,
      language: 'ja',
      body: `テスト ${to}`,
      segments: 1,
      encoding: 'ucs2',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('sending once', () => {
  it('sends each row once when two workers race over the same outbox (50 claims at once)', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    const provider = () => ({
      sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca }),
      email: undefined,
    });
    const [a, b] = [notificationsWith(provider()), notificationsWith(provider())];
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => insertRow('reminder', `+81800000${String(i).padStart(4, '0')}`)));
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, k) => (k % 2 ? a : b).delivery.deliver(ids[k % ids.length]!, { finalAttempt: false })),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(10);
    expect(peer.requests).toHaveLength(10);
    expect(new Set(peer.requests.map((r) => new URLSearchParams(r.body).get('To'))).size).toBe(10);
  });

  it('delivers through two job workers, with duplicate jobs for every row, once per row', async () => {
    const gateway = await startWebhookPeer(SECRET);
    const counting = await startTwilioPeer(SID, 'token');
    peers.push(gateway, counting);
    const provider = () => ({
      sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: counting.url, ca: counting.ca }),
      email: undefined,
    });
    const one = notificationsWith(provider());
    const two = notificationsWith(provider());
    await startWorker(one);
    await startWorker(two);
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => insertRow('reminder', `+81700000${String(i).padStart(4, '0')}`)));
    // Each row gets two jobs (a sweep and the original, say): the claim keeps one send.
    await db.transaction().execute(async (tx) => {
      for (const id of ids) {
        for (let copy = 0; copy < 2; copy++) {
          await queues[0]!.send({ name: 'notifications.send' } as never, { outboxId: id, municipalityCode: town.code } as never, { tx });
        }
      }
    });
    await waitFor('every row sent', async () => {
      const rows = await db.selectFrom('notification_outbox').select('status').where('id', 'in', ids).execute();
      return rows.every((r) => r.status === 'sent') || undefined;
    });
    expect(counting.requests).toHaveLength(30);
    // The next tests start workers of their own, with other providers.
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });

  it('after a crash between the send and marking it sent: a reminder is sent again, a sign-in code is not', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    const real = createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca });
    // Sends, then never comes back: as if the process died before it could mark the row.
    const dying: SmsProvider = { ...real, send: async (m, s) => (await real.send(m, s), new Promise(() => undefined)) };
    const crashed = notificationsWith({ sms: dying, email: undefined }, { staleSeconds: 1 });
    const reminder = await insertRow('reminder', '+818011110000');
    const code = await insertRow('sign-in-code', '+818011110001');
    void crashed.delivery.deliver(reminder, { finalAttempt: false });
    void crashed.delivery.deliver(code, { finalAttempt: false });
    await waitFor('both sent once', async () => peer.requests.length === 2 || undefined);
    expect(
      (await db.selectFrom('notification_outbox').select('status').where('id', 'in', [reminder, code]).execute()).map((r) => r.status),
    ).toEqual(['sending', 'sending']);
    // Another worker takes over once the claim is stale.
    const survivor = notificationsWith({ sms: real, email: undefined }, { staleSeconds: 1 });
    expect(await survivor.delivery.deliver(reminder, { finalAttempt: false })).toBe('already-handled'); // not stale yet
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await survivor.delivery.deliver(reminder, { finalAttempt: false })).toBe('sent');
    expect(await survivor.delivery.deliver(code, { finalAttempt: false })).toBe('failed');
    const to = peer.requests.map((r) => new URLSearchParams(r.body).get('To'));
    expect(to.filter((n) => n === '+818011110000')).toHaveLength(2); // at least once: the duplicate is the price
    expect(to.filter((n) => n === '+818011110001')).toHaveLength(1); // at most once
    const failed = await db
      .selectFrom('notification_outbox')
      .select(['status', 'last_error'])
      .where('id', '=', code)
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toMatch(/interrupted.*at most once/);
  });

  it('after a crash, a deduplicating provider gets the same key again and the phone gets one message', async () => {
    const gateway = await startWebhookPeer(SECRET);
    peers.push(gateway);
    const real = createWebhookSmsSender({ url: gateway.url, ca: gateway.ca, secret: SECRET });
    const dying: SmsProvider = { ...real, send: async (m, s) => (await real.send(m, s), new Promise(() => undefined)) };
    const code = await insertRow('sign-in-code', '+818022220000');
    void notificationsWith({ sms: dying, email: undefined }, { staleSeconds: 1 }).delivery.deliver(code, { finalAttempt: false });
    await waitFor('sent', async () => gateway.requests.length === 1 || undefined);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      await notificationsWith({ sms: real, email: undefined }, { staleSeconds: 1 }).delivery.deliver(code, { finalAttempt: false }),
    ).toBe('sent');
    expect(gateway.requests).toHaveLength(2);
    expect(new Set(gateway.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(gateway.delivered).toHaveLength(1);
  });
});

describe('retries and failures', () => {
  it('retries a throttled send through the worker with growing waits, then sends it', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    peer.behave('throttle', 'throttle', 'throttle');
    const notifications = notificationsWith(
      { sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca }), email: undefined },
      { sendRetryDelaySeconds: 1 },
    );
    const jobs = await startWorker(notifications);
    const id = await insertRow('reminder', '+818033330000');
    await db
      .transaction()
      .execute((tx) => jobs.send({ name: 'notifications.send' } as never, { outboxId: id, municipalityCode: town.code } as never, { tx }));
    await waitFor(
      'sent after retries',
      async () =>
        (await db.selectFrom('notification_outbox').select('status').where('id', '=', id).executeTakeFirst())?.status === 'sent' ||
        undefined,
      45_000,
    );
    const mine = peer.requests.filter((r) => new URLSearchParams(r.body).get('To') === '+818033330000');
    expect(mine).toHaveLength(4);
    const gaps = mine.slice(1).map((r, i) => r.at - mine[i]!.at);
    // pg-boss's back-off: between delay × 2^(n-1) and delay × 2^n, so each wait is at least the one before's lower bound.
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    expect(gaps[2]).toBeGreaterThanOrEqual(3900);
    const row = await db
      .selectFrom('notification_outbox')
      .select(['attempts', 'provider', 'provider_message_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 4, provider: 'twilio' });
    expect(row.provider_message_id).toMatch(/^SM/);
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  }, 60_000);

  it('gives a row whose job was lost (written without a queue, or stuck in sending) a new job', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    const notifications = notificationsWith({
      sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca }),
      email: undefined,
    });
    await startWorker(notifications);
    const lost = await insertRow('reminder', '+818066660000');
    const fresh = await insertRow('reminder', '+818066660001');
    await sql`update notification_outbox set created_at = now() - interval '20 minutes' where id = ${lost}`.execute(db);
    expect(await notifications.sweepStranded()).toBeGreaterThanOrEqual(1);
    await waitFor(
      'the lost row sent',
      async () =>
        (await db.selectFrom('notification_outbox').select('status').where('id', '=', lost).executeTakeFirst())?.status === 'sent' ||
        undefined,
    );
    // A recent row is left to its own job.
    expect((await db.selectFrom('notification_outbox').select('status').where('id', '=', fresh).executeTakeFirstOrThrow()).status).toBe(
      'pending',
    );
    // (Old rows of other files sharing this database may go out too: only these two are this test's.)
    const to = peer.requests.map((r) => new URLSearchParams(r.body).get('To'));
    expect(to.filter((n) => n === '+818066660000')).toHaveLength(1);
    expect(to).not.toContain('+818066660001');
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });

  it('records a refusal at once, with the reason, and does not retry it', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    peer.behave('refuse');
    const notifications = notificationsWith({
      sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca }),
      email: undefined,
    });
    const id = await insertRow('reminder', '+818044440000');
    expect(await notifications.delivery.deliver(id, { finalAttempt: false })).toBe('failed');
    expect(await notifications.delivery.deliver(id, { finalAttempt: false })).toBe('already-handled');
    const row = await db
      .selectFrom('notification_outbox')
      .select(['status', 'last_error', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'failed', last_error: 'twilio: HTTP 400 error 21211: Invalid To Phone Number', attempts: 1 });
    expect(peer.requests).toHaveLength(1);
  });

  it('does not resend a sign-in code whose outcome is unknown, and fails e-mail without a provider', async () => {
    const peer = await startTwilioPeer(SID, 'token');
    peers.push(peer);
    peer.behave('server-error');
    const notifications = notificationsWith({
      sms: createTwilioSmsSender({ accountSid: SID, authToken: 'token', from: '+1', apiUrl: peer.url, ca: peer.ca }),
      email: undefined,
    });
    const code = await insertRow('sign-in-code', '+818055550000');
    expect(await notifications.delivery.deliver(code, { finalAttempt: false })).toBe('failed');
    const row = await db.selectFrom('notification_outbox').select('last_error').where('id', '=', code).executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/outcome is unknown.*at most once/);
    // A sign-in code the provider did not take: "try again shortly" for the resident, the reason kept.
    peer.behave('refuse');
    await expect(
      notifications.sendSignInCode({
        residentId: resident(2).id,
        municipalityCode: town.code,
        phone: '+818055550009',
        code: '123456',
        language: 'en',
      }),
    ).rejects.toMatchObject({ code: 'unavailable', details: { reason: 'sms-unavailable' } });
    const codeRow = await db
      .selectFrom('notification_outbox')
      .select(['status', 'last_error', 'body'])
      .where('recipient', '=', '+818055550009')
      .executeTakeFirstOrThrow();
    expect(codeRow.status).toBe('failed');
    expect(codeRow.last_error).toMatch(/HTTP 400/);
    expect(codeRow.body).not.toContain('123456');
    // The same answer for a reminder is retried.
    peer.behave('server-error');
    const reminder = await insertRow('reminder', '+818055550001');
    expect(await notifications.delivery.deliver(reminder, { finalAttempt: false })).toBe('retry');
    expect(await notifications.delivery.deliver(reminder, { finalAttempt: false })).toBe('sent');
  });
});
