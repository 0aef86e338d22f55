import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedTimeToUtc, addDays, localDate } from '../../shared/dates.js';
import type { Db } from '../../server/db/database.js';
import { createNotifications, createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * What residents receive and staff see: the sign-in code's text, confirmations to the booker, the
 * person or both, reminders once per appointment at a sensible local hour, slot notices, and the
 * staff figures, failures and settings.
 */
let db: Db;
let town: TestMunicipality;
let server: TestServer;
let admin: StaffSession;
let viewer: StaffSession;
const phoneOf = (id: number) => `+8170${String(id).padStart(8, '0')}`;

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 12, slots: 5, capacity: 50 });
  server = await startTestServer(db, { redisPrefix: 'notification-messages' });
  const team = await staffTeam(server, db);
  admin = (await team.member(town.code, ['administrator'])).session;
  viewer = (await team.member(town.code, ['viewer'])).session;
  for (const r of town.residents.slice(1)) {
    await db
      .insertInto('notification_preferences')
      .values({ resident_id: r.id, phone: phoneOf(r.id), language: 'ja' })
      .execute();
  }
});

afterAll(async () => {
  await server?.close();
});

const resident = (i: number) => town.residents[i]!;
describe('the sign-in code', () => {
  it('goes out now through the provider, says what it is for, ends with the origin-bound line, and is kept without the code', async () => {
    const session = await server.signIn(town.code, resident(0));
    expect(session.cookie).toMatch(/yoyaku_session=/);
    const lines = fs
      .readFileSync(path.join(server.dataDir, 'outbox', 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const sent = JSON.parse(lines.at(-1)!) as { text: string; purpose: string; idempotencyKey: string };
    const code = /#(\d{6})$/.exec(sent.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(sent.text).toContain('テスト市');
    expect(sent.text).toContain('サインイン');
    // PUBLIC_URL is http://localhost:<port> by default: the line names its host, without the port.
    expect(sent.text.split('\n').at(-1)).toBe(`@localhost #${code}`);
    const row = await db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('resident_id', '=', resident(0).id)
      .where('kind', '=', 'sign-in-code')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'sent',
      delivery: 'at-most-once',
      provider: 'outbox',
      segments: 1,
      encoding: 'ucs2',
      idempotency_key: sent.idempotencyKey,
    });
    expect(row.body).not.toContain(code!);
    expect(row.body).toContain('######');
    // The number the code was confirmed on is the one messages go to.
    const prefs = await db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('resident_id', '=', resident(0).id)
      .executeTakeFirstOrThrow();
    expect(prefs.phone).toBe(row.recipient);
    expect(prefs.language).toBe('ja');
  });

  it('is written in the language the browser asked for', async () => {
    const started = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident(1).voucherNumber, birthDate: resident(1).birthDate },
    });
    await server.request('POST', '/api/v1/auth/sms', {
      body: { challengeId: started.body.challengeId, phone: '09011112222' },
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    const row = await db
      .selectFrom('notification_outbox')
      .select(['language', 'body', 'encoding'])
      .where('resident_id', '=', resident(1).id)
      .where('kind', '=', 'sign-in-code')
      .executeTakeFirstOrThrow();
    expect(row.language).toBe('en');
    expect(row.body).toMatch(/^Test City vaccination booking: ###### is your sign-in code\. Never share it/);
    expect(row.encoding).toBe('gsm7');
  });
});

