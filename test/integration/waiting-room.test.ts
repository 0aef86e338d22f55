import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WaitingRoomStore } from '../../server/modules/waiting-room/index.js';
import type { Db } from '../../server/db/database.js';
import { createFixedClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';
import { startRoomServer, type Browser, type RoomServer } from './waiting-room-support.js';

let db: Db;
beforeAll(async () => {
  db = await testDatabase();
});

const join = (b: Browser, m: TestMunicipality, i: number, birthDate?: string) =>
  b.call('POST', '/api/v1/waiting-room/join', {
    municipalityCode: m.code,
    voucherNumber: m.residents[i]!.voucherNumber,
    birthDate: birthDate ?? m.residents[i]!.birthDate,
  });

describe('waiting room: places, tickets and admission', () => {
  const clock = createFixedClock('2026-07-20T10:00:00Z');
  let m: TestMunicipality;
  let server: RoomServer;

  beforeAll(async () => {
    m = await createTestMunicipality(db, { residents: 12, slots: 2, capacity: 50 });
    server = await startRoomServer(db, { clock, env: { WAITING_ROOM_RATE_PER_MINUTE: '60', WAITING_ROOM_GRACE_SECONDS: '120' } });
  });
  afterAll(() => server.close());

  it('numbers people first come, first served, and a reload or a second join keeps the place', async () => {
    const browsers = Array.from({ length: 4 }, () => server.browser());
    const positions = [];
    for (const [i, b] of browsers.entries()) positions.push((await join(b, m, i)).body.position);
    const base = positions[0];
    expect(positions).toEqual([base, base + 1, base + 2, base + 3]);

    // Reload: the page renews its ticket (cookie) and gets the same number.
    const renewed = await browsers[2]!.call('POST', '/api/v1/waiting-room/ticket', {});
    expect(renewed.body.position).toBe(base + 2);
    // Same person from another phone: still one place.
    expect((await join(server.browser(), m, 2)).body.position).toBe(base + 2);
  });

  it('refuses a wrong birth date at once, before any waiting', async () => {
    const wrong = await join(server.browser(), m, 5, '1999-12-31');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('sign-in-failed');
  });

  it('serves one cacheable status document, identical for everyone', async () => {
    const first = await server.browser().call('GET', `/api/v1/waiting-room/queues/${m.code}/status`);
    const second = await server.browser().call('GET', `/api/v1/waiting-room/queues/${m.code}/status`);
    expect(first.status).toBe(200);
    expect(first.text).toBe(second.text);
    expect(first.headers.get('cache-control')).toMatch(/public, max-age=2/);
    expect(first.headers.get('set-cookie')).toBeNull();
    expect(JSON.parse(first.text)).toMatchObject({ queueId: m.code, open: true, paused: false });
    const again = await server.browser().call('GET', `/api/v1/waiting-room/queues/${m.code}/status`, undefined, {
      'if-none-match': first.headers.get('etag')!,
    });
    expect(again.status).toBe(304);
  });

  it('answers an unknown queue from a cached miss until the next tick, with a short public cache lifetime', async () => {
    const store: WaitingRoomStore = server.room.store;
    const snapshot = store.snapshot;
    const reads = new Map<string, number>();
    store.snapshot = (queueId) => {
      reads.set(queueId, (reads.get(queueId) ?? 0) + 1);
      return snapshot(queueId);
    };
    try {
      const status = (id: string) => server.browser().call('GET', `/api/v1/waiting-room/queues/${id}/status`);
      for (const id of ['999999-made-up', '999999-made-up', '999999-made-up', 'not-a-queue']) {
        const missing = await status(id);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('cache-control')).toBe('public, max-age=1');
      }
      expect(reads.get('999999-made-up')).toBe(1);
      expect(reads.has('not-a-queue')).toBe(false);
      await server.room.service.tick();
      expect((await status('999999-made-up')).status).toBe(404);
      expect(reads.get('999999-made-up')).toBe(2);

      // A queue whose first person joins here is found at once, whatever was asked before.
      const other = await createTestMunicipality(db, { residents: 1 });
      expect((await status(other.code)).status).toBe(404);
      expect((await join(server.browser(), other, 0)).status).toBe(200);
      expect((await status(other.code)).status).toBe(200);
    } finally {
      store.snapshot = snapshot;
    }
  });

  it('gives a 304 only for the same bytes, so that a quiet queue never looks delayed', async () => {
    const quiet = await createTestMunicipality(db, { residents: 1 });
    const url = `/api/v1/waiting-room/queues/${quiet.code}/status`;
    await join(server.browser(), quiet, 0);
    // Admit the one person, then let a minute pass: nothing moves any more, the measured rate is 0.
    for (const step of [1000, 1000, 61_000, 1000]) {
      clock.advance(step);
      await server.room.service.tick();
    }
    const first = await server.browser().call('GET', url);
    expect(JSON.parse(first.text)).toMatchObject({ admittedThrough: 1, ratePerMinute: 0 });
    const etag = first.headers.get('etag')!;
    expect((await server.browser().call('GET', url, undefined, { 'if-none-match': etag })).status).toBe(304);

    clock.advance(20_000);
    await server.room.service.tick();
    // Same queue state, newer updatedAt: a 304 here would leave the page with a 20 s old updatedAt.
    const later = await server.browser().call('GET', url, undefined, { 'if-none-match': etag });
    expect(later.status).toBe(200);
    expect(JSON.parse(later.text).updatedAt).toBe(clock.now().toISOString());
  });

  it('refuses booking without admission, and admits at the rate with a token bound to the person', async () => {
    const b = server.browser();
    const joined = await join(b, m, 6);
    const csrf = b.signInAs(m.residents[6]!.id, m.code);
    const hold = () => b.call('POST', '/api/v1/holds', { slotId: m.slotIds[0] }, { 'x-csrf-token': csrf });

    const refused = await hold();
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('admission-required');
    expect((await b.call('POST', '/api/v1/auth/sms', { challengeId: crypto.randomUUID(), phone: '09012345678' })).body.code).toBe(
      'admission-required',
    );
    const early = await b.call('POST', '/api/v1/waiting-room/admit', {});
    expect(early.body).toMatchObject({ code: 'admission-required', reason: 'not-yet' });

    // 60/min: one person a second. Walk the clock until this person's turn.
    for (let s = 0; s < 20; s++) {
      clock.advance(1000);
      await server.room.service.tick();
    }
    const status = JSON.parse((await b.call('GET', `/api/v1/waiting-room/queues/${m.code}/status`)).text);
    expect(status.admittedThrough).toBeGreaterThanOrEqual(joined.body.position);
    expect(status.admittedThrough).toBeLessThanOrEqual(20);

    const admitted = await b.call('POST', '/api/v1/waiting-room/admit', {});
    expect(admitted.status).toBe(200);
    expect((await hold()).status).toBe(201);

    // The same token in the hands of another resident does not let them hold or book.
    const other = server.browser();
    for (const [k, v] of b.cookies) other.cookies.set(k, v);
    const otherCsrf = other.signInAs(m.residents[7]!.id, m.code);
    const stolen = await other.call('POST', '/api/v1/holds', { slotId: m.slotIds[1] }, { 'x-csrf-token': otherCsrf });
    expect(stolen.body).toMatchObject({ code: 'admission-required', reason: 'admission-other-person' });
  });

  it('refuses forged, moved, reused and expired tickets', async () => {
    const a = server.browser();
    const joined = await join(a, m, 8);
    const ticket: string = joined.body.ticket;

    const [payload, signature] = ticket.split('.');
    const body = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    body[2] = 1; // jump to the front
    const forged = `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
    expect((await a.call('POST', '/api/v1/waiting-room/admit', { ticket: forged })).body.reason).toBe('ticket-invalid');

    const thief = server.browser();
    expect((await thief.call('POST', '/api/v1/waiting-room/admit', { ticket })).body.reason).toBe('ticket-other-browser');

    for (let s = 0; s < 20; s++) {
      clock.advance(1000);
      await server.room.service.tick();
    }
    expect((await a.call('POST', '/api/v1/waiting-room/admit', {})).status).toBe(200);
    // The person joins again from a second browser and tries to take the same turn twice.
    const second = server.browser();
    expect((await join(second, m, 8)).body.position).toBe(joined.body.position);
    expect((await second.call('POST', '/api/v1/waiting-room/admit', {})).body.reason).toBe('ticket-used');

    clock.advance(25 * 3_600_000);
    expect((await a.call('POST', '/api/v1/waiting-room/admit', { ticket })).body.reason).toBe('ticket-invalid');
  });

  it('gives a turn that is not taken in time to the next person', async () => {
    await server.room.service.tick();
    const late = server.browser();
    const joined = await join(late, m, 9);
    const before = (await server.room.service.stats()).queues.find((q) => q.queueId === m.code)!;
    for (let s = 0; s < 5; s++) {
      clock.advance(1000);
      await server.room.service.tick();
    }
    clock.advance(121_000);
    await server.room.service.tick();
    const after = (await server.room.service.stats()).queues.find((q) => q.queueId === m.code)!;
    expect(after.abandoned).toBeGreaterThan(before.abandoned);
    expect((await late.call('POST', '/api/v1/waiting-room/admit', {})).body.reason).toBe('turn-expired');
    // Joining again puts the person at the back with a new number.
    expect((await join(late, m, 9)).body.position).toBeGreaterThan(joined.body.position);
  });

  it("leaves requests the admission gate turned away out of the back end's health", async () => {
    await server.room.service.tick(); // flushes what earlier tests counted
    const second = Math.floor(clock.now().getTime() / 1000);
    const before = await server.room.store.readHealth(second - 30, second);
    const b = server.browser();
    const csrf = b.signInAs(m.residents[11]!.id, m.code);
    for (let i = 0; i < 5; i++) {
      const refused = await b.call('POST', '/api/v1/holds', { slotId: m.slotIds[0] }, { 'x-csrf-token': csrf });
      expect(refused.body.code).toBe('admission-required');
    }
    // A request that reached the back end still counts (here one it refused itself).
    expect((await b.call('POST', '/api/v1/auth/voucher', {})).status).toBe(400);
    await server.room.service.tick();
    const after = await server.room.store.readHealth(second - 30, second);
    expect(after.requests - before.requests).toBe(1);
  });

  it("lets staff see their municipality's queues, and super-administrators pause or change the rate", async () => {
    const team = await staffTeam(server, db, { clock });
    const viewer = await team.member(m.code, ['viewer']);
    const elsewhere = await createTestMunicipality(db, { residents: 1 });
    const outsider = await team.member(elsewhere.code, ['administrator']);
    const root = team.root.session;
    expect((await staffCall(server, 'GET', '/api/v1/staff/waiting-room')).body.code).toBe('not-signed-in');
    const mine = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${m.code}/waiting-room`, { session: viewer.session });
    expect(mine.body.queues.map((q: { queueId: string }) => q.queueId)).toEqual([m.code]);
    expect(mine.body.queues[0]).toMatchObject({ claimed: 2 });
    // Another municipality's administrator learns nothing of this queue; only super-administrators steer the room.
    const theirs = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${m.code}/waiting-room`, { session: outsider.session });
    expect(theirs).toMatchObject({ status: 404, body: { code: 'municipality-not-found' } });
    const ownElsewhere = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${elsewhere.code}/waiting-room`, {
      session: outsider.session,
    });
    expect(ownElsewhere.body.queues).toEqual([]);
    expect(
      (await staffCall(server, 'POST', '/api/v1/staff/waiting-room/control', { session: viewer.session, body: { paused: true } })).status,
    ).toBe(403);
    const stats = await staffCall(server, 'GET', '/api/v1/staff/waiting-room', { session: root });
    expect(stats.body.queues.find((q: { queueId: string }) => q.queueId === m.code)).toMatchObject({ claimed: 2 });

    const waiting = server.browser();
    await join(waiting, m, 10);
    await staffCall(server, 'POST', '/api/v1/staff/waiting-room/control', { session: root, body: { paused: true } });
    const held = (await server.room.service.stats()).queues.find((q) => q.queueId === m.code)!.admittedThrough;
    for (let s = 0; s < 5; s++) {
      clock.advance(1000);
      await server.room.service.tick();
    }
    const anon = server.browser();
    const paused = JSON.parse((await anon.call('GET', `/api/v1/waiting-room/queues/${m.code}/status`)).text);
    expect(paused).toMatchObject({ paused: true, admittedThrough: held });
    const resumed = await staffCall(server, 'POST', '/api/v1/staff/waiting-room/control', {
      session: root,
      body: { paused: false, ratePerMinute: 120 },
    });
    expect(resumed.body).toMatchObject({ paused: false, ratePerMinute: 120, autoTune: false });
    const audited = await db
      .selectFrom('audit_log')
      .select(['detail', 'actor_id'])
      .where('action', '=', 'waiting-room.control')
      .where('actor_id', '=', String(team.root.user.accountId))
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.detail)).toEqual([{ paused: true }, { paused: false, ratePerMinute: 120 }]);
  });
});

