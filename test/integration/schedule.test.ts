import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../shared/dates.js';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * The schedule as staff build it, through HTTP: venues, templates (preview, generation), the
 * overbooking allowance, the day view, the audited list of people, and closing a day while
 * moving or cancelling its people, with the slot counts exact afterwards.
 */
let db: Db;
let server: TestServer;
let town: TestMunicipality;
let staffer: StaffSession;
let viewer: StaffSession;
let outsider: StaffSession;
const today = localDate(new Date(), 'Asia/Tokyo');
const day = (n: number) => addDays(today, n);

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 300, slots: 0 });
  // Notices go to a phone: every test resident has one.
  await db
    .updateTable('residents')
    .set({ phone: sql`'090' || lpad(id::text, 8, '0')` })
    .where('municipality_code', '=', town.code)
    .execute();
  const other = await createTestMunicipality(db, { residents: 0 });
  server = await startTestServer(db, { redisPrefix: 'schedule' });
  const team = await staffTeam(server, db);
  staffer = (await team.member(town.code, ['staff'])).session;
  viewer = (await team.member(town.code, ['viewer'])).session;
  outsider = (await team.member(other.code, ['administrator'])).session;
});
afterAll(() => server?.close());

const base = () => `/api/v1/staff/municipalities/${town.code}/venues`;
const venueBody = {
  nameJa: '区民会館',
  nameEn: 'Community Hall',
  address: '東京都千代田区1-1',
  vaccine: 'pfizer',
  accessNotes: '正面入口から',
  mapUrl: 'https://www.openstreetmap.org/',
  phone: '03-1234-5678',
  texts: { vi: { name: 'Hội trường' } },
  overbookingPercent: 0,
};
/** A template open for booking now: from 60 days before until the day itself begins. */
const template = (from: string, to: string, extra: object = {}) => ({
  from,
  to,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  startTime: '09:00',
  endTime: '11:00',
  intervalMinutes: 30,
  durationMinutes: 30,
  capacity: 20,
  opensDaysBefore: 60,
  opensAtTime: '00:00',
  closesDaysBefore: 0,
  closesAtTime: '00:00',
  ...extra,
});

async function newVenue(extra: object = {}): Promise<number> {
  const created = await staffCall(server, 'POST', base(), { session: staffer, body: { ...venueBody, ...extra } });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

async function generate(venueId: number, body: object) {
  const answer = await staffCall(server, 'POST', `${base()}/${venueId}/templates`, { session: staffer, body });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { templateId: number; created: number; skipped: { startsAt: string; overlap: { kind: string } }[] };
}

async function dayView(venueId: number, date: string) {
  const answer = await staffCall(server, 'GET', `${base()}/${venueId}/days/${date}`, { session: staffer });
  expect(answer.status, answer.text).toBe(200);
  return answer.body.slots as {
    id: number;
    startsAt: string;
    capacity: number;
    extraPlaces: number;
    taken: number;
    booked: number;
    closedAt: string | null;
  }[];
}

let nextResident = 0;
/** Books `count` fresh residents into a slot through the residents' API. */
async function bookInto(slotId: number, count: number) {
  const people = town.residents.slice(nextResident, nextResident + count);
  nextResident += count;
  const answers = await Promise.all(
    people.map((r) => server.request('POST', '/api/v1/reservations', { session: server.sessionFor(r.id, town.code), body: { slotId } })),
  );
  for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answers.map((a) => a.body.number as string);
}

async function allSlotIds(): Promise<number[]> {
  const rows = await db
    .selectFrom('slots')
    .innerJoin('venues', 'venues.id', 'slots.venue_id')
    .select('slots.id')
    .where('venues.municipality_code', '=', town.code)
    .execute();
  return rows.map((r) => r.id);
}

describe('venues', () => {
  it('are added, read, changed and removed by staff, each change audited', async () => {
    const id = await newVenue();
    const read = await staffCall(server, 'GET', `${base()}/${id}`, { session: staffer });
    expect(read.body).toEqual({ id, ...venueBody });
    const changed = await staffCall(server, 'PUT', `${base()}/${id}`, {
      session: staffer,
      body: { ...venueBody, nameEn: 'Ward Hall', phone: null },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ nameEn: 'Ward Hall', phone: null });
    const list = await staffCall(server, 'GET', base(), { session: staffer });
    expect(list.body.map((v: { id: number }) => v.id)).toContain(id);
    // The residents' site shows the new venue too.
    const publicList = await server.request('GET', `/api/v1/municipalities/${town.code}/venues`);
    expect(publicList.body.find((v: { id: number }) => v.id === id)).toMatchObject({
      nameEn: 'Ward Hall',
      texts: { vi: { name: 'Hội trường' } },
    });
    const removed = await staffCall(server, 'DELETE', `${base()}/${id}`, { session: staffer });
    expect(removed.status).toBe(204);
    expect((await staffCall(server, 'GET', `${base()}/${id}`, { session: staffer })).status).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('municipality_code', '=', town.code)
      .where('action', 'like', 'venue.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['venue.create', 'venue.update', 'venue.delete']);
    expect(audit[1]!.detail).toMatchObject({ venueId: id, changed: ['nameEn', 'phone'] });
  });

  it('refuses a vaccine the campaign does not give, an http map link and a venue with slots being removed', async () => {
    const wrong = await staffCall(server, 'POST', base(), {
      session: staffer,
      body: { ...venueBody, vaccine: 'unknown' },
      headers: { 'accept-language': 'en' },
    });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'invalid-request']);
    const http = await staffCall(server, 'POST', base(), { session: staffer, body: { ...venueBody, mapUrl: 'http://example.org' } });
    expect(http.status).toBe(400);
    const id = await newVenue();
    await generate(id, template(day(40), day(40)));
    const removed = await staffCall(server, 'DELETE', `${base()}/${id}`, { session: staffer, headers: { 'accept-language': 'en' } });
    expect([removed.status, removed.body.code, removed.body.title]).toEqual([
      409,
      'venue-in-use',
      'This venue has slots or bookings, so this change is not possible.',
    ]);
  });
});

