import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryWaitingRoomStore } from './memory-store.js';
import { createRedisWaitingRoomStore } from './redis-store.js';
import type { JoinInput, WaitingRoomStore } from './waiting-room.store.js';

/** The same contract for both stores; the Redis half runs when REDIS_URL is set. */
const redisUrl = process.env.REDIS_URL;
const clients: Redis[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const client of clients) {
    for (const prefix of prefixes) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
    }
    client.disconnect();
  }
});

const implementations: [string, (() => WaitingRoomStore) | undefined][] = [
  ['memory', () => createMemoryWaitingRoomStore({ ratePerMinute: 60 })],
  [
    'redis',
    redisUrl
      ? () => {
          const client = new Redis(redisUrl);
          const prefix = `test:wr:${randomUUID()}:`;
          clients.push(client);
          prefixes.push(prefix);
          return createRedisWaitingRoomStore(client, { prefix, ratePerMinute: 60 });
        }
      : undefined,
  ],
];

const T0 = Date.parse('2026-07-20T11:00:00Z');
const join = (now: number, opensAt: number | null = null): JoinInput => ({
  now,
  opensAt,
  share: 1,
  sortKey: Math.random(),
  claimLifetimeMs: 20 * 60_000,
});
const claimInput = (now: number, position: number | null, browser = 'b1') => ({
  now,
  browser,
  position,
  graceMs: 120_000,
  claimLifetimeMs: 20 * 60_000,
});
const advance = (now: number, ratePerMinute = 60, paused = false) => ({ now, ratePerMinute, paused, graceMs: 120_000 });

for (const [name, make] of implementations) {
  describe.skipIf(!make)(`${name} waiting-room store${make ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
    const store = () => make!();

    it('numbers arrivals after the opening first come, first served, and keeps a place on re-join', async () => {
      const s = store();
      const positions = [];
      for (let i = 0; i < 5; i++) positions.push((await s.join('q', `p${i}`, join(T0 + i))).position);
      expect(positions).toEqual([1, 2, 3, 4, 5]);
      expect((await s.join('q', 'p2', join(T0 + 99))).position).toBe(3);
      expect(await s.positionOf('q', 'p4')).toBe(5);
      expect(await s.positionOf('q', 'nobody')).toBeUndefined();
    });

    it('numbers the lobby in random order at the opening, then continues FIFO', async () => {
      const s = store();
      const people = Array.from({ length: 40 }, (_, i) => `p${i}`);
      for (const [i, p] of people.entries()) expect((await s.join('q', p, join(T0 - 1000 + i, T0))).position).toBeNull();
      expect((await s.snapshot('q'))!.lobby).toBe(40);
      const late = await s.join('q', 'late', join(T0 + 5, T0));
      expect(late.position).toBe(41);
      const numbers = await Promise.all(people.map((p) => s.positionOf('q', p)));
      expect([...numbers].sort((a, b) => a! - b!)).toEqual(people.map((_, i) => i + 1));
      // Arrival order is not kept: the chance that 40 shuffled arrivals stay in order is nil.
      expect(numbers).not.toEqual(people.map((_, i) => i + 1));
    });

    it('admits at the rate, lets each admitted person claim once, and gives lost turns to the next people', async () => {
      const s = store();
      for (let i = 0; i < 10; i++) await s.join('q', `p${i}`, join(T0));
      await s.advance('q', advance(T0));
      expect((await s.advance('q', advance(T0 + 3000))).admittedThrough).toBe(3);
      expect(await s.claim('q', 'p4', claimInput(T0 + 3001, 5))).toEqual({ kind: 'not-yet', position: 5 });
      expect((await s.claim('q', 'p0', claimInput(T0 + 3001, 1))).kind).toBe('admitted');
      expect((await s.claim('q', 'p0', claimInput(T0 + 3002, 1))).kind).toBe('admitted');
      expect((await s.claim('q', 'p0', claimInput(T0 + 3002, 1, 'other-browser'))).kind).toBe('used');
      expect((await s.claim('q', 'p1', claimInput(T0 + 3002, 7))).kind).toBe('unknown');
      // p1 and p2 never come back: after the grace period their turns go to the next two.
      const later = await s.advance('q', advance(T0 + 3000 + 121_000, 0));
      expect(later.abandoned).toBe(2);
      expect(later.admittedThrough).toBe(5);
      expect((await s.claim('q', 'p1', claimInput(T0 + 124_500, 2))).kind).toBe('expired');
      expect(later.claimed).toBe(1);
      // A person who lost the turn may queue again, at the back.
      expect((await s.join('q', 'p1', join(T0 + 125_000))).position).toBe(11);
    });

    it('never admits more than the elapsed time allows, even when called twice for the same moment', async () => {
      const s = store();
      for (let i = 0; i < 100; i++) await s.join('q', `p${i}`, join(T0));
      await s.advance('q', advance(T0, 600));
      await Promise.all([s.advance('q', advance(T0 + 1000, 600)), s.advance('q', advance(T0 + 1000, 600))]);
      expect((await s.snapshot('q'))!.admittedThrough).toBe(10);
      // A long gap (a paused ticker) is made up for 5 seconds at most.
      expect((await s.advance('q', advance(T0 + 60_000, 600))).admittedThrough).toBe(60);
      expect((await s.advance('q', advance(T0 + 61_000, 600, true))).admittedThrough).toBe(60);
    });

    it('shares control, health and a lease', async () => {
      const s = store();
      expect((await s.setControl({ paused: true, ratePerMinute: 120 })).ratePerMinute).toBe(120);
      expect((await s.control()).paused).toBe(true);
      await s.addHealth(100, { requests: 10, slow: 1, errors: 0 });
      await s.addHealth(101, { requests: 5, slow: 0, errors: 2 });
      expect(await s.readHealth(100, 101)).toEqual({ requests: 15, slow: 1, errors: 2 });
      expect(await s.acquireLease('ticker', 'a', 5000)).toBe(true);
      expect(await s.acquireLease('ticker', 'b', 5000)).toBe(false);
      expect(await s.acquireLease('ticker', 'a', 5000)).toBe(true);
    });
  });
}