describe("waiting room: an operator's rate and the auto-tuner", () => {
  const clock = createFixedClock('2026-07-21T10:00:00Z');
  let m: TestMunicipality;
  let server: RoomServer;
  let root: StaffSession;
  const control = (body: object) => staffCall(server, 'POST', '/api/v1/staff/waiting-room/control', { session: root, body });
  const stats = async () => (await staffCall(server, 'GET', '/api/v1/staff/waiting-room', { session: root })).body;

  beforeAll(async () => {
    m = await createTestMunicipality(db, { residents: 150, slots: 1, capacity: 10 });
    server = await startRoomServer(db, { clock, env: { WAITING_ROOM_RATE_PER_MINUTE: '60', WAITING_ROOM_AUTOTUNE: 'on' } });
    root = (await staffTeam(server, db, { clock })).root.session;
  });
  afterAll(() => server.close());

  /** Twelve seconds of a booking back end that fails slowly, with people waiting. */
  async function struggle(): Promise<void> {
    for (let s = 0; s < 12; s++) {
      for (let r = 0; r < 10; r++) server.room.service.observe(5_000, 503);
      clock.advance(1000);
      await server.room.service.tick();
    }
  }

  it('keeps a rate the operator set, until the operator hands it back to the auto-tuner', async () => {
    await control({ paused: true });
    for (let i = 0; i < 150; i++) expect((await join(server.browser(), m, i)).status).toBe(200);
    await control({ paused: false });

    // Paused would stop tuning too; keep the queue waiting by admitting slowly instead.
    const set = await control({ ratePerMinute: 1 });
    expect(set.body).toMatchObject({ ratePerMinute: 1, autoTune: false });
    await struggle();
    const held = await stats();
    expect(held).toMatchObject({ ratePerMinute: 1, autoTune: false, autoTuneConfigured: true });

    await control({ autoTune: true, ratePerMinute: 600 });
    await struggle();
    const tuned = await stats();
    expect(tuned.autoTune).toBe(true);
    expect(tuned.ratePerMinute).toBeLessThan(600);
  });
});

