import { describe, expect, it } from 'vitest';
import { createGroupedBooking } from '../../server/modules/reservations/index.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';

/** The hot-slot path on its own: people booking one slot at the same moment share statements. */
describe('grouped booking of one hot slot', () => {
  it('1,000 concurrent bookings on a slot of 10 take exactly 10 places, in fewer statements than people', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 1000, slots: 1, capacity: 10 });
    const slot = { id: town.slotIds[0]!, vaccine: 'pfizer' };
    const grouped = createGroupedBooking(db, () => new Date());
    const outcomes = await Promise.all(
      town.residents.map((r) => grouped.book(slot, { residentId: r.id, dose: 1, madeBy: 'self', madeByResidentId: r.id })),
    );
    expect(outcomes.filter((o) => o.kind === 'booked')).toHaveLength(10);
    expect(outcomes.filter((o) => o.kind === 'full')).toHaveLength(990);
    const row = await db.selectFrom('slots').select(['taken', 'capacity']).where('id', '=', slot.id).executeTakeFirstOrThrow();
    expect(row.taken).toBe(10);
    const booked = await db
      .selectFrom('reservations')
      .select('resident_id')
      .where('slot_id', '=', slot.id)
      .where('status', '=', 'booked')
      .execute();
    expect(booked).toHaveLength(10);
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select('reservation_events.id')
      .where('reservations.slot_id', '=', slot.id)
      .execute();
    expect(events).toHaveLength(10);
    // The first to arrive get the places: the ten booked are ten of the earliest callers.
    const firstBooked = outcomes.findIndex((o) => o.kind === 'booked');
    expect(firstBooked).toBe(0);
    expect(grouped.counts().statements).toBeLessThan(50);
  });

  it('takes a whole group in one statement when it fits, each person answered with their own reservation', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 200, slots: 1, capacity: 1000 });
    const slot = { id: town.slotIds[0]!, vaccine: 'pfizer' };
    const grouped = createGroupedBooking(db, () => new Date());
    const outcomes = await Promise.all(
      town.residents.map((r) => grouped.book(slot, { residentId: r.id, dose: 1, madeBy: 'self', madeByResidentId: r.id })),
    );
    expect(outcomes.every((o) => o.kind === 'booked')).toBe(true);
    const numbers = outcomes.map((o) => (o.kind === 'booked' ? o.row.number : ''));
    expect(new Set(numbers).size).toBe(200);
    const rows = await db.selectFrom('reservations').select(['number', 'resident_id']).where('slot_id', '=', slot.id).execute();
    const byNumber = new Map(rows.map((r) => [r.number, r.resident_id]));
    town.residents.forEach((r, i) => expect(byNumber.get(numbers[i]!)).toBe(r.id));
    // The first went alone, the others arrived while it was in flight and went together.
    expect(grouped.counts()).toEqual({ statements: 2, people: 200, combined: 0 });
    const row = await db.selectFrom('slots').select('taken').where('id', '=', slot.id).executeTakeFirstOrThrow();
    expect(row.taken).toBe(200);
  });

  it('refuses a whole group when the window has closed, and leaves a person who already has that dose to be booked alone', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3, slots: 1, capacity: 10 });
    const slot = { id: town.slotIds[0]!, vaccine: 'pfizer' };
    const later = createGroupedBooking(db, () => new Date(Date.now() + 400 * 86_400_000));
    const r0 = town.residents[0]!;
    expect(await later.book(slot, { residentId: r0.id, dose: 1, madeBy: 'self', madeByResidentId: r0.id })).toEqual({ kind: 'closed' });

    const grouped = createGroupedBooking(db, () => new Date());
    expect((await grouped.book(slot, { residentId: r0.id, dose: 1, madeBy: 'self', madeByResidentId: r0.id })).kind).toBe('booked');
    const again = await Promise.all(
      town.residents.map((r) => grouped.book(slot, { residentId: r.id, dose: 1, madeBy: 'self', madeByResidentId: r.id })),
    );
    // r0 booked dose 1 already: the first statement (r0 alone) is refused by the unique index.
    expect(again[0]).toEqual({ kind: 'alone' });
    const row = await db.selectFrom('slots').select('taken').where('id', '=', slot.id).executeTakeFirstOrThrow();
    const count = await db.selectFrom('reservations').select('id').where('slot_id', '=', slot.id).where('status', '=', 'booked').execute();
    expect(row.taken).toBe(count.length);
  });
});