describe('who receives a confirmation', () => {
  it('sends a family member’s booking to both by default, and to the booker or the person as the municipality sets', async () => {
    const [booker, ...people] = [resident(2), resident(3), resident(4), resident(5)];
    for (const person of people) await db.insertInto('family_links').values({ account_id: booker!.id, member_id: person.id }).execute();
    const session = server.sessionFor(booker!.id, town.code);
    const book = (person: { id: number }) =>
      server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0], residentId: person.id } });

    expect((await book(people[0]!)).status).toBe(201);
    const both = await db
      .selectFrom('notification_outbox')
      .select('recipient')
      .where('kind', '=', 'booking-confirmed')
      .where('resident_id', 'in', [booker!.id, people[0]!.id])
      .execute();
    expect(both.map((r) => r.recipient).sort()).toEqual([phoneOf(booker!.id), phoneOf(people[0]!.id)].sort());

    const toBooker = await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}/notifications/settings`, {
      session: admin,
      body: { confirmationRecipient: 'booker' },
    });
    expect(toBooker.status, toBooker.text).toBe(200);
    expect(toBooker.body).toEqual({ confirmationRecipient: 'booker', reminderHour: 10 });
    const viaBooker = await book(people[1]!);
    expect(viaBooker.status, JSON.stringify(viaBooker.body)).toBe(201);
    const rowsB = await db
      .selectFrom('notification_outbox')
      .innerJoin('reservations', 'reservations.id', 'notification_outbox.reservation_id')
      .select('recipient')
      .where('reservations.number', '=', viaBooker.body.number)
      .execute();
    expect(rowsB.map((r) => r.recipient)).toEqual([phoneOf(booker!.id)]);

    await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}/notifications/settings`, {
      session: admin,
      body: { confirmationRecipient: 'person' },
    });
    const viaPerson = await book(people[2]!);
    expect(viaPerson.status, JSON.stringify(viaPerson.body)).toBe(201);
    const rowsP = await db
      .selectFrom('notification_outbox')
      .innerJoin('reservations', 'reservations.id', 'notification_outbox.reservation_id')
      .select('recipient')
      .where('reservations.number', '=', viaPerson.body.number)
      .execute();
    expect(rowsP.map((r) => r.recipient)).toEqual([phoneOf(people[2]!.id)]);

    // A viewer may read the settings but not change them.
    expect(
      (await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/notifications/settings`, { session: viewer })).body
        .confirmationRecipient,
    ).toBe('person');
    expect(
      (
        await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}/notifications/settings`, {
          session: viewer,
          body: { reminderHour: 9 },
        })
      ).status,
    ).toBe(403);
  });

  it('lets a resident choose e-mail as well, and opt out of reminders', async () => {
    const session = server.sessionFor(resident(6).id, town.code);
    const chosen = await server.request('PATCH', '/api/v1/me/notifications', {
      session,
      body: { channel: 'both', email: 'hanako@example.jp', reminders: false },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body).toEqual({
      channel: 'both',
      reminders: false,
      email: 'hanako@example.jp',
      phoneLast4: phoneOf(resident(6).id).slice(-4),
      language: 'ja',
    });
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[2] } });
    expect(booked.status).toBe(201);
    const rows = await db
      .selectFrom('notification_outbox')
      .select(['channel', 'recipient', 'subject'])
      .where('resident_id', '=', resident(6).id)
      .where('kind', '=', 'booking-confirmed')
      .orderBy('channel')
      .execute();
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([
      ['email', 'hanako@example.jp'],
      ['sms', phoneOf(resident(6).id)],
    ]);
    expect(rows[0]!.subject).toContain('テスト市');
  });
});

describe('reminders', () => {
  const notifications = () =>
    createNotifications({
      db,
      clock: systemClock,
      logger: createLogger('silent'),
      providers: { sms: createOutboxSmsSender(server.dataDir, createLogger('silent')), email: undefined },
      publicUrl: 'https://yoyaku.example.jp',
    });

  it('queues one reminder per appointment, N days before at the local hour, however many runs and workers see it', async () => {
    // Slot 3 is three days ahead at 10:00 local; the default is 2 days before, at 10:00.
    const session = server.sessionFor(resident(7).id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[2] } });
    expect(booked.status).toBe(201);
    const slot = await db.selectFrom('slots').select('starts_at').where('id', '=', town.slotIds[2]!).executeTakeFirstOrThrow();
    const day = localDate(slot.starts_at, town.timeZone);
    const at = (daysBefore: number, time: string) => zonedTimeToUtc(addDays(day, -daysBefore), time, town.timeZone);
    const reminders = () =>
      db
        .selectFrom('notification_outbox')
        .select(['recipient', 'body'])
        .where('resident_id', '=', resident(7).id)
        .where('kind', '=', 'reminder')
        .execute();

    const [a, b] = [notifications(), notifications()];
    await a.queueDueReminders(at(3, '12:00')); // three days before: not yet
    await a.queueDueReminders(at(2, '09:30')); // the day, before the hour
    expect(await reminders()).toEqual([]);
    // Two workers, and runs repeated after a restart, all at once.
    await Promise.all(
      [10, 20, 30, 40].flatMap((minute) => [a.queueDueReminders(at(2, `10:${minute}`)), b.queueDueReminders(at(2, `10:${minute}`))]),
    );
    await a.queueDueReminders(at(1, '11:00')); // a later run the next day
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.recipient).toBe(phoneOf(resident(7).id));
    expect(sent[0]!.body).toContain('接種');

    // Never at night: a missed run is caught up in the morning, not at 22:00.
    const other = server.sessionFor(resident(8).id, town.code);
    expect((await server.request('POST', '/api/v1/reservations', { session: other, body: { slotId: town.slotIds[2] } })).status).toBe(201);
    const late = await db
      .selectFrom('notification_outbox')
      .select('id')
      .where('resident_id', '=', resident(8).id)
      .where('kind', '=', 'reminder');
    await a.queueDueReminders(at(2, '22:00'));
    expect(await late.execute()).toEqual([]);
    await a.queueDueReminders(at(1, '10:05'));
    expect(await late.execute()).toHaveLength(1);
    // Resident 6 opted out of reminders (above) and is booked in the same slot.
    expect(
      await db
        .selectFrom('notification_outbox')
        .select('id')
        .where('resident_id', '=', resident(6).id)
        .where('kind', '=', 'reminder')
        .execute(),
    ).toEqual([]);
  });

  it('sends a notice when staff move people to another slot, through the API their transaction calls', async () => {
    const session = server.sessionFor(resident(9).id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[4] } });
    expect(booked.status).toBe(201);
    const slot = (id: number) => db.selectFrom('slots').select(['id', 'starts_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const [from, to] = [await slot(town.slotIds[4]!), await slot(town.slotIds[3]!)];
    // What the staff move writes: the place taken and freed, the reservation moved, its ledger
    // event (owing a change message); then the notice API makes it a slot notice.
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('slots')
        .set((eb) => ({ taken: eb('taken', '+', 1) }))
        .where('id', '=', to!.id)
        .execute();
      await tx
        .updateTable('slots')
        .set((eb) => ({ taken: eb('taken', '-', 1) }))
        .where('id', '=', from!.id)
        .execute();
      const moved = await tx
        .updateTable('reservations')
        .set({ slot_id: to!.id })
        .where('number', '=', booked.body.number)
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('reservation_events')
        .values({
          reservation_id: moved.id,
          kind: 'changed',
          from_slot_id: from!.id,
          to_slot_id: to!.id,
          actor_kind: 'staff',
          actor_resident_id: null,
          notice: 'booking-changed',
        })
        .execute();
      await server.app.notifications.slotNotices.moved(tx, { reservationNumbers: [booked.body.number] });
    });
    // Written by this server or by another file's (they share the database): settled() waits for either.
    await server.app.notifications.settled();
    const notices = await db
      .selectFrom('notification_outbox')
      .select(['body', 'kind'])
      .where('resident_id', '=', resident(9).id)
      .where('kind', 'in', ['slot-moved', 'booking-changed'])
      .execute();
    expect(notices.map((n) => n.kind)).toEqual(['slot-moved']);
    // Resident 9 reads Japanese: from the event's own slots, the old day and the new one.
    const day = (d: Date) => new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'long', day: 'numeric' }).format(d);
    expect(notices[0]!.body).toContain(`${day(from!.starts_at)}`);
    expect(notices[0]!.body).toContain(`${day(to!.starts_at)}`);
    expect(notices[0]!.body.indexOf(day(from!.starts_at))).toBeLessThan(notices[0]!.body.indexOf(day(to!.starts_at)));
  });
});

