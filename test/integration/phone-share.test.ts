import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * The telephone's share of a slot (docs/adr/0008) under a real race: web bookings and operator
 * bookings sent together through HTTP at one slot. The web never takes a phone place before the
 * release, the slot's counts equal its reservations, and exactly its capacity is booked when demand
 * exceeds it; once released the web takes the rest.
 */
let db: Db;
let server: TestServer;
let town: TestMunicipality;
let operators: StaffSession[];
let scheduler: StaffSession;

const CAPACITY = 10;
const PHONE = 3;
const base = () => `/api/v1/staff/municipalities/${town.code}`;
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString();

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 200, slots: 4, capacity: CAPACITY });
  server = await startTestServer(db, { redisPrefix: 'phone-share' });
  const team = await staffTeam(server, db);
  operators = await Promise.all([0, 1].map(async () => (await team.member(town.code, ['operator'])).session));
  scheduler = (await team.member(town.code, ['staff'])).session;
});
afterAll(() => server?.close());

let next = 0;
/** Residents nobody has booked for yet, in order. */
const fresh = (n: number) => town.residents.slice(next, (next += n));

const setShare = (slotId: number, phonePlaces: number, releaseAt: string | null) =>
  staffCall(server, 'PUT', `${base()}/slots/${slotId}/phone-share`, { session: scheduler, body: { phonePlaces, releaseAt } });
const webBook = (residentId: number, slotId: number) =>
  server.request('POST', '/api/v1/reservations', { session: server.sessionFor(residentId, town.code), body: { slotId } });
const phoneBook = (residentId: number, slotId: number, i = 0) =>
  staffCall(server, 'POST', `${base()}/call-centre/reservations`, {
    session: operators[i % operators.length],
    body: { residentId, slotId, acknowledgeExisting: true },
  });

async function slotRow(slotId: number) {
  return db
    .selectFrom('slots')
    .select(['taken', 'capacity', 'phone_places', 'phone_taken'])
    .where('id', '=', slotId)
    .executeTakeFirstOrThrow();
}

async function bookedBy(slotId: number) {
  const rows = await db
    .selectFrom('reservations')
    .select(['made_by_kind', 'made_by_staff_account_id'])
    .where('slot_id', '=', slotId)
    .where('status', '=', 'booked')
    .execute();
  return { web: rows.filter((r) => r.made_by_kind !== 'operator').length, phone: rows.filter((r) => r.made_by_kind === 'operator') };
}

