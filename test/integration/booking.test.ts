import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';

describe('booking, changing and cancelling', () => {
  let server: TestServer;
  let town: TestMunicipality;
  let session: TestSession;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 7, slots: 40, capacity: 3 });
    server = await startTestServer(db);
    session = await server.signIn(town.code, town.residents[0]!);
  });
  afterAll(() => server.close());

  it('lists venues, a calendar and slots with marks', async () => {
    const venues = await server.request('GET', `/api/v1/municipalities/${town.code}/venues`);
    expect(venues.body).toHaveLength(1);
    expect(venues.body[0].vaccine.code).toBe('pfizer');
    const today = localDate(new Date(), town.timeZone);
    const days = await server.request('GET', `/api/v1/venues/${town.venueId}/days?from=${today}&to=${addDays(today, 10)}`);
    expect(days.status).toBe(200);
    expect(days.body).toHaveLength(10);
    // Three places left is "few" (△) under the default policy (≤ 3 or ≤ 20%).
    expect(days.body[0]).toMatchObject({ date: addDays(today, 1), mark: 'few', remaining: 3 });
    const slots = await server.request('GET', `/api/v1/venues/${town.venueId}/slots?from=${addDays(today, 1)}&to=${addDays(today, 1)}`);
    expect(slots.body).toEqual([expect.objectContaining({ id: town.slotIds[0], remaining: 3, mark: 'few', bookable: true })]);
  });

  it('books dose 1, shows it in the ledger and the mark changes as places go', async () => {
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booked.status).toBe(201);
    expect(booked.body.number).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(booked.body).toMatchObject({ dose: 1, status: 'booked', madeBy: 'self', residentId: town.residents[0]!.id });
    const ledger = await server.request('GET', '/api/v1/reservations', { session });
    expect(ledger.body.map((r: { number: string }) => r.number)).toContain(booked.body.number);

    const again = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[5] } });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('interval-too-short');
    expect(again.body.earliestDate).toBeDefined();
  });

  it('changes a booking atomically and refuses a change into a full slot without touching the old one', async () => {
    const db = await testDatabase();
    const other = await server.signIn(town.code, town.residents[1]!);
    const mine = await server.request('POST', '/api/v1/reservations', { session: other, body: { slotId: town.slotIds[1] } });
    expect(mine.status).toBe(201);
    const moved = await server.request('POST', `/api/v1/reservations/${mine.body.number}/change`, {
      session: other,
      body: { slotId: town.slotIds[2] },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.slot.id).toBe(town.slotIds[2]);

    // Fill slot 3 with other people, then try to move into it.
    for (const resident of town.residents.slice(2, 5)) {
      const s = server.sessionFor(resident.id, town.code);
      expect((await server.request('POST', '/api/v1/reservations', { session: s, body: { slotId: town.slotIds[3] } })).status).toBe(201);
    }
    const refused = await server.request('POST', `/api/v1/reservations/${mine.body.number}/change`, {
      session: other,
      body: { slotId: town.slotIds[3] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('slot-full');
    const still = await server.request('POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: mine.body.number, birthDate: town.residents[1]!.birthDate },
    });
    expect(still.body.slot.id).toBe(town.slotIds[2]);
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
  });

  it('cancels, frees the place, and refuses to cancel twice', async () => {
    const db = await testDatabase();
    const s = server.sessionFor(town.residents[5]!.id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session: s, body: { slotId: town.slotIds[4] } });
    const before = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[4]!).executeTakeFirstOrThrow();
    const cancelled = await server.request('POST', `/api/v1/reservations/${booked.body.number}/cancel`, { session: s });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const after = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[4]!).executeTakeFirstOrThrow();
    expect(after.taken).toBe(before.taken - 1);
    const twice = await server.request('POST', `/api/v1/reservations/${booked.body.number}/cancel`, { session: s });
    expect(twice.body.code).toBe('reservation-not-active');
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
  });

  it('gives a person a full re-import marked ineligible (moved away) no new place, and lets them cancel what they hold', async () => {
    const db = await testDatabase();
    const person = town.residents[6]!;
    const theirs = await server.signIn(town.code, person);
    const kept = await server.request('POST', '/api/v1/reservations', { session: theirs, body: { slotId: town.slotIds[10] } });
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    await db.updateTable('residents').set({ eligible: false }).where('id', '=', person.id).execute();
    const before = await db.selectFrom('slots').select(['id', 'taken']).where('id', 'in', [town.slotIds[11]!, town.slotIds[12]!]).execute();
    const refused = await Promise.all([
      server.request('POST', `/api/v1/reservations/${kept.body.number}/change`, { session: theirs, body: { slotId: town.slotIds[11] } }),
      server.request('POST', '/api/v1/holds', { session: theirs, body: { slotId: town.slotIds[12] } }),
    ]);
    for (const answer of refused) {
      expect(answer.status).toBe(422);
      expect(answer.body.code).toBe('resident-ineligible');
    }
    const after = await db.selectFrom('slots').select(['id', 'taken']).where('id', 'in', [town.slotIds[11]!, town.slotIds[12]!]).execute();
    expect(after).toEqual(before);
    const cancelled = await server.request('POST', `/api/v1/reservations/${kept.body.number}/cancel`, { session: theirs });
    expect(cancelled.status).toBe(200);
    const anew = await server.request('POST', '/api/v1/reservations', { session: theirs, body: { slotId: town.slotIds[13] } });
    expect(anew.status).toBe(422);
    expect(anew.body.code).toBe('resident-ineligible');
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
  });

  it('requires the CSRF header and a session for changes', async () => {
    const noCsrf = await server.request('POST', '/api/v1/reservations', {
      body: { slotId: town.slotIds[6] },
      headers: { cookie: session.cookie },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf-failed');
    const anonymous = await server.request('POST', '/api/v1/reservations', { body: { slotId: town.slotIds[6] } });
    expect(anonymous.body.code).toBe('not-signed-in');
  });

  it('refuses ids that type coercion would turn into Infinity (Ajv skips their bounds)', async () => {
    for (const [method, path] of [
      ['DELETE', '/api/v1/me/family/Infinity'],
      ['GET', '/api/v1/venues/Infinity/slots?from=2026-12-01&to=2026-12-02'],
      ['DELETE', '/api/v1/holds/-Infinity'],
    ] as const) {
      const answer = await server.request(method, path, { session });
      expect(answer.status, path).toBe(400);
      expect(answer.body.code, path).toBe('invalid-request');
    }
  });

  it('looks a booking up by number and birth date only, read-only', async () => {
    const ledger = await server.request('GET', '/api/v1/reservations', { session });
    const number = ledger.body[0].number as string;
    const found = await server.request('POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: `${number.slice(0, 4)}-${number.slice(4).toLowerCase()}`, birthDate: town.residents[0]!.birthDate },
    });
    expect(found.status).toBe(200);
    const db = await testDatabase();
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'reservation.lookup')
      .where('subject_resident_id', '=', town.residents[0]!.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).not.toContain('127.0.0.1');
    const wrong = await server.request('POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: number, birthDate: '1900-01-01' },
    });
    expect(wrong.body.code).toBe('reservation-not-found');
  });
});