describe('slot templates', () => {
  it('preview the slots, generate them once, and find every one at its start on a second run', async () => {
    const id = await newVenue();
    const body = template(day(20), day(21));
    const preview = await staffCall(server, 'POST', `${base()}/${id}/templates/preview`, { session: staffer, body });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.summary).toEqual({ total: 8, new: 8, overlapping: 0 });
    expect(preview.body.slots[0]).toMatchObject({ durationMinutes: 30, capacity: 20, extraPlaces: 0, overlap: null });
    // Nothing made by a preview.
    expect(await dayView(id, day(20))).toEqual([]);
    const first = await generate(id, body);
    expect([first.created, first.skipped]).toEqual([8, []]);
    const slots = await dayView(id, day(20));
    expect(slots.map((s) => s.startsAt.slice(11, 16))).toEqual(['00:00', '00:30', '01:00', '01:30']);
    const again = await generate(id, body);
    expect(again.created).toBe(0);
    expect(again.skipped.map((s) => s.overlap.kind)).toEqual(Array(8).fill('same-start'));
    expect((await dayView(id, day(20))).length).toBe(4);
    // 09:15 every hour meets 09:00 and 09:30 without sharing a start.
    const shifted = await staffCall(server, 'POST', `${base()}/${id}/templates/preview`, {
      session: staffer,
      body: template(day(21), day(22), { startTime: '09:15', endTime: '10:00' }),
    });
    // 09:15 and 09:45 on two days: the first day's meet 09:00–10:30, the second day has no slots yet.
    expect(shifted.body.summary).toEqual({ total: 4, new: 2, overlapping: 2 });
    expect(shifted.body.slots[0].overlap).toMatchObject({ kind: 'overlapping', slotId: expect.any(Number) });
    const templates = await staffCall(server, 'GET', `${base()}/${id}/templates`, { session: staffer });
    expect(templates.body.map((t: { createdCount: number; skippedCount: number }) => [t.createdCount, t.skippedCount])).toEqual([
      [0, 8],
      [8, 0],
    ]);
    expect(templates.body[1].definition).toEqual(body);
  });

  it('makes each slot once when the same template is generated ten times at once', async () => {
    const id = await newVenue();
    const body = template(day(25), day(27), {
      times: ['10:00', '14:00'],
      startTime: undefined,
      endTime: undefined,
      intervalMinutes: undefined,
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => staffCall(server, 'POST', `${base()}/${id}/templates`, { session: staffer, body })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(answers.reduce((sum, a) => sum + a.body.created, 0)).toBe(6);
    const count = await db
      .selectFrom('slots')
      .select(db.fn.countAll<string>().as('n'))
      .where('venue_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(6);
  });

  it('refuses a window that closes before it opens, naming the field, and makes nothing', async () => {
    const id = await newVenue();
    const answer = await staffCall(server, 'POST', `${base()}/${id}/templates`, {
      session: staffer,
      body: template(day(30), day(30), { opensDaysBefore: 0, opensAtTime: '09:00', closesDaysBefore: 1 }),
      headers: { 'accept-language': 'en' },
    });
    expect([answer.status, answer.body.code, answer.body.errors]).toMatchObject([
      400,
      'invalid-request',
      [{ field: 'body.closesAtTime', rule: 'window' }],
    ]);
    expect(await db.selectFrom('slot_templates').select('id').where('venue_id', '=', id).execute()).toEqual([]);
  });
});

describe('the overbooking allowance', () => {
  it('is 0 by default, shows as extra places beside the capacity, and reaches future slots only', async () => {
    const id = await newVenue();
    await generate(id, template(day(10), day(10)));
    expect((await dayView(id, day(10))).map((s) => [s.capacity, s.extraPlaces])).toEqual(Array(4).fill([20, 0]));
    // A slot that has started keeps what it had.
    const [past] = await db
      .insertInto('slots')
      .values({
        venue_id: id,
        starts_at: new Date(Date.now() - 3_600_000),
        duration_minutes: 30,
        capacity: 20,
        opens_at: new Date(0),
        closes_at: new Date(),
      })
      .returning('id')
      .execute();
    const set = await staffCall(server, 'PUT', `${base()}/${id}`, { session: staffer, body: { ...venueBody, overbookingPercent: 5 } });
    expect(set.status, set.text).toBe(200);
    expect((await dayView(id, day(10))).map((s) => [s.capacity, s.extraPlaces])).toEqual(Array(4).fill([20, 1]));
    const pastRow = await db.selectFrom('slots').select('extra_places').where('id', '=', past!.id).executeTakeFirstOrThrow();
    expect(pastRow.extra_places).toBe(0);
    // New slots get it when generated; the preview says so.
    const preview = await staffCall(server, 'POST', `${base()}/${id}/templates/preview`, {
      session: staffer,
      body: template(day(11), day(11), { capacity: 40 }),
    });
    expect(preview.body.slots[0]).toMatchObject({ capacity: 40, extraPlaces: 2 });
    await generate(id, template(day(11), day(11), { capacity: 40 }));
    expect((await dayView(id, day(11)))[0]).toMatchObject({ capacity: 40, extraPlaces: 2 });
    // A capacity edit brings the extra places along: 5% of 60 is 3.
    const slot = (await dayView(id, day(11)))[0]!;
    const edited = await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}/slots/${slot.id}`, {
      session: staffer,
      body: { capacity: 60 },
    });
    expect(edited.body).toMatchObject({ capacity: 60, extraPlaces: 3 });
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'venue.update')
      .where('municipality_code', '=', town.code)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ venueId: id, overbookingPercent: { from: 0, to: 5 }, slotsChanged: 4 });
  });

  it('lets the database hold capacity + extra places and refuse one more', async () => {
    const id = await newVenue({ overbookingPercent: 10 });
    await generate(id, template(day(12), day(12)));
    const slot = (await dayView(id, day(12)))[0]!;
    expect([slot.capacity, slot.extraPlaces]).toEqual([20, 2]);
    await db.updateTable('slots').set({ taken: 22 }).where('id', '=', slot.id).execute();
    await expect(db.updateTable('slots').set({ taken: 23 }).where('id', '=', slot.id).execute()).rejects.toThrow(/slots_not_overbooked/);
    // Lowering the allowance never takes away extra places already used.
    await staffCall(server, 'PUT', `${base()}/${id}`, { session: staffer, body: { ...venueBody, overbookingPercent: 0 } });
    const after = await db.selectFrom('slots').select(['taken', 'extra_places']).where('id', '=', slot.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ taken: 22, extra_places: 2 });
    await db.updateTable('slots').set({ taken: 0 }).where('id', '=', slot.id).execute();
  });

  it('gives residents racing for a slot its capacity and its extra places, exactly, and shows them as places', async () => {
    const id = await newVenue({ overbookingPercent: 10 });
    await generate(id, template(day(45), day(45)));
    const slot = (await dayView(id, day(45)))[0]!;
    expect([slot.capacity, slot.extraPlaces]).toEqual([20, 2]);
    const listed = await server.request('GET', `/api/v1/venues/${id}/slots?from=${day(45)}&to=${day(45)}`);
    expect(listed.body[0]).toMatchObject({ id: slot.id, capacity: 22, remaining: 22 });
    const people = town.residents.slice(nextResident, nextResident + 30);
    nextResident += 30;
    const answers = await Promise.all(
      people.map((r) =>
        server.request('POST', '/api/v1/reservations', { session: server.sessionFor(r.id, town.code), body: { slotId: slot.id } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(22);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.body.code)).toEqual(Array(8).fill('slot-full'));
    expect((await dayView(id, day(45)))[0]).toMatchObject({ capacity: 20, extraPlaces: 2, taken: 22, booked: 22 });
    expect(await slotCountsMismatches(db, [slot.id])).toEqual([]);
  });
});

describe('closing a day', () => {
  it('lists the people booked there, each view audited, and keeps refusing capacity below the bookings', async () => {
    const id = await newVenue();
    await generate(id, template(day(5), day(5), { capacity: 10 }));
    const [slot] = await dayView(id, day(5));
    const numbers = await bookInto(slot!.id, 3);
    const people = await staffCall(server, 'GET', `${base()}/${id}/days/${day(5)}/people`, { session: staffer });
    expect(people.status, people.text).toBe(200);
    expect(people.body.map((p: { reservationNumber: string }) => p.reservationNumber).sort()).toEqual([...numbers].sort());
    expect(people.body[0]).toMatchObject({
      slotId: slot!.id,
      dose: 1,
      nameKanji: expect.stringMatching(/^試験/),
      nameKana: expect.stringMatching(/^シケン/),
      phone: expect.stringMatching(/^090/),
    });
    const oneSlot = await staffCall(server, 'GET', `${base()}/${id}/days/${day(5)}/people?slotId=${slot!.id}`, { session: staffer });
    expect(oneSlot.body).toHaveLength(3);
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'schedule.people-view')
      .where('municipality_code', '=', town.code)
      .execute();
    expect(audit.map((a) => a.detail)).toEqual([
      { venueId: id, date: day(5), slotIds: (await dayView(id, day(5))).map((s) => s.id), people: 3 },
      { venueId: id, date: day(5), slotIds: [slot!.id], people: 3 },
    ]);
    const below = await staffCall(server, 'PATCH', `/api/v1/staff/municipalities/${town.code}/slots/${slot!.id}`, {
      session: staffer,
      body: { capacity: 2 },
    });
    expect([below.status, below.body.code, below.body.taken]).toEqual([409, 'capacity-below-bookings', 3]);
  });

  it('moves 30 people into a slot of 20: 20 moved with a notice each, 10 reported not moved, the counts exact', async () => {
    const id = await newVenue();
    await generate(
      id,
      template(day(6), day(6), {
        times: ['09:00', '10:00', '11:00'],
        startTime: undefined,
        endTime: undefined,
        intervalMinutes: undefined,
        capacity: 10,
      }),
    );
    await generate(
      id,
      template(day(7), day(7), { times: ['10:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 20 }),
    );
    const closing = await dayView(id, day(6));
    const [target] = await dayView(id, day(7));
    const booked = (await Promise.all(closing.map((s) => bookInto(s.id, 10)))).flat();
    expect(booked).toHaveLength(30);
    const report = await staffCall(server, 'POST', `${base()}/${id}/days/${day(6)}/close`, {
      session: staffer,
      body: { action: 'move', toSlotId: target!.id },
    });
    expect(report.status, report.text).toBe(200);
    expect(report.body.closedSlotIds.sort()).toEqual(closing.map((s) => s.id).sort());
    expect(report.body.moved).toHaveLength(20);
    expect(report.body.notMoved).toHaveLength(10);
    expect(report.body.notMoved.every((p: { reason: string }) => p.reason === 'slot-full')).toBe(true);
    expect(report.body.moved[0]).toMatchObject({ toSlotId: target!.id, toStartsAt: target!.startsAt, nameKanji: expect.any(String) });
    const ids = await allSlotIds();
    expect(await slotCountsMismatches(db, ids)).toEqual([]);
    const after = await dayView(id, day(6));
    expect(after.every((s) => s.closedAt !== null)).toBe(true);
    expect(after.reduce((sum, s) => sum + s.taken, 0)).toBe(10);
    expect((await dayView(id, day(7)))[0]).toMatchObject({ taken: 20, booked: 20 });
    const movedNumbers = report.body.moved.map((m: { reservationNumber: string }) => m.reservationNumber);
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select(['reservations.number', 'reservation_events.actor_kind', 'reservation_events.to_slot_id'])
      .where('reservation_events.kind', '=', 'changed')
      .where('reservations.number', 'in', booked)
      .execute();
    expect(events.map((e) => e.number).sort()).toEqual([...movedNumbers].sort());
    expect(events.every((e) => e.actor_kind === 'staff' && e.to_slot_id === target!.id)).toBe(true);
    const notices = await db
      .selectFrom('notification_outbox')
      .innerJoin('reservations', 'reservations.id', 'notification_outbox.reservation_id')
      .select(['reservations.number', 'notification_outbox.kind'])
      .where('reservations.number', 'in', booked)
      .where('notification_outbox.kind', 'in', ['slot-moved', 'slot-closed', 'booking-changed'])
      .execute();
    expect(notices.map((n) => n.kind)).toEqual(Array(20).fill('slot-moved'));
    expect(notices.map((n) => n.number).sort()).toEqual([...movedNumbers].sort());

    // The closed day takes no booking, and the ten left are then cancelled, each with a notice.
    const late = await server.request('POST', '/api/v1/reservations', {
      session: server.sessionFor(town.residents[nextResident++]!.id, town.code),
      body: { slotId: closing[0]!.id },
    });
    expect([late.status, late.body.code]).toEqual([409, 'slot-not-open']);
    const cancel = await staffCall(server, 'POST', `${base()}/${id}/days/${day(6)}/close`, {
      session: staffer,
      body: { action: 'cancel' },
    });
    expect(cancel.status, cancel.text).toBe(200);
    expect([cancel.body.cancelled.length, cancel.body.notMoved.length, cancel.body.moved.length]).toEqual([10, 0, 0]);
    expect(await slotCountsMismatches(db, ids)).toEqual([]);
    expect((await dayView(id, day(6))).every((s) => s.taken === 0 && s.booked === 0)).toBe(true);
    const closedNotices = await db
      .selectFrom('notification_outbox')
      .select('kind')
      .where('kind', '=', 'slot-closed')
      .where('municipality_code', '=', town.code)
      .execute();
    expect(closedNotices).toHaveLength(10);
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'schedule.close')
      .where('municipality_code', '=', town.code)
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('moves people to the nearest free time of another day, and stays exact while residents book the same slots', async () => {
    const id = await newVenue();
    const times = {
      times: ['09:00', '10:00', '11:00', '12:00'],
      startTime: undefined,
      endTime: undefined,
      intervalMinutes: undefined,
      capacity: 10,
    };
    await generate(id, template(day(8), day(9), times));
    const closing = await dayView(id, day(8));
    const targets = await dayView(id, day(9));
    // 5 people in each slot of the closing day, then 30 residents book both days while it closes.
    for (const slot of closing) await bookInto(slot.id, 5);
    const racers = town.residents.slice(nextResident, nextResident + 30);
    nextResident += 30;
    const slotsToRace = [...closing, ...targets];
    const [report, ...bookings] = await Promise.all([
      staffCall(server, 'POST', `${base()}/${id}/days/${day(8)}/close`, { session: staffer, body: { action: 'move', toDate: day(9) } }),
      ...racers.map((r, i) =>
        server.request('POST', '/api/v1/reservations', {
          session: server.sessionFor(r.id, town.code),
          body: { slotId: slotsToRace[i % slotsToRace.length]!.id },
        }),
      ),
    ]);
    expect(report!.status, JSON.stringify(report!.body)).toBe(200);
    expect(bookings.filter((b) => b.status >= 500)).toEqual([]);
    for (const b of bookings) expect([201, 409]).toContain(b.status);
    expect(await slotCountsMismatches(db, await allSlotIds())).toEqual([]);
    const left = await db
      .selectFrom('reservations')
      .select('number')
      .where(
        'slot_id',
        'in',
        closing.map((s) => s.id),
      )
      .where('status', '=', 'booked')
      .execute();
    // Whoever is still in a closed slot is in the report as not moved, and nobody else.
    expect(left.map((r) => r.number).sort()).toEqual(
      report!.body.notMoved.map((p: { reservationNumber: string }) => p.reservationNumber).sort(),
    );
    expect(report!.body.moved.length).toBeGreaterThanOrEqual(20 - bookings.filter((b) => b.status === 201).length);
    // Each moved person is at the nearest time that had room: with room, the same time of day.
    const at = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Asia/Tokyo' });
    const sameTime = report!.body.moved.filter(
      (m: { fromStartsAt: string; toStartsAt: string }) => at(m.fromStartsAt) === at(m.toStartsAt),
    );
    expect(sameTime.length).toBeGreaterThan(0);
    const view = await dayView(id, day(9));
    expect(view.every((s) => s.taken <= s.capacity + s.extraPlaces)).toBe(true);
  });

  it('gives back the holds of a closed slot, refuses the held place afterwards, and refuses any new place at the database', async () => {
    const id = await newVenue();
    await generate(id, template(day(16), day(16), { capacity: 5 }));
    const [slot] = await dayView(id, day(16));
    const person = town.residents[nextResident++]!;
    const session = server.sessionFor(person.id, town.code);
    const hold = await server.request('POST', '/api/v1/holds', { session, body: { residentId: person.id, slotId: slot!.id } });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    expect((await dayView(id, day(16)))[0]!.taken).toBe(1);
    const closed = await staffCall(server, 'POST', `${base()}/${id}/days/${day(16)}/close`, {
      session: staffer,
      body: { action: 'cancel', slotIds: [slot!.id] },
    });
    expect(closed.status, closed.text).toBe(200);
    expect((await dayView(id, day(16)))[0]).toMatchObject({ taken: 0, closedAt: expect.any(String) });
    const confirm = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: slot!.id } });
    expect([confirm.status, confirm.body.code]).toEqual([409, 'slot-not-open']);
    // Whatever statement tries, a closed slot takes no new place (the trigger of migration 0013).
    await expect(
      db
        .updateTable('slots')
        .set((eb) => ({ taken: eb('taken', '+', 1) }))
        .where('id', '=', slot!.id)
        .execute(),
    ).rejects.toThrow(/slots_not_overbooked/);
    expect(await slotCountsMismatches(db, [slot!.id])).toEqual([]);
  });

  it('answers every resident booking a day while staff close it with a place or a 409, never an error', async () => {
    // Bookings of several slots share statements (grouped-booking.ts): one slot closed under a
    // shared statement must refuse that slot's people only, and as a refusal, not a failure.
    const id = await newVenue();
    const times = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
    const six = { times, startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 10 };
    await generate(id, template(day(25), day(26), six));
    const slots = [...(await dayView(id, day(25))), ...(await dayView(id, day(26)))];
    const people = town.residents.slice(nextResident, nextResident + 48);
    nextResident += 48;
    const [closing, bookings] = await Promise.all([
      new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        staffCall(server, 'POST', `${base()}/${id}/days/${day(25)}/close`, { session: staffer, body: { action: 'cancel' } }),
      ),
      Promise.all(
        people.map((r, i) =>
          server.request('POST', '/api/v1/reservations', {
            session: server.sessionFor(r.id, town.code),
            body: { slotId: slots[i % slots.length]!.id },
          }),
        ),
      ),
    ]);
    expect(closing.status, closing.text).toBe(200);
    const statuses = bookings.map((b) => (b.status === 201 ? 'booked' : `${b.status} ${b.body.code}`));
    expect(statuses.filter((s) => !['booked', '409 slot-not-open', '409 slot-full'].includes(s))).toEqual([]);
    // The other day's slots were never closed: everyone who asked for one has it.
    const open = new Set((await dayView(id, day(26))).map((s) => s.id));
    expect(bookings.filter((b, i) => open.has(slots[i % slots.length]!.id) && b.status !== 201)).toEqual([]);
    expect((await dayView(id, day(25))).every((s) => s.taken === 0 && s.closedAt !== null)).toBe(true);
    expect(await slotCountsMismatches(db, await allSlotIds())).toEqual([]);
  });

  it('moves each person once when two staff close the same day at the same moment towards different days', async () => {
    const id = await newVenue();
    const one = { times: ['10:00', '11:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 10 };
    await generate(id, template(day(17), day(19), one));
    const closing = await dayView(id, day(17));
    const numbers = (await Promise.all(closing.map((s) => bookInto(s.id, 4)))).flat();
    const [first, second] = await Promise.all(
      [day(18), day(19)].map((toDate) =>
        staffCall(server, 'POST', `${base()}/${id}/days/${day(17)}/close`, { session: staffer, body: { action: 'move', toDate } }),
      ),
    );
    expect([first!.status, second!.status]).toEqual([200, 200]);
    const rows = await db.selectFrom('reservations').select(['number', 'slot_id', 'status']).where('number', 'in', numbers).execute();
    expect(rows.every((r) => r.status === 'booked' && !closing.some((s) => s.id === r.slot_id))).toBe(true);
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select('reservations.number')
      .where('reservation_events.kind', '=', 'changed')
      .where('reservations.number', 'in', numbers)
      .execute();
    // One move each, whichever closing got to the person first; the other one did not move them again.
    expect(events.map((e) => e.number).sort()).toEqual([...numbers].sort());
    const moved = [...first!.body.moved, ...second!.body.moved].map((m: { reservationNumber: string }) => m.reservationNumber);
    expect(new Set(moved).size).toBe(8);
    expect(await slotCountsMismatches(db, await allSlotIds())).toEqual([]);
  });

  it('keeps the dose rules: a dose 2 is not moved to a day before its interval, and the report says why', async () => {
    const id = await newVenue();
    const one = { times: ['10:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 5 };
    await generate(id, template(day(3), day(3), one));
    await generate(id, template(day(30), day(30), one));
    const person = town.residents[nextResident]!;
    // Dose 1 given today: dose 2 is due 21 days later (Pfizer), so day 30 may be booked and day 3 not.
    await db
      .insertInto('dose_records')
      .values({ resident_id: person.id, dose_number: 1, administered_on: today, vaccine: 'pfizer' })
      .execute();
    const [late] = await dayView(id, day(30));
    const [number] = await bookInto(late!.id, 1);
    const [early] = await dayView(id, day(3));
    const report = await staffCall(server, 'POST', `${base()}/${id}/days/${day(30)}/close`, {
      session: staffer,
      body: { action: 'move', toSlotId: early!.id },
    });
    expect(report.status, report.text).toBe(200);
    expect(report.body.moved).toEqual([]);
    expect(report.body.notMoved).toMatchObject([{ reservationNumber: number, reason: 'interval-too-short' }]);
    const row = await db.selectFrom('reservations').select(['slot_id', 'status']).where('number', '=', number!).executeTakeFirstOrThrow();
    expect(row).toEqual({ slot_id: late!.id, status: 'booked' });
    expect(await slotCountsMismatches(db, [late!.id, early!.id])).toEqual([]);
  });

  it('refuses a target that is closed or of another municipality before closing anything', async () => {
    const id = await newVenue();
    await generate(id, template(day(13), day(14), { capacity: 5 }));
    const [first, second] = await dayView(id, day(13));
    const foreign = await createTestMunicipality(db, { residents: 0 });
    const wrong = await staffCall(server, 'POST', `${base()}/${id}/days/${day(14)}/close`, {
      session: staffer,
      body: { action: 'move', toSlotId: foreign.slotIds[0] ?? 2_000_000_000 },
    });
    expect([wrong.status, wrong.body.code]).toEqual([404, 'slot-not-found']);
    const noTarget = await staffCall(server, 'POST', `${base()}/${id}/days/${day(14)}/close`, {
      session: staffer,
      body: { action: 'move' },
    });
    expect(noTarget.status).toBe(400);
    await staffCall(server, 'POST', `${base()}/${id}/days/${day(13)}/close`, {
      session: staffer,
      body: { action: 'cancel', slotIds: [first!.id] },
    });
    const intoClosed = await staffCall(server, 'POST', `${base()}/${id}/days/${day(13)}/close`, {
      session: staffer,
      body: { action: 'move', slotIds: [second!.id], toSlotId: first!.id },
    });
    expect([intoClosed.status, intoClosed.body.code]).toEqual([409, 'slot-not-open']);
    const view = await dayView(id, day(13));
    expect(view.map((s) => s.closedAt !== null)).toEqual([true, false, false, false]);
    expect((await dayView(id, day(14))).every((s) => s.closedAt === null)).toBe(true);
  });
});

describe('reopening a closed slot', () => {
  const reopen = (venueId: number, date: string, body: object = {}) =>
    staffCall(server, 'POST', `${base()}/${venueId}/days/${date}/reopen`, { session: staffer, body });
  const windowOf = async (slotId: number) =>
    db
      .selectFrom('slots')
      .select(['closes_at', 'closed_at', 'closes_at_before_closing'])
      .where('id', '=', slotId)
      .executeTakeFirstOrThrow();
  const reopenAudits = () =>
    db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'schedule.reopen')
      .where('municipality_code', '=', town.code)
      .execute();

  it('takes bookings again until its own window ends; the people moved stay moved; a second press changes nothing', async () => {
    const id = await newVenue();
    const one = { times: ['10:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 5 };
    await generate(id, template(day(20), day(21), one));
    const [slot] = await dayView(id, day(20));
    const before = await windowOf(slot!.id);
    const [moved] = await bookInto(slot!.id, 1);
    const closed = await staffCall(server, 'POST', `${base()}/${id}/days/${day(20)}/close`, {
      session: staffer,
      body: { action: 'move', toDate: day(21) },
    });
    expect(closed.status, closed.text).toBe(200);
    // Closed twice (a second staff member's press): the window kept is still the template's.
    await staffCall(server, 'POST', `${base()}/${id}/days/${day(20)}/close`, { session: staffer, body: { action: 'cancel' } });
    expect(await windowOf(slot!.id)).toMatchObject({ closed_at: expect.any(Date), closes_at_before_closing: before.closes_at });
    const audits = (await reopenAudits()).length;

    const answer = await reopen(id, day(20));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ reopenedSlotIds: [slot!.id], stillClosedSlotIds: [] });
    expect(await windowOf(slot!.id)).toEqual({ closes_at: before.closes_at, closed_at: null, closes_at_before_closing: null });
    expect((await dayView(id, day(20)))[0]).toMatchObject({ closedAt: null, taken: 0 });
    const row = await db.selectFrom('reservations').select(['slot_id', 'status']).where('number', '=', moved!).executeTakeFirstOrThrow();
    expect(row.status).toBe('booked');
    expect(row.slot_id).not.toBe(slot!.id);
    await bookInto(slot!.id, 2);
    expect((await dayView(id, day(20)))[0]).toMatchObject({ taken: 2, booked: 2 });

    const again = await reopen(id, day(20), { slotIds: [slot!.id] });
    expect([again.status, again.body.reopenedSlotIds]).toEqual([200, []]);
    const rows = await reopenAudits();
    expect(rows).toHaveLength(audits + 1);
    expect(rows.at(-1)!.detail).toMatchObject({ venueId: id, date: day(20), slotIds: [slot!.id] });
    expect(await slotCountsMismatches(db, await allSlotIds())).toEqual([]);
  });

  it('keeps a slot that has started closed, and refuses a slot of another day', async () => {
    const id = await newVenue();
    const one = { times: ['10:00', '11:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 5 };
    await generate(id, template(day(22), day(23), one));
    const [, late] = await dayView(id, day(22));
    const [other] = await dayView(id, day(23));
    await staffCall(server, 'POST', `${base()}/${id}/days/${day(22)}/close`, { session: staffer, body: { action: 'cancel' } });
    const wrongDay = await reopen(id, day(22), { slotIds: [late!.id, other!.id] });
    expect([wrongDay.status, wrongDay.body.code]).toEqual([404, 'slot-not-found']);
    expect((await windowOf(late!.id)).closed_at).not.toBeNull();
    // Yesterday's slot, closed: it has been and gone, and stays closed.
    const startsAt = new Date(Date.now() - 24 * 3600_000);
    const past = await db
      .insertInto('slots')
      .values({
        venue_id: id,
        starts_at: startsAt,
        duration_minutes: 30,
        capacity: 5,
        opens_at: startsAt,
        closes_at: startsAt,
        closed_at: startsAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const answer = await reopen(id, day(-1));
    expect(answer.body).toEqual({ reopenedSlotIds: [], stillClosedSlotIds: [past.id] });
    expect((await windowOf(past.id)).closed_at).not.toBeNull();
    expect((await reopen(id, day(22))).body).toEqual({
      reopenedSlotIds: (await dayView(id, day(22))).map((s) => s.id),
      stillClosedSlotIds: [],
    });
  });

  it('with ten reopenings and thirty residents at once: one reopening recorded, never more bookings than places', async () => {
    const id = await newVenue();
    const one = { times: ['10:00'], startTime: undefined, endTime: undefined, intervalMinutes: undefined, capacity: 20 };
    await generate(id, template(day(24), day(24), one));
    const [slot] = await dayView(id, day(24));
    await staffCall(server, 'POST', `${base()}/${id}/days/${day(24)}/close`, { session: staffer, body: { action: 'cancel' } });
    const audits = (await reopenAudits()).length;
    const people = town.residents.slice(nextResident, nextResident + 30);
    nextResident += 30;
    const [reopenings, bookings] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => reopen(id, day(24)))),
      Promise.all(
        people.map((r) =>
          server.request('POST', '/api/v1/reservations', { session: server.sessionFor(r.id, town.code), body: { slotId: slot!.id } }),
        ),
      ),
    ]);
    expect(reopenings.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(reopenings.flatMap((r) => r.body.reopenedSlotIds)).toEqual([slot!.id]);
    expect((await reopenAudits()).length).toBe(audits + 1);
    // Before the reopening committed a booking meets a closed slot; after it, places until full.
    const statuses = bookings.map((b) => (b.status === 201 ? 'booked' : `${b.status} ${b.body.code}`));
    expect(statuses.filter((s) => !['booked', '409 slot-not-open', '409 slot-full'].includes(s))).toEqual([]);
    expect(statuses.filter((s) => s === 'booked').length).toBeLessThanOrEqual(20);
    const late = await Promise.all(
      town.residents
        .slice(nextResident, nextResident + 25)
        .map((r) =>
          server.request('POST', '/api/v1/reservations', { session: server.sessionFor(r.id, town.code), body: { slotId: slot!.id } }),
        ),
    );
    nextResident += 25;
    const booked = [...bookings, ...late].filter((b) => b.status === 201).length;
    expect(booked).toBe(20);
    expect((await dayView(id, day(24)))[0]).toMatchObject({ taken: 20, booked: 20, closedAt: null });
    expect(await slotCountsMismatches(db, [slot!.id])).toEqual([]);
  });
});

describe('who may', () => {
  it('gives another municipality’s staff 404 or 403 for every schedule route, and a viewer 403', async () => {
    const id = await newVenue();
    await generate(id, template(day(15), day(15)));
    const [slot] = await dayView(id, day(15));
    await bookInto(slot!.id, 1);
    const calls: [string, string, object?][] = [
      ['GET', base()],
      ['POST', base(), venueBody],
      ['GET', `${base()}/${id}`],
      ['PUT', `${base()}/${id}`, venueBody],
      ['DELETE', `${base()}/${id}`],
      ['GET', `${base()}/${id}/templates`],
      ['POST', `${base()}/${id}/templates/preview`, template(day(16), day(16))],
      ['POST', `${base()}/${id}/templates`, template(day(16), day(16))],
      ['GET', `${base()}/${id}/days/${day(15)}`],
      ['GET', `${base()}/${id}/days/${day(15)}/people`],
      ['POST', `${base()}/${id}/days/${day(15)}/close`, { action: 'cancel' }],
      ['POST', `${base()}/${id}/days/${day(15)}/reopen`, {}],
      ['PATCH', `/api/v1/staff/municipalities/${town.code}/slots/${slot!.id}`, { capacity: 30 }],
    ];
    for (const [method, path, body] of calls) {
      const theirs = await staffCall(server, method, path, { session: outsider, body });
      expect([method, path, [403, 404].includes(theirs.status)]).toEqual([method, path, true]);
      const viewing = await staffCall(server, method, path, { session: viewer, body });
      expect([method, path, viewing.status]).toEqual([method, path, 403]);
    }
    // Their own municipality's URL with our venue: not found, nothing about it revealed.
    const ownUrl = `/api/v1/staff/municipalities/${(await db.selectFrom('staff_roles').select('municipality_code').where('role', '=', 'administrator').where('municipality_code', '!=', town.code).orderBy('account_id', 'desc').executeTakeFirstOrThrow()).municipality_code}/venues/${id}`;
    const viaOwn = await staffCall(server, 'GET', ownUrl, { session: outsider });
    expect(viaOwn.status).toBe(404);
    const viaOwnDay = await staffCall(server, 'GET', `${ownUrl}/days/${day(15)}/people`, { session: outsider });
    expect(viaOwnDay.status).toBe(404);
    const viaOwnClose = await staffCall(server, 'POST', `${ownUrl}/days/${day(15)}/close`, {
      session: outsider,
      body: { action: 'cancel' },
    });
    expect(viaOwnClose.status).toBe(404);
    // Nothing changed: the venue, its slot and its booking are as they were.
    expect((await dayView(id, day(15)))[0]).toMatchObject({ closedAt: null, taken: 1, capacity: 20 });
    expect((await staffCall(server, 'GET', `${base()}/${id}`, { session: staffer })).body.nameEn).toBe(venueBody.nameEn);
  });
});
