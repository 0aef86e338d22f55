import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../clock.js';
import { createLogger } from '../logger.js';
import { createRedisClient } from '../redis.js';
import { createMemoryRateLimitStore } from './memory-store.js';
import type { RateLimitStore } from './rate-limiter.js';
import { createRedisRateLimitStore } from './redis-store.js';

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

interface Subject {
  /** Stores that share their counters: one for memory, two (two connections, as two processes) for Redis. */
  stores: RateLimitStore[];
  /** Lets the window pass: moves the fixed clock, or waits for Redis to expire the keys. */
  pass(seconds: number): Promise<void>;
}

const implementations: [string, (() => Subject) | undefined][] = [
  [
    'memory',
    () => {
      const clock = createFixedClock('2026-07-20T11:00:00Z');
      const store = createMemoryRateLimitStore(clock);
      return { stores: [store, store], pass: async (seconds) => clock.advance(seconds * 1000) };
    },
  ],
  [
    'redis',
    redisUrl
      ? () => {
          const prefix = `test:rl:${randomUUID()}:`;
          prefixes.push(prefix);
          const stores = [0, 1].map(() => {
            const client = createRedisClient(redisUrl, createLogger('silent'));
            clients.push(client);
            return createRedisRateLimitStore(client, prefix);
          });
          return { stores, pass: (seconds) => sleep(seconds * 1000 + 200) };
        }
      : undefined,
  ],
];

for (const [name, make] of implementations) {
  describe.skipIf(!make)(`${name} rate-limit store${make ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
    it('counts up to the max, then refuses with the key and the time left in its window', async () => {
      const [store] = make!().stores as [RateLimitStore];
      for (let i = 0; i < 3; i++) expect(await store.reserve([{ key: 'a', max: 3 }], 60)).toEqual({ reserved: true });
      const refused = await store.reserve([{ key: 'a', max: 3 }], 60);
      expect(refused).toMatchObject({ reserved: false, key: 'a' });
      if (!refused.reserved) {
        expect(refused.resetInSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.resetInSeconds).toBeLessThanOrEqual(60);
      }
    });

    it('is all or nothing: a key at its max leaves the other keys uncounted', async () => {
      const [store] = make!().stores as [RateLimitStore];
      await store.reserve([{ key: 'full', max: 1 }], 60);
      for (let i = 0; i < 5; i++) {
        expect(
          await store.reserve(
            [
              { key: 'open', max: 2 },
              { key: 'full', max: 1 },
            ],
            60,
          ),
        ).toMatchObject({ reserved: false, key: 'full' });
      }
      // `open` was never counted by the refused attempts: both of its two are still there.
      expect(await store.reserve([{ key: 'open', max: 2 }], 60)).toEqual({ reserved: true });
      expect(await store.reserve([{ key: 'open', max: 2 }], 60)).toEqual({ reserved: true });
      expect(await store.reserve([{ key: 'open', max: 2 }], 60)).toMatchObject({ reserved: false, key: 'open' });
    });

    it('gives a reservation back, never below zero, and never revives an unknown key', async () => {
      const [store] = make!().stores as [RateLimitStore];
      await store.reserve([{ key: 'b', max: 2 }], 60);
      await store.reserve([{ key: 'b', max: 2 }], 60);
      expect(await store.reserve([{ key: 'b', max: 2 }], 60)).toMatchObject({ reserved: false });
      await store.release(['b']);
      expect(await store.reserve([{ key: 'b', max: 2 }], 60)).toEqual({ reserved: true });
      for (let i = 0; i < 5; i++) await store.release(['b', 'never-seen']);
      // Five releases of two reservations leave zero, not minus three: two fit again, not five.
      expect(await store.reserve([{ key: 'b', max: 2 }], 60)).toEqual({ reserved: true });
      expect(await store.reserve([{ key: 'b', max: 2 }], 60)).toEqual({ reserved: true });
      expect(await store.reserve([{ key: 'b', max: 2 }], 60)).toMatchObject({ reserved: false });
      expect(await store.reserve([{ key: 'never-seen', max: 1 }], 60)).toEqual({ reserved: true });
    });

    it('starts again from zero when the window has passed', async () => {
      const subject = make!();
      const [store] = subject.stores as [RateLimitStore];
      await store.reserve([{ key: 'c', max: 1 }], 1);
      expect(await store.reserve([{ key: 'c', max: 1 }], 1)).toMatchObject({ reserved: false });
      await subject.pass(1);
      expect(await store.reserve([{ key: 'c', max: 1 }], 1)).toEqual({ reserved: true });
    });

    it('reserves exactly the max out of 200 parallel attempts, spread over two connections', async () => {
      const { stores } = make!();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stores[i % 2]!.reserve(
            [
              { key: 'ip', max: 30 },
              { key: `voucher:${i % 10}`, max: 5 },
            ],
            60,
          ),
        ),
      );
      const reserved = results.filter((r) => r.reserved);
      // Ten vouchers of five allow 50, the address 30: the address decides.
      expect(reserved).toHaveLength(30);
      for (const r of results) if (!r.reserved) expect(['ip', ...Array.from({ length: 10 }, (_, i) => `voucher:${i}`)]).toContain(r.key);
      // Nothing was counted past the max: once the 30 are given back, 30 fit again.
      await Promise.all(Array.from({ length: 30 }, () => stores[0]!.release(['ip'])));
      const again = await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 2]!.reserve([{ key: 'ip', max: 30 }], 60)));
      expect(again.filter((r) => r.reserved)).toHaveLength(30);
    });

    it('under a burst of guesses with right answers that give their attempt back, counts only the wrong ones', async () => {
      const { stores } = make!();
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const result = await stores[i % 2]!.reserve([{ key: 'v', max: 5 }], 60);
          if (!result.reserved) return 'refused';
          if (i % 4 !== 0) return 'wrong';
          await stores[i % 2]!.release(['v']);
          return 'right';
        }),
      );
      expect(outcomes.filter((o) => o === 'wrong').length).toBeLessThanOrEqual(5);
      expect(outcomes.filter((o) => o === 'wrong').length).toBeGreaterThanOrEqual(1);
    });
  });
}
