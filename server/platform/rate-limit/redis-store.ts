import type { Redis } from 'ioredis';
import type { RateLimitStore } from './rate-limiter.js';

// INCR and start the window's expiry on the first hit, atomically, so that concurrent
// processes never leave a counter without an expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
return {count, ttl}
`;

/** Counters in Redis, shared by every server process behind the load balancer. */
export function createRedisRateLimitStore(redis: Redis, prefix = 'yoyaku:rl:'): RateLimitStore {
  return {
    async hit(key, windowSeconds) {
      const [count, ttl] = (await redis.eval(HIT, 1, prefix + key, windowSeconds)) as [number, number];
      return { count, resetInSeconds: Math.max(ttl, 0) };
    },
    async peek(key) {
      const [value, ttl] = await redis.multi().get(prefix + key).ttl(prefix + key).exec().then((replies) =>
        (replies ?? []).map(([, reply]) => reply),
      );
      return { count: Number(value ?? 0), resetInSeconds: Math.max(Number(ttl ?? 0), 0) };
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async close() {},
  };
}
