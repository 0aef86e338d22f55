import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { generateReservationNumber, formatReservationNumber } from '../../server/modules/reservations/index.js';
import type { Clock } from '../../server/platform/clock.js';
import { addDays, localDate, zonedTimeToUtc } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * Check-in on the day through HTTP: the day's list at a venue by time, searched by number, voucher
 * (or its QR digits) and name in kanji or kana; attended writes the dose into the person's history
 * in the same transaction, so their next dose is bookable at once through the resident API; marks
 * are idempotent, also when 50 race; no-show keeps the place counted; the no-show rate; undo on the
 * day only; another municipality's venue staff reach nothing; every view and mark is audited.
 *
 * The server's clock runs at noon of today's date in Tokyo (moving with real time), so that the
 * morning slot is over and the afternoon one is still to come whatever the hour the test runs.
 */
const TZ = 'Asia/Tokyo';
const today = localDate(new Date(), TZ);
const offset = zonedTimeToUtc(today, '12:00', TZ).getTime() - Date.now();
const clock: Clock = { now: () => new Date(Date.now() + offset) };

let db: Db;
let server: TestServer;
let a: TestMunicipality;
let b: TestMunicipality;
let venueStaff: { session: StaffSession; accountId: number };
let outsider: StaffSession;
let viewer: StaffSession;
let staffer: StaffSession;
const slot: Record<'morning' | 'afternoon' | 'yesterday' | 'tomorrow' | 'later', number> = {} as never;

