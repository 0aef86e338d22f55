import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createFixedClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

/**
 * The room switches itself on and off: in `auto` mode when the booking back end struggles, in
 * `scheduled` mode around a municipality's opening. Checked through the real HTTP server: the
 * public state, and whether a booking without admission goes through or is sent to the queue.
 */
let db: Db;
let server: RoomServer | undefined;
beforeAll(async () => {
  db = await testDatabase();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function bookWithoutAdmission(room: RoomServer, town: TestMunicipality, index: number) {
  const browser = room.browser();
  const csrf = browser.signInAs(town.residents[index]!.id, town.code);
  // The day after tomorrow's slot: tomorrow's closes at midnight, which a test's clock may pass.
  return browser.call('POST', '/api/v1/reservations', { slotId: town.slotIds.at(-1) }, { 'x-csrf-token': csrf });
}

async function isActive(room: RoomServer): Promise<boolean> {
  return (await room.browser().call('GET', '/api/v1/waiting-room/state')).body.active;
}

describe('auto mode', () => {
  it('stays off while booking is healthy, turns on when it slows down, and off again once it has been quiet', async () => {
    const town = await createTestMunicipality(db, { residents: 3, slots: 2, capacity: 10 });
    const clock = createFixedClock(new Date());
    server = await startRoomServer(db, { clock, env: { WAITING_ROOM: 'auto' } });

    expect(await isActive(server)).toBe(false);
    expect((await bookWithoutAdmission(server, town, 0)).status).toBe(201);

    // Twelve seconds of bookings answering in 5 s (the back end's health, as the booking routes report it).
    for (let s = 0; s < 12; s++) {
      for (let r = 0; r < 10; r++) server.room.service.observe(5_000, 201);
      clock.advance(1000);
      await server.room.service.tick();
    }
    expect(await isActive(server)).toBe(true);
    const refused = await bookWithoutAdmission(server, town, 1);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('admission-required');

    // Five quiet minutes with nobody waiting: the room steps aside again.
    clock.advance(5 * 60_000 + 1000);
    await server.room.service.tick();
    expect(await isActive(server)).toBe(false);
    expect((await bookWithoutAdmission(server, town, 1)).status).toBe(201);
  });
});

describe('scheduled mode', () => {
  it('turns on the lead time before the opening in the municipality’s plan, and off after it once nobody waits', async () => {
    const start = new Date();
    // Within the hour a test session lasts: opening in 30 minutes, the room on 10 minutes before.
    const opensAt = new Date(start.getTime() + 30 * 60_000);
    const town = await createTestMunicipality(db, {
      residents: 3,
      slots: 2,
      capacity: 10,
      settings: { waitingRoom: { waves: [{ id: 'all', opensAt: opensAt.toISOString() }] } },
    });
    const clock = createFixedClock(start);
    server = await startRoomServer(db, { clock, env: { WAITING_ROOM: 'scheduled', WAITING_ROOM_LEAD_MINUTES: '10' } });

    // Half an hour before: business as usual.
    expect(await isActive(server)).toBe(false);
    expect((await bookWithoutAdmission(server, town, 0)).status).toBe(201);

    // 9 minutes before the opening: the queue is on, booking goes through it.
    clock.set(new Date(opensAt.getTime() - 9 * 60_000));
    await server.room.service.tick();
    expect(await isActive(server)).toBe(true);
    expect((await bookWithoutAdmission(server, town, 1)).body.code).toBe('admission-required');

    // 11 minutes after the opening, with nobody in the queue: off again.
    clock.set(new Date(opensAt.getTime() + 11 * 60_000));
    await server.room.service.tick();
    expect(await isActive(server)).toBe(false);
    const after = await bookWithoutAdmission(server, town, 1);
    expect(after.status, JSON.stringify(after.body)).toBe(201);
  });
});
