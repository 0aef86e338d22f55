import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';

/**
 * These tests really race: all requests are sent at once through the real HTTP server and
 * the database decides who gets the places.
 */
describe('never overbooks under concurrent load', () => {
  let server: TestServer;
  let town: TestMunicipality;
  let sessions: TestSession[];

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, {
      residents: 1000,
      slots: 1,
      times: ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00', '13:30', '14:00'],
      capacity: 10,
    });
    server = await startTestServer(db);
    sessions = town.residents.map((r) => server.sessionFor(r.id, town.code));
  });
  afterAll(() => server.close());

  it('1,000 residents booking one slot of 10 at once: exactly 10 succeed, the rest get slot-full', async () => {
    const db = await testDatabase();
    const slotId = town.slotIds[0]!;
    const results = await Promise.all(
      sessions.map((session) => server.request('POST', '/api/v1/reservations', { session, body: { slotId } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(990);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.contentType).toContain('application/problem+json');
      expect(r.body.code).toBe('slot-full');
    }
    expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
    const slot = await db.selectFrom('slots').select(['taken', 'capacity']).where('id', '=', slotId).executeTakeFirstOrThrow();
    expect(slot.taken).toBe(10);
  });

  it('many slots at once: every slot fills exactly to capacity, none beyond', async () => {
    const db = await testDatabase();
    const slots = town.slotIds.slice(1); // 10 slots × 10 places
    const booked = await db.selectFrom('reservations').select('resident_id').where('slot_id', '=', town.slotIds[0]!).execute();
    const free = sessions.filter((_, i) => !booked.some((b) => b.resident_id === town.residents[i]!.id));
    const results = await Promise.all(
      free.map((session, i) => server.request('POST', '/api/v1/reservations', { session, body: { slotId: slots[i % slots.length] } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.code === 'slot-full')).toBe(true);
    const counts = await db.selectFrom('slots').select(['id', 'taken', 'capacity']).where('id', 'in', slots).execute();
    expect(counts.every((s) => s.taken === s.capacity)).toBe(true);
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
  });

  it('concurrent changes, cancellations and new bookings keep every count equal to its reservations', async () => {
    const db = await testDatabase();
    const active = await db
      .selectFrom('reservations')
      .select(['number', 'resident_id', 'slot_id'])
      .where('slot_id', 'in', town.slotIds)
      .where('status', '=', 'booked')
      .execute();
    const sessionOf = (residentId: number) => sessions[town.residents.findIndex((r) => r.id === residentId)]!;
    const unbooked = sessions.filter((_, i) => !active.some((a) => a.resident_id === town.residents[i]!.id)).slice(0, 200);
    const operations = [
      ...active.map((reservation, i) =>
        i % 3 === 0
          ? server.request('POST', `/api/v1/reservations/${reservation.number}/cancel`, { session: sessionOf(reservation.resident_id) })
          : server.request('POST', `/api/v1/reservations/${reservation.number}/change`, {
              session: sessionOf(reservation.resident_id),
              body: { slotId: town.slotIds[(i * 7) % town.slotIds.length] },
            }),
      ),
      // The same reservation cancelled twice at once: exactly one wins.
      ...active
        .slice(0, 20)
        .map((reservation) =>
          server.request('POST', `/api/v1/reservations/${reservation.number}/cancel`, { session: sessionOf(reservation.resident_id) }),
        ),
      ...unbooked.map((session, i) =>
        server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[i % town.slotIds.length] } }),
      ),
    ];
    const results = await Promise.all(operations);
    const unexpected = results.filter(
      (r) => r.status >= 500 || (r.status >= 400 && !['slot-full', 'reservation-not-active', 'already-booked'].includes(r.body.code)),
    );
    expect(unexpected).toEqual([]);
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
    const overfull = await db.selectFrom('slots').select('id').where('id', 'in', town.slotIds).whereRef('taken', '>', 'capacity').execute();
    expect(overfull).toEqual([]);
    const events = await db
      .selectFrom('reservation_events')
      .innerJoin('reservations', 'reservations.id', 'reservation_events.reservation_id')
      .select(['reservations.number', db.fn.countAll<number>().as('n')])
      .where('reservation_events.kind', '=', 'cancelled')
      .where('reservations.slot_id', 'in', town.slotIds)
      .groupBy('reservations.number')
      .having(db.fn.countAll(), '>', 1)
      .execute();
    expect(events).toEqual([]);
  });
});

describe('dose rules under concurrent writes by the same person', () => {
  it('a move of dose 1 and a booking of dose 2 sent at once never both succeed when together they break the interval', async () => {
    const db = await testDatabase();
    // One slot a day; slotIds[k] is k + 1 days ahead. Dose 1 on day 1; dose 2 may come from day 22.
    const town = await createTestMunicipality(db, { residents: 40, slots: 40, capacity: 100 });
    const server = await startTestServer(db);
    try {
      const sessions = town.residents.map((r) => server.sessionFor(r.id, town.code));
      const firsts = await Promise.all(
        sessions.map((session) => server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } })),
      );
      expect(firsts.map((r) => r.status)).toEqual(sessions.map(() => 201));

      // Moving dose 1 to day 11 is fine alone; booking dose 2 on day 22 is fine alone; not both.
      const outcomes = await Promise.all(
        sessions.map(async (session, i) => {
          const [moved, second] = await Promise.all([
            server.request('POST', `/api/v1/reservations/${firsts[i]!.body.number}/change`, {
              session,
              body: { slotId: town.slotIds[10] },
            }),
            server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[21] } }),
          ]);
          return { moved: moved.status, second: second.status, codes: [moved.body.code, second.body.code] };
        }),
      );
      for (const outcome of outcomes) {
        expect(
          [outcome.moved, outcome.second].filter((s) => s < 300),
          JSON.stringify(outcome),
        ).toHaveLength(1);
        expect(outcome.codes.filter(Boolean), JSON.stringify(outcome)).toEqual([
          expect.stringMatching(/^(conflicts-with-next-dose|interval-too-short)$/),
        ]);
      }
      // And what is stored keeps every dose 2 at least 21 days after its dose 1.
      const pairs = await db
        .selectFrom('reservations as r1')
        .innerJoin('reservations as r2', (join) => join.onRef('r2.resident_id', '=', 'r1.resident_id'))
        .innerJoin('slots as s1', 's1.id', 'r1.slot_id')
        .innerJoin('slots as s2', 's2.id', 'r2.slot_id')
        .select(['r1.resident_id', 's1.starts_at as first', 's2.starts_at as second'])
        .where('r1.dose_number', '=', 1)
        .where('r2.dose_number', '=', 2)
        .where('r1.status', '=', 'booked')
        .where('r2.status', '=', 'booked')
        .where(
          'r1.resident_id',
          'in',
          town.residents.map((r) => r.id),
        )
        .execute();
      for (const pair of pairs) expect((pair.second.getTime() - pair.first.getTime()) / 86_400_000).toBeGreaterThanOrEqual(21);
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