async function addSlot(venueId: number, date: string, time: string, capacity = 60): Promise<number> {
  const row = await db
    .insertInto('slots')
    .values({
      venue_id: venueId,
      starts_at: zonedTimeToUtc(date, time, TZ),
      duration_minutes: 30,
      capacity,
      opens_at: new Date(Date.now() - 400 * 86_400_000),
      closes_at: zonedTimeToUtc(addDays(date, 1), '00:00', TZ),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A booking as the booking path leaves it: the reservation, its event and the place taken. */
async function book(residentId: number, slotId: number, dose = 1): Promise<string> {
  const number = generateReservationNumber();
  const row = await db
    .insertInto('reservations')
    .values({
      number,
      resident_id: residentId,
      slot_id: slotId,
      dose_number: dose,
      vaccine: 'pfizer',
      status: 'booked',
      made_by_kind: 'self',
      made_by_resident_id: residentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('reservation_events')
    .values({ reservation_id: row.id, kind: 'booked', to_slot_id: slotId, actor_kind: 'self' })
    .execute();
  await db
    .updateTable('slots')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('id', '=', slotId)
    .execute();
  return number;
}

const base = (code = a.code) => `/api/v1/staff/municipalities/${code}/check-in`;
const dayOf = (query: Record<string, string | number>, session = venueStaff.session, code = a.code) =>
  staffCall(server, 'GET', `${base(code)}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`, {
    session,
    headers: { 'accept-language': 'en' },
  });
const markAs = (kind: 'attended' | 'no-show' | 'undo', number: string, body?: unknown, session = venueStaff.session, code = a.code) =>
  staffCall(server, 'POST', `${base(code)}/reservations/${encodeURIComponent(number)}/${kind}`, {
    session,
    body,
    headers: { 'accept-language': 'en' },
  });
const attend = (number: string, lotNumber = 'FF2153') => markAs('attended', number, { lotNumber });

const reservationOf = (number: string) => db.selectFrom('reservations').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const doseRowsOf = (reservationId: number) =>
  db.selectFrom('dose_records').selectAll().where('reservation_id', '=', reservationId).execute();
const eventsOf = (reservationId: number) =>
  db.selectFrom('reservation_events').selectAll().where('reservation_id', '=', reservationId).orderBy('id').execute();
const auditOf = (action: string, accountId = venueStaff.accountId) =>
  db
    .selectFrom('audit_log')
    .selectAll()
    .where('actor_kind', '=', 'staff')
    .where('actor_id', '=', String(accountId))
    .where('action', '=', action)
    .orderBy('id')
    .execute();
const takenOf = async (slotId: number) =>
  (await db.selectFrom('slots').select('taken').where('id', '=', slotId).executeTakeFirstOrThrow()).taken;

const resident = (i: number) => a.residents[i]!;
const numbers: string[] = [];

beforeAll(async () => {
  db = await testDatabase();
  [a, b] = await Promise.all([
    createTestMunicipality(db, {
      now: clock.now(),
      slots: 0,
      residents: [
        { nameKana: 'サトウ ハナコ' },
        { nameKana: 'スズキ イチロウ' },
        { nameKana: 'タカハシ ケイコ' },
        { nameKana: 'タナカ ジロウ' },
        { nameKana: 'イトウ ミキ' },
        { nameKana: 'ワタナベ アキ' },
        { nameKana: 'ヤマモト ユウ' },
        { nameKana: 'ナカムラ レイ' },
        { nameKana: 'コバヤシ ソラ' },
        { nameKana: 'カトウ リン' },
      ],
    }),
    createTestMunicipality(db, { now: clock.now(), slots: 0, residents: 1 }),
  ]);
  await db.updateTable('residents').set({ name_kanji: '佐藤 花子' }).where('id', '=', resident(0).id).execute();
  await db.updateTable('residents').set({ name_kanji: '鈴木 一郎' }).where('id', '=', resident(1).id).execute();
  slot.morning = await addSlot(a.venueId, today, '09:00');
  slot.afternoon = await addSlot(a.venueId, today, '15:00');
  slot.yesterday = await addSlot(a.venueId, addDays(today, -1), '10:00');
  slot.tomorrow = await addSlot(a.venueId, addDays(today, 1), '10:00');
  slot.later = await addSlot(a.venueId, addDays(today, 30), '10:00');
  // 0, 1: morning; 2: afternoon; the rest are used by single tests.
  numbers.push(
    await book(resident(0).id, slot.morning),
    await book(resident(1).id, slot.morning),
    await book(resident(2).id, slot.afternoon),
  );

  server = await startTestServer(db, { clock, redisPrefix: 'check-in' });
  const team = await staffTeam(server, db, { clock });
  const member = await team.member(a.code, ['venue']);
  venueStaff = { session: member.session, accountId: member.user.accountId };
  outsider = (await team.member(b.code, ['venue'])).session;
  viewer = (await team.member(a.code, ['viewer'])).session;
  staffer = (await team.member(a.code, ['staff'])).session;
});
afterAll(() => server?.close());

describe('the day’s list', () => {
  it('lists the venue’s bookings of the day by time, with the person, the dose and the status; audited', async () => {
    const answer = await dayOf({ venueId: a.venueId, date: today });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body.date).toBe(today);
    const mine = answer.body.entries.filter((e: { number: string }) => numbers.includes(e.number));
    expect(mine.map((e: { time: string }) => e.time)).toEqual(['09:00', '09:00', '15:00']);
    expect(mine.find((e: { number: string }) => e.number === numbers[0])).toEqual({
      number: numbers[0],
      startsAt: zonedTimeToUtc(today, '09:00', TZ).toISOString(),
      time: '09:00',
      residentId: resident(0).id,
      name: '佐藤 花子',
      nameKana: 'サトウ ハナコ',
      birthDate: resident(0).birthDate,
      voucherNumber: resident(0).voucherNumber,
      dose: 1,
      vaccine: { code: 'pfizer', nameJa: 'ファイザー(コミナティ)', nameEn: 'Pfizer/BioNTech (Comirnaty)' },
      status: 'booked',
      lotNumber: null,
    });
    // Other days are not on it.
    const tomorrowNumber = await book(resident(9).id, slot.tomorrow);
    expect((await dayOf({ venueId: a.venueId, date: today })).body.entries.map((e: { number: string }) => e.number)).not.toContain(
      tomorrowNumber,
    );
    expect((await dayOf({ venueId: a.venueId, date: addDays(today, 1) })).body.entries.map((e: { number: string }) => e.number)).toEqual([
      tomorrowNumber,
    ]);
    // Today by default (the municipality's day, by the server's clock).
    expect((await dayOf({ venueId: a.venueId })).body.date).toBe(today);
    const rows = await auditOf('check-in.view');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0]!.municipality_code).toBe(a.code);
    expect(rows[0]!.detail).toMatchObject({ venueId: a.venueId, date: today, by: null, found: 3 });
    expect((rows[0]!.detail as { residentIds: number[] }).residentIds.sort()).toEqual(
      [resident(0).id, resident(1).id, resident(2).id].sort(),
    );
  });

  it('finds a person by reservation number, voucher (or its QR digits), or name in kanji or kana; the audit row says how, never what', async () => {
    const cases: [string, string, number[]][] = [
      [formatReservationNumber(numbers[1]!).toLowerCase(), 'reservationNumber', [1]],
      [resident(2).voucherNumber, 'voucherNumber', [2]],
      ['11' + a.code + resident(0).voucherNumber, 'voucherNumber', [0]],
      ['佐藤', 'name', [0]],
      ['すずき', 'name', [1]],
      ['ｻﾄｰ', 'name', [0]],
      ['ハナコ', 'name', [0]],
      ['ヤマダ', 'name', []],
    ];
    for (const [q, by, expected] of cases) {
      const answer = await dayOf({ venueId: a.venueId, date: today, q });
      expect(answer.status, q + answer.text).toBe(200);
      expect(answer.body.search, q).toBe(by);
      expect(answer.body.entries.map((e: { residentId: number }) => e.residentId).sort(), q).toEqual(
        expected.map((i) => resident(i).id).sort(),
      );
      // The figures are the whole day's, whatever the search.
      expect(answer.body.figures.expected + answer.body.figures.overdue).toBe(3);
    }
    const last = (await auditOf('check-in.view')).at(-1)!;
    expect(last.detail).toMatchObject({ by: 'name', found: 0 });
    expect(JSON.stringify(last.detail)).not.toContain('ヤマダ');
    const byNumber = (await auditOf('check-in.view')).find((row) => (row.detail as { by: string }).by === 'reservationNumber')!;
    expect(byNumber.subject_resident_id).toBe(resident(1).id);
  });

  it('refuses a venue of another municipality, a bad date, and roles that may not see it', async () => {
    expect((await dayOf({ venueId: b.venueId, date: today })).body.code).toBe('not-found');
    expect((await dayOf({ venueId: a.venueId, date: '2026-02-31' })).status).toBe(400);
    expect((await dayOf({ venueId: a.venueId, date: today }, viewer)).status).toBe(403);
    expect((await dayOf({ venueId: a.venueId, date: today }, staffer)).status).toBe(200);
  });
});

describe('marking attended', () => {
  it('records the dose in the same step, and the resident can book the next dose through their API at once', async () => {
    const person = resident(3);
    const number = await book(person.id, slot.morning);
    const session = server.sessionFor(person.id, a.code);
    const before = await server.request('GET', '/api/v1/me', { session });
    expect(before.body.account.doses).toEqual([]);

    const answer = await attend(formatReservationNumber(number).toLowerCase(), 'ｆｎ９６０６');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ number, status: 'attended', residentId: person.id, dose: 1, lotNumber: 'FN9606', administeredOn: today });

    const reservation = await reservationOf(number);
    expect(reservation.status).toBe('attended');
    const [dose, ...more] = await doseRowsOf(reservation.id);
    expect(more).toEqual([]);
    expect(dose).toMatchObject({
      resident_id: person.id,
      dose_number: 1,
      administered_on: today,
      vaccine: 'pfizer',
      lot_number: 'FN9606',
      venue_id: a.venueId,
      recorded_by_staff_id: venueStaff.accountId,
    });
    const events = await eventsOf(reservation.id);
    expect(events.map((e) => [e.kind, e.actor_kind, e.actor_staff_account_id])).toEqual([
      ['booked', 'self', null],
      ['attended', 'staff', venueStaff.accountId],
    ]);
    const [audit, ...others] = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'check-in.attended')
      .where('subject_resident_id', '=', person.id)
      .execute();
    expect(others).toEqual([]);
    expect(audit).toMatchObject({ actor_id: String(venueStaff.accountId), municipality_code: a.code });

    // The history has the dose once (the attended reservation is not also counted as a booking).
    const after = await server.request('GET', '/api/v1/me', { session });
    expect(after.body.account.doses).toEqual([{ dose: 1, date: today, vaccine: 'pfizer' }]);
    expect(after.body.account.nextDose).toMatchObject({ dose: 2, earliestDate: addDays(today, 21), requiredVaccine: 'pfizer' });
    const second = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: slot.later } });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ dose: 2, status: 'booked' });
    // The day's list shows the lot number, the dose export carries it.
    const line = (await dayOf({ venueId: a.venueId, date: today, q: number })).body.entries[0];
    expect(line).toMatchObject({ status: 'attended', lotNumber: 'FN9606' });
    const exported = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${a.code}/reports/doses?from=${today}&to=${today}`, {
      session: staffer,
    });
    expect(exported.status).toBe(200);
    const row = exported.text.split('\r\n').find((l) => l.includes(person.voucherNumber))!;
    expect(row.split(',')).toEqual([
      expect.stringMatching(/^\d{14}$/),
      today.replaceAll('-', ''),
      person.voucherNumber,
      a.code,
      String(a.venueId).padStart(6, '0'),
      'テスト会場',
      '',
      'ファイザー(コミナティ)',
      'FN9606',
      '1',
    ]);
  });

  it('is idempotent: a second tap answers the same and records nothing more', async () => {
    const number = await book(resident(4).id, slot.morning);
    const first = await attend(number);
    const second = await attend(number, 'OTHER1');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const reservation = await reservationOf(number);
    expect(await doseRowsOf(reservation.id)).toHaveLength(1);
    expect((await eventsOf(reservation.id)).filter((e) => e.kind === 'attended')).toHaveLength(1);
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'check-in.attended')
        .where('subject_resident_id', '=', resident(4).id)
        .execute(),
    ).toHaveLength(1);
  });

  it('50 marks racing record one dose, and every one of them gets the same answer', async () => {
    const number = await book(resident(5).id, slot.afternoon);
    const taken = await takenOf(slot.afternoon);
    const answers = await Promise.all(Array.from({ length: 50 }, () => attend(number)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const reservation = await reservationOf(number);
    expect(await doseRowsOf(reservation.id)).toHaveLength(1);
    expect(await db.selectFrom('dose_records').select('id').where('resident_id', '=', resident(5).id).execute()).toHaveLength(1);
    expect((await eventsOf(reservation.id)).filter((e) => e.kind === 'attended')).toHaveLength(1);
    // The place stays taken: it was used.
    expect(await takenOf(slot.afternoon)).toBe(taken);
    expect(await slotCountsMismatches(db, Object.values(slot))).toEqual([]);
  });

  it('refuses a bad lot number, a cancelled booking, a day to come and a dose already in the history, changing nothing', async () => {
    const number = await book(resident(6).id, slot.morning);
    for (const lotNumber of ['', 'FF 21!', 'x'.repeat(41)]) {
      const answer = await attend(number, lotNumber);
      expect(answer.status, lotNumber).toBe(400);
    }
    expect((await attend(number, 'FF 21!')).body.errors).toMatchObject([{ field: 'lotNumber', rule: 'pattern' }]);
    expect((await reservationOf(number)).status).toBe('booked');

    const early = await book(resident(7).id, slot.tomorrow);
    const tooEarly = await attend(early);
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'check-in-too-early']);
    expect((await markAs('no-show', early)).body.code).toBe('check-in-too-early');

    const cancelled = await book(resident(8).id, slot.morning);
    // Cancelled as the cancel path leaves it: the place given back.
    await db.updateTable('reservations').set({ status: 'cancelled' }).where('number', '=', cancelled).execute();
    await db
      .updateTable('slots')
      .set((eb) => ({ taken: eb('taken', '-', 1) }))
      .where('id', '=', slot.morning)
      .execute();
    expect((await attend(cancelled)).body.code).toBe('reservation-not-active');

    // Dose 1 imported with the residents already: the mark is refused as a whole.
    await db
      .insertInto('dose_records')
      .values({ resident_id: resident(6).id, dose_number: 1, administered_on: '2026-01-05', vaccine: 'pfizer' })
      .execute();
    const twice = await attend(number);
    expect([twice.status, twice.body.code]).toEqual([409, 'dose-already-recorded']);
    const reservation = await reservationOf(number);
    expect(reservation.status).toBe('booked');
    expect((await eventsOf(reservation.id)).map((e) => e.kind)).toEqual(['booked']);

    expect((await attend('ZZZZ-ZZZZ')).body.code).toBe('reservation-not-found');
  });
});

describe('no-shows, the rate and undo', () => {
  it('marks a no-show (the place stays counted) and gives the day’s no-show rate', async () => {
    // A fresh venue, so the figures are this test's alone.
    const venue = await db
      .insertInto('venues')
      .values({ municipality_code: a.code, name_ja: '第二会場', name_en: 'Second venue', address: '東京都', vaccine: 'pfizer' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const morning = await addSlot(venue.id, today, '09:30');
    const evening = await addSlot(venue.id, today, '17:00');
    const [came, stayedAway, unmarked, later] = await Promise.all([
      book(resident(0).id, morning, 2),
      book(resident(1).id, morning, 2),
      book(resident(2).id, morning, 2),
      book(resident(9).id, evening, 2),
    ]);
    expect((await dayOf({ venueId: venue.id, date: today })).body.figures).toEqual({
      attended: 0,
      noShow: 0,
      expected: 1,
      overdue: 3,
      noShowRate: 0,
    });
    const taken = await takenOf(morning);
    expect((await attend(came!)).status).toBe(200);
    const noShow = await markAs('no-show', stayedAway!);
    expect(noShow.status, noShow.text).toBe(200);
    expect(noShow.body).toMatchObject({ status: 'no_show', lotNumber: null, administeredOn: null });
    expect((await markAs('no-show', stayedAway!)).body).toEqual(noShow.body);
    expect(await takenOf(morning)).toBe(taken);
    const reservation = await reservationOf(stayedAway!);
    expect((await eventsOf(reservation.id)).map((e) => [e.kind, e.actor_staff_account_id])).toEqual([
      ['booked', null],
      ['no_show', venueStaff.accountId],
    ]);
    expect(await doseRowsOf(reservation.id)).toEqual([]);
    // An attended person is undone before being marked a no-show.
    expect((await markAs('no-show', came!)).body.code).toBe('reservation-not-active');

    const day = await dayOf({ venueId: venue.id, date: today });
    // 1 no-show ÷ (1 attended + 1 no-show + 1 booked whose time is over); the evening one is still expected.
    expect(day.body.figures).toEqual({ attended: 1, noShow: 1, expected: 1, overdue: 1, noShowRate: 1 / 3 });
    expect(day.body.entries.map((e: { number: string; status: string }) => [e.number, e.status])).toEqual(
      expect.arrayContaining([
        [came, 'attended'],
        [stayedAway, 'no_show'],
        [unmarked, 'booked'],
        [later, 'booked'],
      ]),
    );
    expect(await auditOf('check-in.no-show')).toHaveLength(1);
  });

  it('undoes a wrong tap on the day: booked again, the dose gone from the history; later days are the record', async () => {
    const person = resident(7);
    // Dose 2: this person's dose 1 is booked for tomorrow (above).
    const number = await book(person.id, slot.afternoon, 2);
    await attend(number);
    const reservation = await reservationOf(number);
    expect(await doseRowsOf(reservation.id)).toHaveLength(1);
    const undone = await markAs('undo', number);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.body).toEqual({ number, status: 'booked', residentId: person.id, dose: 2, lotNumber: null, administeredOn: null });
    expect((await reservationOf(number)).status).toBe('booked');
    expect(await doseRowsOf(reservation.id)).toEqual([]);
    expect((await eventsOf(reservation.id)).map((e) => e.kind)).toEqual(['booked', 'attended', 'check-in-undone']);
    const me = await server.request('GET', '/api/v1/me', { session: server.sessionFor(person.id, a.code) });
    expect(me.body.account.doses).toEqual([]);
    // Undo again: nothing to undo, the same answer.
    expect((await markAs('undo', number)).body).toEqual(undone.body);
    // And it can be marked again, with the right lot this time.
    expect((await attend(number, 'EY0583')).body.lotNumber).toBe('EY0583');
    expect(await auditOf('check-in.undo')).toHaveLength(1);

    // Yesterday's marks are part of the record.
    const past = await book(resident(8).id, slot.yesterday, 2);
    expect((await attend(past)).status).toBe(200);
    const late = await markAs('undo', past);
    expect([late.status, late.body.code]).toEqual([409, 'check-in-undo-too-late']);
    expect((await reservationOf(past)).status).toBe('attended');
  });

  it('refuses to undo a no-show of someone who has booked that dose again since', async () => {
    const person = resident(9);
    const missed = await book(person.id, slot.morning, 3);
    expect((await markAs('no-show', missed)).status).toBe(200);
    await book(person.id, slot.afternoon, 3);
    const undone = await markAs('undo', missed);
    expect([undone.status, undone.body.code]).toEqual([409, 'already-booked']);
    expect((await reservationOf(missed)).status).toBe('no_show');
  });
});

describe('another municipality', () => {
  it('gets nothing: its venue staff neither see nor mark this one’s people', async () => {
    const number = await book(resident(4).id, slot.afternoon, 4);
    expect((await dayOf({ venueId: a.venueId, date: today }, outsider)).body.code).toBe('municipality-not-found');
    expect((await dayOf({ venueId: a.venueId, date: today }, outsider, b.code)).body.code).toBe('not-found');
    for (const kind of ['attended', 'no-show', 'undo'] as const) {
      expect((await markAs(kind, number, kind === 'attended' ? { lotNumber: 'FF2153' } : undefined, outsider)).body.code).toBe(
        'municipality-not-found',
      );
      expect((await markAs(kind, number, kind === 'attended' ? { lotNumber: 'FF2153' } : undefined, outsider, b.code)).body.code).toBe(
        'reservation-not-found',
      );
    }
    expect((await reservationOf(number)).status).toBe('booked');
    expect((await markAs('attended', number, { lotNumber: 'FF2153' }, viewer)).status).toBe(403);
    expect(await slotCountsMismatches(db, Object.values(slot))).toEqual([]);
  });
});