describe('what staff see', () => {
  it('figures per day and kind with the cost, failures with the reason (audited), and who may see them', async () => {
    // One failed reminder to list.
    const [failed] = await db
      .selectFrom('notification_outbox')
      .select('id')
      .where('municipality_code', '=', town.code)
      .where('kind', '=', 'reminder')
      .limit(1)
      .execute();
    await db
      .updateTable('notification_outbox')
      .set({ status: 'failed', failed_at: new Date(), last_error: 'twilio: HTTP 400 error 21211: Invalid To Phone Number' })
      .where('id', '=', failed!.id)
      .execute();
    await db
      .updateTable('notification_outbox')
      .set({ status: 'sent', sent_at: new Date() })
      .where('municipality_code', '=', town.code)
      .where('status', '=', 'pending')
      .execute();
    const month = localDate(new Date(), town.timeZone).slice(0, 7);

    const usage = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/notifications/usage?month=${month}`, {
      session: viewer,
    });
    expect(usage.status, usage.text).toBe(200);
    const sent = await db
      .selectFrom('notification_outbox')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(segments), 0)`.as('segments')])
      .where('municipality_code', '=', town.code)
      .where('status', '=', 'sent')
      .where('channel', '=', 'sms')
      .executeTakeFirstOrThrow();
    const smsTotals = (
      usage.body.totals as { channel: string; messages: number; segments: number; failed: number; costYen: number }[]
    ).filter((t) => t.channel === 'sms');
    expect(smsTotals.reduce((s, t) => s + t.messages, 0)).toBe(Number(sent.n));
    expect(smsTotals.reduce((s, t) => s + t.segments, 0)).toBe(Number(sent.segments));
    expect(usage.body.costYen).toBe(Number(sent.segments) * 10);
    expect(usage.body.pricePerSegmentYen).toBe(10);
    expect(usage.body.totals.find((t: { kind: string }) => t.kind === 'reminder').failed).toBe(1);
    expect(usage.body.days.every((d: { date: string }) => d.date.startsWith(month))).toBe(true);

    const before = await db
      .selectFrom('audit_log')
      .select('id')
      .where('municipality_code', '=', town.code)
      .where('action', '=', 'notifications.failures-view')
      .execute();
    const failures = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/notifications/failures`, { session: admin });
    expect(failures.status, failures.text).toBe(200);
    expect(failures.body.items).toEqual([
      expect.objectContaining({
        id: failed!.id,
        kind: 'reminder',
        channel: 'sms',
        reason: 'twilio: HTTP 400 error 21211: Invalid To Phone Number',
      }),
    ]);
    expect(failures.body.items[0].recipient).toMatch(/^…\d{4}$/);
    const after = await db
      .selectFrom('audit_log')
      .select('id')
      .where('municipality_code', '=', town.code)
      .where('action', '=', 'notifications.failures-view')
      .execute();
    expect(after.length - before.length).toBe(1);
    // A viewer sees the figures, not who could not be reached.
    expect(
      (await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/notifications/failures`, { session: viewer })).status,
    ).toBe(403);
    expect(
      (await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/notifications/usage?month=2026-13`, { session: viewer }))
        .status,
    ).toBe(400);
  });
});