describe('holds', () => {
  it('counts a hold against capacity, turns it into the booking, and gives back expired holds', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3, capacity: 2, settings: { holdMinutes: 1 } });
    const server = await startTestServer(db);
    try {
      const [a, b, c] = town.residents.map((r) => server.sessionFor(r.id, town.code)) as [TestSession, TestSession, TestSession];
      const slotId = town.slotIds[0]!;
      const holdA = await server.request('POST', '/api/v1/holds', { session: a, body: { slotId } });
      expect(holdA.status).toBe(201);
      const holdB = await server.request('POST', '/api/v1/holds', { session: b, body: { slotId } });
      expect(holdB.status).toBe(201);
      // Holding the same slot again keeps the first expiry: nobody keeps a place for ever.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const again = await server.request('POST', '/api/v1/holds', { session: b, body: { slotId } });
      expect(again.status).toBe(201);
      expect(again.body.expiresAt).toBe(holdB.body.expiresAt);
      expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
      // Two holds fill a slot of two: a third person cannot take it…
      const third = await server.request('POST', '/api/v1/reservations', { session: c, body: { slotId } });
      expect(third.body.code).toBe('slot-full');
      // …but the holder can confirm, and the count does not change.
      const confirmed = await server.request('POST', '/api/v1/reservations', { session: a, body: { slotId } });
      expect(confirmed.status).toBe(201);
      expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
      // B's hold expires: the place comes back.
      await db
        .updateTable('holds')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('slot_id', '=', slotId)
        .execute();
      const afterExpiry = await server.request('POST', '/api/v1/reservations', { session: c, body: { slotId } });
      expect(afterExpiry.status).toBe(201);
      expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('dose rules and automatic second dose', () => {
  it('books dose 2 only with the same vaccine, the interval after dose 1, and can auto-schedule it', async () => {
    const db = await testDatabase();
    const today = localDate(new Date(), 'Asia/Tokyo');
    const town = await createTestMunicipality(db, {
      slots: 40,
      residents: [{ doses: [{ dose: 1, date: addDays(today, -5), vaccine: 'moderna' }] }, {}, { birthDate: addDays(today, -365 * 8) }],
      settings: { autoScheduleSecondDose: true },
    });
    const server = await startTestServer(db);
    try {
      const [hadModerna, fresh, child] = town.residents.map((r) => server.sessionFor(r.id, town.code)) as [
        TestSession,
        TestSession,
        TestSession,
      ];
      const wrongVaccine = await server.request('POST', '/api/v1/reservations', {
        session: hadModerna,
        body: { slotId: town.slotIds[30] },
      });
      expect(wrongVaccine.body.code).toBe('wrong-vaccine');
      // Holding a place is refused the same way, before any confirmation page, and takes nothing.
      const wrongHold = await server.request('POST', '/api/v1/holds', { session: hadModerna, body: { slotId: town.slotIds[30] } });
      expect(wrongHold.body.code).toBe('wrong-vaccine');
      expect(await db.selectFrom('holds').select('id').where('slot_id', '=', town.slotIds[30]!).execute()).toEqual([]);
      const tooYoung = await server.request('POST', '/api/v1/reservations', { session: child, body: { slotId: town.slotIds[0] } });
      expect(tooYoung.body.code).toBe('not-eligible-age');

      const first = await server.request('POST', '/api/v1/reservations', { session: fresh, body: { slotId: town.slotIds[0] } });
      expect(first.status).toBe(201);
      expect(first.body.followUp).toMatchObject({ dose: 2, autoScheduled: true, madeBy: 'system', slot: { id: town.slotIds[21] } });
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
      // Made by the system, on the request of whoever booked dose 1: the audit trail keeps both.
      const followUpRow = await db
        .selectFrom('reservations')
        .select(['made_by_kind', 'made_by_resident_id'])
        .where('number', '=', first.body.followUp.number)
        .executeTakeFirstOrThrow();
      expect(followUpRow).toEqual({ made_by_kind: 'system', made_by_resident_id: town.residents[1]!.id });

      // A hold for a move of dose 1 names the booking it would replace: without it, day 2 is a dose 2
      // too soon; with it, a dose 1 too close to the booked dose 2 (which stays on day 22).
      expect((await server.request('POST', '/api/v1/holds', { session: fresh, body: { slotId: town.slotIds[1] } })).body.code).toBe(
        'interval-too-short',
      );
      const move = await server.request('POST', '/api/v1/holds', {
        session: fresh,
        body: { slotId: town.slotIds[1], changing: first.body.number },
      });
      expect(move.body.code).toBe('conflicts-with-next-dose');
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);

      // /me offers a change of dose 1 only before dose 2 by the interval, with dose 2's vaccine.
      const me = await server.request('GET', '/api/v1/me', { session: fresh });
      const change = me.body.account.changes.find((c: { number: string }) => c.number === first.body.number);
      expect(change).toEqual({
        number: first.body.number,
        dose: 1,
        latestDate: localDate(new Date(Date.parse(first.body.slot.startsAt)), town.timeZone),
        requiredVaccine: 'pfizer',
      });

      // Cancelling dose 1 takes the dose 2 that rested on it along, in the same transaction.
      const cancelled = await server.request('POST', `/api/v1/reservations/${first.body.number}/cancel`, { session: fresh });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.alsoCancelled).toEqual([first.body.followUp.number]);
      const ledger = await server.request('GET', '/api/v1/reservations', { session: fresh });
      expect(ledger.body.map((r: { number: string; status: string }) => [r.number, r.status]).sort()).toEqual(
        [
          [first.body.number, 'cancelled'],
          [first.body.followUp.number, 'cancelled'],
        ].sort(),
      );
      expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
      // Nothing is left to block a fresh dose 1.
      const again = await server.request('POST', '/api/v1/reservations', { session: fresh, body: { slotId: town.slotIds[1] } });
      expect(again.status).toBe(201);
      expect(again.body.dose).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('family booking', () => {
  it('adds a family member proven by voucher + birth date and books for them, recording who did it', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3, slots: 3 });
    const server = await startTestServer(db);
    try {
      const [parent, child, stranger] = town.residents as [
        (typeof town.residents)[0],
        (typeof town.residents)[0],
        (typeof town.residents)[0],
      ];
      const session = await server.signIn(town.code, child);
      const wrong = await server.request('POST', '/api/v1/me/family', {
        session,
        body: { voucherNumber: parent.voucherNumber, birthDate: '1901-01-01' },
      });
      expect(wrong.body.code).toBe('resident-not-found');
      const added = await server.request('POST', '/api/v1/me/family', {
        session,
        body: { voucherNumber: parent.voucherNumber, birthDate: parent.birthDate },
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ id: parent.id, relation: 'family', nextDose: { dose: 1 } });

      const booked = await server.request('POST', '/api/v1/reservations', {
        session,
        body: { slotId: town.slotIds[0], residentId: parent.id },
      });
      expect(booked.status).toBe(201);
      expect(booked.body).toMatchObject({ residentId: parent.id, madeBy: 'family' });
      const row = await db
        .selectFrom('reservations')
        .select(['made_by_resident_id'])
        .where('number', '=', booked.body.number)
        .executeTakeFirstOrThrow();
      expect(row.made_by_resident_id).toBe(child.id);

      const notFamily = await server.request('POST', '/api/v1/reservations', {
        session,
        body: { slotId: town.slotIds[1], residentId: stranger.id },
      });
      expect(notFamily.status).toBe(403);
      const me = await server.request('GET', '/api/v1/me', { session });
      expect(me.body.family.map((p: { id: number }) => p.id)).toEqual([parent.id]);
    } finally {
      await server.close();
    }
  });
});