describe('waiting room: opening plans', () => {
  const opensAt = '2026-08-09T11:00:00.000Z';
  const clock = createFixedClock('2026-08-09T10:30:00Z');
  let m: TestMunicipality;
  let server: RoomServer;

  const early = 120;

  beforeAll(async () => {
    const fifties = Array.from({ length: early }, () => ({ birthDate: '1970-03-15' }));
    m = await createTestMunicipality(db, {
      residents: [...fifties, { birthDate: '2000-01-01' }, { birthDate: '1970-05-05' }],
      settings: { waitingRoom: { waves: [{ id: 'age50s', opensAt, ages: [50, 59] }] } },
    });
    server = await startRoomServer(db, { clock });
  });
  afterAll(() => server.close());

  it('places everyone who came before the opening in random order, then serves later arrivals in order', async () => {
    const browsers = Array.from({ length: early }, () => server.browser());
    for (const [i, b] of browsers.entries()) {
      const joined = await join(b, m, i);
      expect(joined.body).toMatchObject({ queueId: `${m.code}-age50s`, position: null });
      clock.advance(100);
    }
    const lobby = JSON.parse((await browsers[0]!.call('GET', `/api/v1/waiting-room/queues/${m.code}-age50s/status`)).text);
    expect(lobby).toMatchObject({ open: false, lobby: early, opensAt, drawSpreadSeconds: 5 });

    clock.set('2026-08-09T11:00:00.500Z');
    await server.room.service.tick();
    const numbers: number[] = [];
    for (const b of browsers) numbers.push((await b.call('POST', '/api/v1/waiting-room/ticket', {})).body.position);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
    // Arrival order plays no part: the first half to arrive draws numbers averaging (n + 1) / 2 = 60.5,
    // with a standard deviation of 3.2 for a fair draw. The bound is 5 of them (a false alarm
    // about once in 3 million runs); in arrival order the mean would be 30.5, reversed 90.5.
    const firstHalf = numbers.slice(0, early / 2);
    expect(Math.abs(firstHalf.reduce((a, b) => a + b, 0) / firstHalf.length - (early + 1) / 2)).toBeLessThan(16);
    // After the opening: first come, first served.
    expect((await join(server.browser(), m, early + 1)).body.position).toBe(early + 1);
  });

  it('refuses people outside every wave of the plan', async () => {
    const young = await join(server.browser(), m, early);
    expect(young.status).toBe(422);
    expect(young.body.code).toBe('not-eligible-age');
  });
});

