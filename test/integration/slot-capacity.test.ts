import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/** One slot's capacity, changed by staff: never below its bookings, even in a burst of 50 changes. */
let db: Db;
let server: TestServer;
let town: TestMunicipality;
let staffer: StaffSession;
let viewer: StaffSession;
let outsider: StaffSession;

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 6, slots: 2, capacity: 10 });
  const other = await createTestMunicipality(db, { residents: 0 });
  server = await startTestServer(db, { redisPrefix: 'slot-capacity' });
  const team = await staffTeam(server, db);
  staffer = (await team.member(town.code, ['staff'])).session;
  viewer = (await team.member(town.code, ['viewer'])).session;
  outsider = (await team.member(other.code, ['administrator'])).session;
  const slot = town.slotIds[0]!;
  for (const [i, resident] of town.residents.entries()) {
    await db
      .insertInto('reservations')
      .values({
        number: `CAP-${town.code}-${i}`,
        resident_id: resident.id,
        slot_id: slot,
        dose_number: 1,
        vaccine: town.vaccine,
        status: 'booked',
        made_by_kind: 'self',
      })
      .execute();
  }
  await db.updateTable('slots').set({ taken: 6 }).where('id', '=', slot).execute();
});
afterAll(() => server?.close());

const path = (slotId: number) => `/api/v1/staff/municipalities/${town.code}/slots/${slotId}`;

describe('changing a slot’s capacity', () => {
  it('takes any capacity down to its bookings and refuses below them, with the count; each change audited', async () => {
    const slot = town.slotIds[0]!;
    const down = await staffCall(server, 'PATCH', path(slot), { session: staffer, body: { capacity: 6 } });
    expect(down.status, down.text).toBe(200);
    expect(down.body).toMatchObject({ id: slot, capacity: 6, taken: 6 });
    const below = await staffCall(server, 'PATCH', path(slot), {
      session: staffer,
      body: { capacity: 5 },
      headers: { 'accept-language': 'en' },
    });
    expect(below.status).toBe(409);
    expect(below.body).toMatchObject({
      code: 'capacity-below-bookings',
      taken: 6,
      title: 'This capacity is below the bookings the slot already has.',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('municipality_code', '=', town.code)
      .where('action', '=', 'slot.capacity-change')
      .execute();
    expect(audit.map((a) => a.detail)).toEqual([{ slotId: slot, from: 10, to: 6 }]);
  });

  it('keeps capacity at or above the bookings under a burst of 50 changes, with no 5xx', async () => {
    const slot = town.slotIds[0]!;
    const wanted = Array.from({ length: 50 }, (_, i) => i % 11);
    const answers = await Promise.all(
      wanted.map((capacity) => staffCall(server, 'PATCH', path(slot), { session: staffer, body: { capacity } })),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    for (const [i, answer] of answers.entries()) expect([wanted[i], answer.status]).toEqual([wanted[i], wanted[i]! >= 6 ? 200 : 409]);
    const row = await db.selectFrom('slots').select(['capacity', 'taken']).where('id', '=', slot).executeTakeFirstOrThrow();
    expect(row.capacity).toBeGreaterThanOrEqual(6);
    expect(await slotCountsMismatches(db, [slot])).toEqual([]);
  });

  it('finds no slot of another municipality, and lets no viewer or outsider change one', async () => {
    const slot = town.slotIds[1]!;
    expect((await staffCall(server, 'PATCH', path(slot), { session: viewer, body: { capacity: 3 } })).status).toBe(403);
    expect((await staffCall(server, 'PATCH', path(slot), { session: outsider, body: { capacity: 3 } })).status).toBe(404);
    const elsewhere = await createTestMunicipality(db, { residents: 0 });
    const theirs = await staffCall(server, 'PATCH', path(elsewhere.slotIds[0]!), { session: staffer, body: { capacity: 3 } });
    expect([theirs.status, theirs.body.code]).toEqual([404, 'slot-not-found']);
    const unchanged = await db.selectFrom('slots').select('capacity').where('id', 'in', [slot, elsewhere.slotIds[0]!]).execute();
    expect(unchanged.map((s) => s.capacity)).toEqual([10, 10]);
  });
});
