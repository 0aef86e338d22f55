import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createLogger } from '../../platform/logger.js';
import { createRedisClient } from '../../platform/redis.js';
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
          const client = createRedisClient(redisUrl, createLogger('silent'));
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
    });

    it('draws the lobby fairly: the first and the last to arrive land anywhere, uniformly', async () => {
      // 150 lobbies of 20. Where the first (and the last) arrival lands must look uniform on 1..20:
      // a mean near 10.5 (sd of the mean 0.47; the bound is 5.3 sd) and a chi-square over the 20
      // places under 76 (19 degrees of freedom; p < 1e-8). Arrival order (mean 1), reversed order
      // (mean 20) or any fixed rotation (all 150 in one place, chi-square 2850) fail both by far.
      const s = store();
      const lobbies = 150;
      const size = 20;
      const firstAt = new Array<number>(size + 1).fill(0);
      const landed = { first: [] as number[], last: [] as number[] };
      for (let l = 0; l < lobbies; l++) {
        const queueId = `q${l}`;
        for (let i = 0; i < size; i++) await s.join(queueId, `p${i}`, join(T0 - 1000 + i, T0));
        await s.advance(queueId, advance(T0 + 1));
        const [first, last] = await Promise.all([s.positionOf(queueId, 'p0'), s.positionOf(queueId, `p${size - 1}`)]);
        landed.first.push(first!);
        landed.last.push(last!);
        firstAt[first!]! += 1;
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean(landed.first) - (size + 1) / 2)).toBeLessThan(2.5);
      expect(Math.abs(mean(landed.last) - (size + 1) / 2)).toBeLessThan(2.5);
      const expected = lobbies / size;
      const chiSquare = firstAt.slice(1).reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
      expect(chiSquare).toBeLessThan(76);
    });

    it('lets a moved opening take effect until the lobby has been drawn', async () => {
      const s = store();
      await s.join('q', 'a', join(T0 - 10_000, T0 + 60_000));
      // The plan moves the opening earlier: the next join carries the new time.
      await s.join('q', 'b', join(T0 - 5_000, T0));
      expect((await s.snapshot('q'))!.opensAt).toBe(T0);
      expect((await s.advance('q', advance(T0 + 1))).open).toBe(true);
      // Once drawn, a queue stays open whatever the plan says.
      await s.join('q', 'c', join(T0 + 2, T0 + 60_000));
      expect(await s.snapshot('q')).toMatchObject({ open: true, opensAt: T0, issued: 3 });

      // The plan moves an opening later, and nobody joins meanwhile: the ticker carries the new time.
      await s.join('r', 'a', join(T0 - 10_000, T0));
      expect(await s.advance('r', { ...advance(T0 + 1), opensAt: T0 + 60_000 })).toMatchObject({
        open: false,
        lobby: 1,
        opensAt: T0 + 60_000,
      });
      expect(await s.positionOf('r', 'a')).toBeNull();
      expect(await s.advance('r', { ...advance(T0 + 60_001), opensAt: T0 + 60_000 })).toMatchObject({ open: true, issued: 1 });
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
      // p1 and p2 never come back: after the grace period their turns are lost, and the next
      // people are admitted within the rate (5 s of catch-up at 60/min), not 2 more on top of it.
      const later = await s.advance('q', advance(T0 + 3000 + 121_000, 60));
      expect(later.abandoned).toBe(2);
      expect(later.admittedThrough).toBe(8);
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

    it('never admits more than the rate, even when every turn is lost', async () => {
      const s = store();
      for (let i = 0; i < 600; i++) await s.join('q', `p${i}`, join(T0));
      await s.advance('q', advance(T0));
      let last;
      for (let second = 1; second <= 300; second++) {
        last = await s.advance('q', advance(T0 + second * 1000, 60));
        expect(last.admittedThrough).toBeLessThanOrEqual(second);
      }
      expect(last!.admittedThrough).toBe(300);
      expect(last!.abandoned).toBeGreaterThan(150); // nobody claimed: every turn older than the grace is lost
    });

    it.runIf(name === 'redis')('lists a queue for the ticker even if listing it failed when it was created', async () => {
      const s = store();
      const client = clients[clients.length - 1]!;
      const queuesKey = `${prefixes[prefixes.length - 1]!}queues`;
      await client.set(queuesKey, 'not a set'); // SADD now fails (WRONGTYPE), as a lost connection would
      await expect(s.join('q', 'a', join(T0))).rejects.toThrow();
      await client.del(queuesKey);
      // The person tries again (or someone else joins): the queue must be listed now.
      await s.join('q', 'a', join(T0 + 1));
      expect(await s.queueIds()).toEqual(['q']);
      expect((await s.advance('q', advance(T0 + 2))).issued).toBe(1);
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