/** Spread load: groups of many slots, ready while statements are in flight, share one statement. */
describe('grouped booking spread over many slots', () => {
  const placesAndRows = async (db: Awaited<ReturnType<typeof testDatabase>>, slotIds: number[]) => {
    const slots = await db.selectFrom('slots').select(['id', 'taken']).where('id', 'in', slotIds).orderBy('id').execute();
    const rows = await db
      .selectFrom('reservations')
      .select(['slot_id', db.fn.countAll<string>().as('n')])
      .where('slot_id', 'in', slotIds)
      .where('status', '=', 'booked')
      .groupBy('slot_id')
      .execute();
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select('reservation_events.id')
      .where('reservations.slot_id', 'in', slotIds)
      .execute();
    return { slots, booked: new Map(rows.map((r) => [r.slot_id, Number(r.n)])), events: events.length };
  };

  it('300 people at once over 100 slots of 2: exactly 2 a slot, several slots a statement, each answered on their own', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 300, slots: 100, capacity: 2 });
    const grouped = createGroupedBooking(db, () => new Date());
    const slotOf = (i: number) => ({ id: town.slotIds[i % 100]!, vaccine: 'pfizer' });
    const outcomes = await Promise.all(
      town.residents.map((r, i) => grouped.book(slotOf(i), { residentId: r.id, dose: 1, madeBy: 'self', madeByResidentId: r.id })),
    );
    expect(outcomes.filter((o) => o.kind === 'booked')).toHaveLength(200);
    expect(outcomes.filter((o) => o.kind === 'full')).toHaveLength(100);
    const { slots, booked, events } = await placesAndRows(db, town.slotIds);
    expect(slots.every((s) => s.taken === 2 && booked.get(s.id) === 2)).toBe(true);
    expect(events).toBe(200);
    // Each booked person's reservation is theirs, in the slot they asked for.
    const rows = await db
      .selectFrom('reservations')
      .select(['number', 'resident_id', 'slot_id'])
      .where('slot_id', 'in', town.slotIds)
      .execute();
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    outcomes.forEach((o, i) => {
      if (o.kind === 'booked')
        expect(byNumber.get(o.row.number)).toMatchObject({ resident_id: town.residents[i]!.id, slot_id: slotOf(i).id });
    });
    const counts = grouped.counts();
    expect(counts.combined).toBeGreaterThan(0);
    expect(counts.statements).toBeLessThan(150);
  });

  it('a person asking for two slots at once gets one; the others sharing their statement are all booked', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 60, slots: 60, capacity: 5 });
    const grouped = createGroupedBooking(db, () => new Date());
    const twice = town.residents[10]!;
    const requests = [
      ...town.residents.map((r, i) => ({ resident: r, slot: town.slotIds[i]! })),
      { resident: twice, slot: town.slotIds[40]! },
    ];
    const outcomes = await Promise.all(
      requests.map(({ resident, slot }) =>
        grouped.book({ id: slot, vaccine: 'pfizer' }, { residentId: resident.id, dose: 1, madeBy: 'self', madeByResidentId: resident.id }),
      ),
    );
    const theirs = [outcomes[10]!, outcomes[60]!].map((o) => o.kind).sort();
    expect(theirs).toEqual(['alone', 'booked']);
    expect(outcomes.filter((o, i) => i !== 10 && i !== 60 && o.kind !== 'booked')).toEqual([]);
    const { slots, booked, events } = await placesAndRows(db, town.slotIds);
    expect(slots.every((s) => s.taken === (booked.get(s.id) ?? 0))).toBe(true);
    expect(events).toBe(60);
    const mine = await db
      .selectFrom('reservations')
      .select('id')
      .where('resident_id', '=', twice.id)
      .where('status', '=', 'booked')
      .execute();
    expect(mine).toHaveLength(1);
  });

  it('a slot closed under a shared statement refuses its own people as closed; the other slots of the statement are booked', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 60, slots: 30, capacity: 5 });
    // What a staff closing that commits while a booking statement is on its way looks like to that
    // statement: the booking window still open, the slot closed (its trigger refuses any new place).
    const closed = town.slotIds.filter((_, i) => i % 3 === 0);
    await db.updateTable('slots').set({ closed_at: new Date() }).where('id', 'in', closed).execute();
    const grouped = createGroupedBooking(db, () => new Date());
    const slotOf = (i: number) => town.slotIds[i % 30]!;
    const outcomes = await Promise.all(
      town.residents.map((r, i) =>
        grouped.book({ id: slotOf(i), vaccine: 'pfizer' }, { residentId: r.id, dose: 1, madeBy: 'self', madeByResidentId: r.id }),
      ),
    );
    expect(grouped.counts().combined).toBeGreaterThan(0);
    const wrong = outcomes.filter((o, i) => o.kind !== (closed.includes(slotOf(i)) ? 'closed' : 'booked'));
    expect(wrong).toEqual([]);
    const { slots, booked, events } = await placesAndRows(db, town.slotIds);
    expect(slots.every((s) => s.taken === (booked.get(s.id) ?? 0) && s.taken === (closed.includes(s.id) ? 0 : 2))).toBe(true);
    expect(events).toBe(40);
  });

  it('a row the database refuses fails its own group only: the other slots sharing the statement are booked', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 40, slots: 40, capacity: 5 });
    const grouped = createGroupedBooking(db, () => new Date());
    const nobody = 2_000_000_000; // no such resident: the foreign key refuses the row (SQLSTATE 23503)
    const requests = town.residents.map((r, i) => ({ residentId: i === 20 ? nobody : r.id, slot: town.slotIds[i]! }));
    const outcomes = await Promise.allSettled(
      requests.map(({ residentId, slot }) =>
        grouped.book({ id: slot, vaccine: 'pfizer' }, { residentId, dose: 1, madeBy: 'self', madeByResidentId: null }),
      ),
    );
    expect(grouped.counts().combined).toBeGreaterThan(0);
    expect(outcomes[20]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '23503' }) });
    expect(outcomes.filter((o, i) => i !== 20 && !(o.status === 'fulfilled' && o.value.kind === 'booked'))).toEqual([]);
    const { slots, booked } = await placesAndRows(db, town.slotIds);
    expect(slots.every((s) => s.taken === (booked.get(s.id) ?? 0) && s.taken === (s.id === town.slotIds[20] ? 0 : 1))).toBe(true);
  });
});