describe('waiting room: a moved opening', () => {
  const clock = createFixedClock('2026-08-09T10:00:00Z');
  const plan = (opensAt: string) => ({ waitingRoom: { waves: [{ id: 'all', opensAt }] } });
  let m: TestMunicipality;
  let server: RoomServer;

  beforeAll(async () => {
    m = await createTestMunicipality(db, { residents: 2, settings: plan('2026-08-09T12:00:00.000Z') });
    server = await startRoomServer(db, { clock });
  });
  afterAll(() => server.close());

  it('takes effect while the lobby has not been drawn, even after people have joined', async () => {
    const b = server.browser();
    expect((await join(b, m, 0)).body).toMatchObject({ queueId: `${m.code}-all`, position: null });
    const status = async () => JSON.parse((await b.call('GET', `/api/v1/waiting-room/queues/${m.code}-all/status`)).text);

    // The municipality brings the opening forward to 11:00; plans are read again within 30 s.
    await db
      .updateTable('municipalities')
      .set({ settings: JSON.stringify(plan('2026-08-09T11:00:00.000Z')) })
      .where('code', '=', m.code)
      .execute();
    clock.advance(31_000);
    await server.room.service.tick();
    expect(await status()).toMatchObject({ open: false, lobby: 1, opensAt: '2026-08-09T11:00:00.000Z' });

    clock.set('2026-08-09T11:00:00.500Z');
    await server.room.service.tick();
    expect(await status()).toMatchObject({ open: true, issued: 1 });
    expect((await b.call('POST', '/api/v1/waiting-room/ticket', {})).body.position).toBe(1);
  });
});

describe('waiting room: joining limits', () => {
  let m: TestMunicipality;
  let server: RoomServer;

  beforeAll(async () => {
    m = await createTestMunicipality(db, { residents: 5 });
    server = await startRoomServer(db, { env: { LIMIT_SIGNIN_FAILURES_PER_IP: '3' } });
  });
  afterAll(() => server.close());

  it('locks an IP out after the configured number of wrong answers (LIMIT_SIGNIN_FAILURES_PER_IP)', async () => {
    // Three different vouchers, so that the per-voucher limit plays no part.
    for (let i = 0; i < 3; i++) expect((await join(server.browser(), m, i, '1999-12-31')).status).toBe(401);
    const locked = await join(server.browser(), m, 4);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('too-many-attempts');
  });
});
