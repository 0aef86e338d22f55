import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, slotCountsMismatches, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';

/** Issue 13 §16: a couple booked into one slot, each with their own reservation, or neither. */
describe('booking several people at once', () => {
  let server: TestServer;
  let town: TestMunicipality;
  let session: TestSession;
  const link = async (s: TestSession, member: TestMunicipality['residents'][number]) => {
    const added = await server.request('POST', '/api/v1/me/family', {
      session: s,
      body: { voucherNumber: member.voucherNumber, birthDate: member.birthDate },
    });
    expect(added.status).toBe(201);
  };

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 8, slots: 10, capacity: 2 });
    server = await startTestServer(db);
    session = await server.signIn(town.code, town.residents[0]!);
    await link(session, town.residents[1]!);
    await link(session, town.residents[2]!);
  });
  afterAll(() => server.close());

  it('books the holder and a family member into one slot, each with their own number', async () => {
    const [me, partner] = town.residents;
    const booked = await server.request('POST', '/api/v1/reservations/together', {
      session,
      body: { slotId: town.slotIds[0], residentIds: [me!.id, partner!.id] },
    });
    expect(booked.status).toBe(201);
    const reservations = booked.body.reservations as { number: string; residentId: number; slot: { id: number }; madeBy: string }[];
    expect(reservations.map((r) => r.residentId).sort()).toEqual([me!.id, partner!.id].sort());
    expect(new Set(reservations.map((r) => r.number)).size).toBe(2);
    expect(reservations.every((r) => r.slot.id === town.slotIds[0])).toBe(true);
    expect(reservations.find((r) => r.residentId === partner!.id)?.madeBy).toBe('family');
    const db = await testDatabase();
    const slot = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[0]!).executeTakeFirstOrThrow();
    expect(slot.taken).toBe(2);
  });

  it('takes no place at all when the slot has room for only one of them', async () => {
    const db = await testDatabase();
    // Someone else takes one of slot 1's two places first.
    const stranger = server.sessionFor(town.residents[7]!.id, town.code);
    expect((await server.request('POST', '/api/v1/reservations', { session: stranger, body: { slotId: town.slotIds[1] } })).status).toBe(
      201,
    );
    const other = await server.signIn(town.code, town.residents[3]!);
    await link(other, town.residents[4]!);
    const refused = await server.request('POST', '/api/v1/reservations/together', {
      session: other,
      body: { slotId: town.slotIds[1], residentIds: [town.residents[3]!.id, town.residents[4]!.id] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('slot-full');
    const slot = await db.selectFrom('slots').select('taken').where('id', '=', town.slotIds[1]!).executeTakeFirstOrThrow();
    expect(slot.taken).toBe(1);
    const theirs = await db
      .selectFrom('reservations')
      .select('id')
      .where('resident_id', 'in', [town.residents[3]!.id, town.residents[4]!.id])
      .execute();
    expect(theirs).toEqual([]);
    expect(await slotCountsMismatches(db, town.slotIds)).toEqual([]);
  });

  it('refuses people the account may not act for, and tells which person a dose rule stops', async () => {
    const stranger = town.residents[6]!;
    const forbidden = await server.request('POST', '/api/v1/reservations/together', {
      session,
      body: { slotId: town.slotIds[2], residentIds: [town.residents[2]!.id, stranger.id] },
    });
    expect(forbidden.status).toBe(403);
    // The holder booked dose 1 above: a slot two days later is too soon for their dose 2.
    const tooSoon = await server.request('POST', '/api/v1/reservations/together', {
      session,
      body: { slotId: town.slotIds[2], residentIds: [town.residents[0]!.id, town.residents[2]!.id] },
    });
    expect(tooSoon.status).toBe(422);
    expect(tooSoon.body).toMatchObject({ code: 'interval-too-short', residentId: town.residents[0]!.id });
    const db = await testDatabase();
    expect(await db.selectFrom('reservations').select('id').where('resident_id', '=', town.residents[2]!.id).execute()).toEqual([]);
  });

  it('lets exactly one of 50 couples racing for a slot with room for one couple have it, whole', async () => {
    const db = await testDatabase();
    const crowd = await createTestMunicipality(db, { residents: 100, slots: 1, capacity: 2 });
    const sessions = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const s = server.sessionFor(crowd.residents[2 * i]!.id, crowd.code);
        await link(s, crowd.residents[2 * i + 1]!);
        return { s, ids: [crowd.residents[2 * i]!.id, crowd.residents[2 * i + 1]!.id] };
      }),
    );
    const answers = await Promise.all(
      sessions.map(({ s, ids }) =>
        server.request('POST', '/api/v1/reservations/together', { session: s, body: { slotId: crowd.slotIds[0], residentIds: ids } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'slot-full')).toBe(true);
    const slot = await db.selectFrom('slots').select('taken').where('id', '=', crowd.slotIds[0]!).executeTakeFirstOrThrow();
    expect(slot.taken).toBe(2);
    expect(await slotCountsMismatches(db, crowd.slotIds)).toEqual([]);
  });
});