describe('the telephone’s share under a race', () => {
  it('40 web and 10 operator bookings at once: the web gets at most its 7, exactly 10 are booked, counts match', async () => {
    const slotId = town.slotIds[0]!;
    expect((await setShare(slotId, PHONE, tomorrow())).status).toBe(200);
    const web = fresh(40);
    const phone = fresh(10);
    const answers = await Promise.all([
      ...web.map((r) => webBook(r.id, slotId).then((a) => ({ side: 'web', status: a.status, code: a.body?.code }))),
      ...phone.map((r, i) => phoneBook(r.id, slotId, i).then((a) => ({ side: 'phone', status: a.status, code: a.body?.code }))),
    ]);
    const ok = answers.filter((a) => a.status === 201);
    expect(ok).toHaveLength(CAPACITY);
    expect(ok.filter((a) => a.side === 'web').length).toBeLessThanOrEqual(CAPACITY - PHONE);
    // No 5xx, every refusal says the slot is full.
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.code === 'slot-full')).toBe(true);
    const row = await slotRow(slotId);
    const made = await bookedBy(slotId);
    expect(row.taken).toBe(CAPACITY);
    expect(made.web).toBeLessThanOrEqual(CAPACITY - PHONE);
    expect(row.phone_taken).toBe(made.phone.length);
    // The operator is written with the booking itself.
    expect(made.phone.every((r) => r.made_by_staff_account_id !== null)).toBe(true);
    expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
  });

  it('web alone fills its part exactly; the phone places stay for operators, and a cancelled one goes back to the telephone', async () => {
    const slotId = town.slotIds[1]!;
    expect((await setShare(slotId, PHONE, tomorrow())).status).toBe(200);
    const answers = await Promise.all(fresh(40).map((r) => webBook(r.id, slotId)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(CAPACITY - PHONE);
    const [p1, p2, p3, p4] = fresh(4);
    const phoned = await Promise.all([p1!, p2!, p3!].map((r, i) => phoneBook(r.id, slotId, i)));
    expect(phoned.map((a) => a.status)).toEqual([201, 201, 201]);
    expect((await phoneBook(p4!.id, slotId)).body.code).toBe('slot-full');
    // A phone booking cancelled: its place is the telephone's again, not the web's.
    const cancelled = await staffCall(server, 'POST', `${base()}/call-centre/reservations/${phoned[0]!.body.number}/cancel`, {
      session: operators[0],
    });
    expect(cancelled.status).toBe(200);
    expect((await slotRow(slotId)).phone_taken).toBe(PHONE - 1);
    const [late] = fresh(1);
    expect((await webBook(late!.id, slotId)).body.code).toBe('slot-full');
    expect((await phoneBook(p4!.id, slotId)).status).toBe(201);
    expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
  });

  it('after the release the web takes what the telephone left, racing the operators', async () => {
    const slotId = town.slotIds[2]!;
    expect((await setShare(slotId, PHONE, tomorrow())).status).toBe(200);
    expect((await Promise.all(fresh(20).map((r) => webBook(r.id, slotId)))).filter((a) => a.status === 201)).toHaveLength(7);
    expect((await phoneBook(fresh(1)[0]!.id, slotId)).status).toBe(201);
    // Released: the two phone places left are anybody's.
    expect((await setShare(slotId, PHONE, yesterday())).status).toBe(200);
    const answers = await Promise.all([
      ...fresh(20).map((r) => webBook(r.id, slotId).then((a) => a.status)),
      ...fresh(4).map((r, i) => phoneBook(r.id, slotId, i).then((a) => a.status)),
    ]);
    expect(answers.filter((s) => s === 201)).toHaveLength(2);
    expect((await slotRow(slotId)).taken).toBe(CAPACITY);
    expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
  });

  it('an operator past the phone places takes web places, and both sides see the counts', async () => {
    const slotId = town.slotIds[3]!;
    expect((await setShare(slotId, 2, tomorrow())).status).toBe(200);
    const phone = await Promise.all(fresh(3).map((r, i) => phoneBook(r.id, slotId, i)));
    expect(phone.every((a) => a.status === 201)).toBe(true);
    expect((await webBook(fresh(1)[0]!.id, slotId)).status).toBe(201);
    // 10 places, 2 for the telephone: 3 operator bookings (2 phone places, 1 web place) and 1 web booking.
    // The town's own days (Tokyo): the slot is 4 days ahead there, whatever the date in UTC.
    const today = localDate(new Date(), 'Asia/Tokyo');
    const day = addDays(today, 4);
    const all = await staffCall(server, 'GET', `${base()}/call-centre/venues/${town.venueId}/slots?from=${today}&to=${day}`, {
      session: operators[0],
    });
    const slot = all.body.find((s: { id: number }) => s.id === slotId);
    expect(slot.counts).toMatchObject({ webPlaces: 8, webTaken: 2, phonePlaces: 2, phoneTaken: 2, webRemaining: 6, operatorRemaining: 6 });
    const resident = await server.request('GET', `/api/v1/venues/${town.venueId}/slots?from=${today}&to=${day}`);
    const seen = resident.body.find((s: { id: number }) => s.id === slotId);
    expect(seen).toMatchObject({ capacity: 8, remaining: 6 });
    expect(seen).not.toHaveProperty('counts');
    expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
  });

  it('a venue’s share is the default for its slots still to come, set by staff and refused to operators', async () => {
    const refused = await staffCall(server, 'PUT', `${base()}/venues/${town.venueId}/phone-share`, {
      session: operators[0],
      body: { phonePlaces: 4, releaseMinutesBefore: 1440 },
    });
    expect(refused.status).toBe(403);
    const set = await staffCall(server, 'PUT', `${base()}/venues/${town.venueId}/phone-share`, {
      session: scheduler,
      body: { phonePlaces: 4, releaseMinutesBefore: 1440 },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.slotsUpdated).toBe(town.slotIds.length);
    const rows = await db
      .selectFrom('slots')
      .select(['starts_at', 'phone_places', 'phone_release_at'])
      .where('venue_id', '=', town.venueId)
      .execute();
    for (const row of rows) {
      expect(row.phone_places).toBe(4);
      expect(row.phone_release_at!.getTime()).toBe(row.starts_at.getTime() - 86_400_000);
    }
    // A slot created later takes the venue's share as its own.
    const startsAt = new Date(Date.now() + 30 * 86_400_000);
    const later = await db
      .insertInto('slots')
      .values({ venue_id: town.venueId, starts_at: startsAt, duration_minutes: 30, capacity: 3, opens_at: new Date(), closes_at: startsAt })
      .returning(['phone_places', 'phone_release_at'])
      .executeTakeFirstOrThrow();
    expect(later).toEqual({ phone_places: 3, phone_release_at: new Date(startsAt.getTime() - 86_400_000) });
  });
});
