import type { Redis } from 'ioredis';
import type { RateLimitStore } from './rate-limiter.js';

// All keys are checked, then all are counted, in one script: Redis runs a script without
// interleaving any other command, so parallel requests on any number of processes cannot all
// pass a check against the same count. The window's expiry is set with the first count (and
// mended if a key ever lacks one), so no counter outlives its window.
// (On a Redis Cluster the keys of one script must share a hash slot: give the prefix a {tag}.)
// KEYS: the counters. ARGV[1]: window in seconds; ARGV[1 + i]: max of KEYS[i].
// Returns 0 when reserved, else the 1-based index of the first key at its max and its TTL.
const RESERVE = `
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    return {i, redis.call('TTL', key)}
  end
end
for _, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[1]) end
end
return {0, 0}
`;

// Gives one back without ever going below zero or touching a window that has already ended
// (DECR on a missing key would create one without expiry).
const RELEASE = `
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count > 0 then redis.call('DECR', key) end
end
return 0
`;

/** Counters in Redis, shared by every server process behind the load balancer. */
export function createRedisRateLimitStore(redis: Redis, prefix = 'yoyaku:rl:'): RateLimitStore {
  // Sent as EVALSHA (ioredis loads the script on a NOSCRIPT answer): not the script's text and
  // its hashing on every attempt. No fixed number of keys: the first argument gives it.
  redis.defineCommand('rlReserve', { lua: RESERVE });
  redis.defineCommand('rlRelease', { lua: RELEASE });
  const r = redis as Redis & {
    rlReserve(...args: (string | number)[]): Promise<[number, number]>;
    rlRelease(...args: (string | number)[]): Promise<number>;
  };
  return {
    async reserve(limits, windowSeconds) {
      if (limits.length === 0) return { reserved: true };
      const keys = limits.map((limit) => prefix + limit.key);
      const [blocked, ttl] = await r.rlReserve(keys.length, ...keys, windowSeconds, ...limits.map((l) => l.max));
      if (blocked === 0) return { reserved: true };
      return { reserved: false, key: limits[blocked - 1]!.key, resetInSeconds: Math.max(ttl, 0) };
    },
    async release(keys) {
      if (keys.length === 0) return;
      await r.rlRelease(keys.length, ...keys.map((key) => prefix + key));
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async close() {},
  };
}
