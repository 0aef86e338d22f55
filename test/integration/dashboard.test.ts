import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/** An open server-sent event stream: its events as they come, and a way to wait for one. */
async function openStream(url: string, session: StaffSession) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie: session.cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const events: { id?: string; event?: string; data: any }[] = [];
  const comments: string[] = [];
  let buffer = '';
  let ended = false;
  const reading = (async () => {
    if (!response.body || !response.ok) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.includes(': ')) fields[line.slice(0, line.indexOf(': '))] = line.slice(line.indexOf(': ') + 2);
          }
          if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // Aborted by the test.
    }
    ended = true;
  })();
  return {
    response,
    events,
    comments,
    isEnded: () => ended,
    async until(test: (data: any) => boolean, ms: number) {
      const started = Date.now();
      while (Date.now() - started < ms) {
        const found = events.find((e) => test(e.data));
        if (found) return { event: found, afterMs: Date.now() - started };
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no such event within ${ms} ms; got ${events.length}`);
    },
    close() {
      controller.abort();
      return reading;
    },
  };
}

describe('the live dashboard', () => {
  let db: Db;
  let a: TestServer;
  let b: TestServer;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: StaffSession;
  let viewer: StaffSession;
  let otherStaff: StaffSession;

  beforeAll(async () => {
    db = await testDatabase();
    [town, other] = await Promise.all([
      createTestMunicipality(db, { residents: 4, slots: 3, capacity: 10 }),
      createTestMunicipality(db, { residents: 1 }),
    ]);
    // Two instances on one database, each with its own bus connection (on PostgreSQL, as two
    // processes would be). B never reads the ledger itself: what it streams came over the bus.
    a = await startTestServer(db, { redisPrefix: 'dashboard-a' });
    b = await startTestServer(db, { redisPrefix: 'dashboard-b', dashboardPollMs: 3_600_000 });
    const team = await staffTeam(a, db);
    staff = (await team.member(town.code, ['staff'])).session;
    viewer = (await team.member(town.code, ['viewer'])).session;
    otherStaff = (await team.member(other.code, ['administrator'])).session;
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts what the database holds: places per venue and day for 14 days, bookings, cancellations', async () => {
    const resident = await a.signIn(town.code, town.residents[0]!);
    const booked = await a.request('POST', '/api/v1/reservations', { session: resident, body: { slotId: town.slotIds[0] } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const answer = await staffCall(a, 'GET', `/api/v1/staff/municipalities/${town.code}/dashboard`, { session: viewer });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const d = answer.body;
    expect(d.days).toHaveLength(14);
    expect(d.fill).toHaveLength(1);
    expect(d.fill[0].days).toHaveLength(14);
    const taken = await db.selectFrom('slots').select(['capacity', 'taken']).where('id', 'in', town.slotIds).execute();
    expect(d.days.reduce((sum: number, day: any) => sum + day.capacity, 0)).toBe(taken.reduce((sum, s) => sum + s.capacity, 0));
    expect(d.days.reduce((sum: number, day: any) => sum + day.taken, 0)).toBe(taken.reduce((sum, s) => sum + s.taken, 0));
    expect(d.totals).toMatchObject({ bookings: 1, bookingsToday: 1, active: 1, cancelled: 0 });
    const day = d.days.find((x: any) => x.taken === 1);
    expect(day).toMatchObject({ capacity: 10, free: 9, fillRate: 0.1 });
    expect(d.waitingRoom).toMatchObject({ mode: 'off', waiting: 0, queues: [] });

    const cancelled = await a.request('POST', `/api/v1/reservations/${booked.body.number}/cancel`, { session: resident });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const after = await staffCall(a, 'GET', `/api/v1/staff/municipalities/${town.code}/dashboard`, { session: viewer });
    expect(after.body.totals).toMatchObject({ bookings: 0, bookingsToday: 1, active: 0, cancelled: 1 });
  });

  it('streams a booking made through instance A to a stream opened on instance B within a few seconds', async () => {
    const stream = await openStream(`${b.url}/api/v1/staff/municipalities/${town.code}/dashboard/live`, staff);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const first = await stream.until(() => true, 5_000);
      expect(first.event.event).toBe('dashboard');
      const before = first.event.data.totals.bookings as number;

      const resident = await a.signIn(town.code, town.residents[1]!);
      const booked = await a.request('POST', '/api/v1/reservations', { session: resident, body: { slotId: town.slotIds[1] } });
      expect(booked.status, JSON.stringify(booked.body)).toBe(201);
      const news = await stream.until((data) => data.totals.bookings === before + 1, 5_000);
      expect(news.afterMs).toBeLessThan(5_000);
      expect(Number(news.event.id)).toBeGreaterThan(0);
    } finally {
      await stream.close();
    }
  });

  it('is refused to another municipality’s staff exactly as a municipality that does not exist', async () => {
    const theirs = await fetch(`${b.url}/api/v1/staff/municipalities/${town.code}/dashboard/live`, {
      headers: { cookie: otherStaff.cookie },
    });
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await theirs.json()).code).toBe('municipality-not-found');
    const signedOut = await fetch(`${b.url}/api/v1/staff/municipalities/${town.code}/dashboard/live`);
    expect(signedOut.status).toBe(401);
  });

  it('ends open streams when the server closes, so close() does not hang', async () => {
    const c = await startTestServer(db, { redisPrefix: 'dashboard-c' });
    const streams = await Promise.all(
      [1, 2, 3].map(() => openStream(`${c.url}/api/v1/staff/municipalities/${town.code}/dashboard/live`, staff)),
    );
    for (const s of streams) await s.until(() => true, 5_000);
    expect(c.app.dashboard.streams.watching()).toBe(3);
    const started = Date.now();
    await c.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    for (let i = 0; i < 40 && streams.some((s) => !s.isEnded()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(streams.every((s) => s.isEnded())).toBe(true);
  });
});
