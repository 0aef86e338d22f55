import type { Redis } from 'ioredis';
import { MAX_CATCH_UP_MS } from './queue-rules.js';
import type { ClaimOutcome, QueueSnapshot, RoomControl, WaitingRoomStore } from './waiting-room.store.js';

/*
 * Each queue is a handful of keys sharing the hash tag {queueId}, so every script touches one
 * Redis Cluster slot and queues spread over the cluster's shards:
 *   meta     hash   opensAt share open issued admitted claimed abandoned booked settled advancedAt carry
 *   persons  hash   personKey -> position, or "L" while in the lobby
 *   lobby    zset   personKey scored by a random number; a lobby member's position is ZRANK + 1
 *   claims   hash   personKey -> "claimedAt|browser"
 *   batches  zset   "through:at" scored by `through`: who was admitted when, until settled
 *   bclaims  hash   through -> claims made in that batch
 * and one key outside those slots, `queues` (a set of queue ids, for the ticker).
 */

// Shared by the scripts: move an opening not yet reached, and number the lobby once it is due.
const PRELUDE = `
local meta, persons, lobby = KEYS[1], KEYS[2], KEYS[3]
local function moveOpening(opensAt)
  if opensAt ~= '' and redis.call('HGET', meta, 'open') ~= '1' then redis.call('HSET', meta, 'opensAt', opensAt) end
end
local function seal(now)
  if redis.call('HGET', meta, 'open') == '1' then return end
  local opensAt = tonumber(redis.call('HGET', meta, 'opensAt'))
  if opensAt == nil or now < opensAt then return end
  redis.call('HSET', meta, 'open', 1, 'issued', redis.call('ZCARD', lobby))
end
local function positionOf(person)
  local p = redis.call('HGET', persons, person)
  if not p then return nil end
  if p == 'L' then
    if redis.call('HGET', meta, 'open') ~= '1' then return -1 end
    return redis.call('ZRANK', lobby, person) + 1
  end
  return tonumber(p)
end
local function claimOf(claims, person)
  local c = redis.call('HGET', claims, person)
  if not c then return nil end
  local bar = string.find(c, '|', 1, true)
  return tonumber(string.sub(c, 1, bar - 1)), string.sub(c, bar + 1)
end
`;

// KEYS meta persons lobby claims; ARGV person now opensAt share sortKey claimLifetime
const JOIN = `${PRELUDE}
local claims = KEYS[4]
local person, now, lifetime = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[6])
if redis.call('EXISTS', meta) == 0 then
  local open = 0
  if ARGV[3] == '' then open = 1 end
  redis.call('HSET', meta, 'opensAt', ARGV[3], 'share', ARGV[4], 'open', open, 'issued', 0, 'admitted', 0,
    'claimed', 0, 'abandoned', 0, 'booked', 0, 'settled', 0, 'advancedAt', 0, 'carry', 0)
end
moveOpening(ARGV[3])
seal(now)
local current = positionOf(person)
if current ~= nil then
  if current == -1 then return -1 end
  local at = claimOf(claims, person)
  local usedUp
  if at then usedUp = now > at + lifetime else usedUp = current <= tonumber(redis.call('HGET', meta, 'settled')) end
  if not usedUp then return current end
  -- The lobby stays as it was at the opening (removing a member would shift the ranks after it).
  redis.call('HDEL', claims, person)
end
if redis.call('HGET', meta, 'open') ~= '1' then
  redis.call('ZADD', lobby, ARGV[5], person)
  redis.call('HSET', persons, person, 'L')
  return -1
end
local position = redis.call('HINCRBY', meta, 'issued', 1)
redis.call('HSET', persons, person, position)
return position
`;

// KEYS meta persons lobby claims batches bclaims; ARGV person now browser ticketPosition grace lifetime
const CLAIM = `${PRELUDE}
local claims, batches, bclaims = KEYS[4], KEYS[5], KEYS[6]
local person, now, browser, grace, lifetime = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[5]), tonumber(ARGV[6])
local pos = positionOf(person)
if pos == nil then return {'unknown'} end
if pos == -1 then return {'not-yet', -1} end
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= pos then return {'unknown'} end
if pos > tonumber(redis.call('HGET', meta, 'admitted')) then return {'not-yet', pos} end
local at, claimedBy = claimOf(claims, person)
if at then
  if claimedBy == browser and now <= at + lifetime then return {'admitted', at} end
  return {'used'}
end
if pos <= tonumber(redis.call('HGET', meta, 'settled')) then return {'expired'} end
local batch = redis.call('ZRANGEBYSCORE', batches, pos, '+inf', 'LIMIT', 0, 1)[1]
if not batch then return {'expired'} end
local colon = string.find(batch, ':', 1, true)
local through, admittedAt = string.sub(batch, 1, colon - 1), tonumber(string.sub(batch, colon + 1))
if admittedAt + grace < now then return {'expired'} end
redis.call('HINCRBY', bclaims, through, 1)
redis.call('HINCRBY', meta, 'claimed', 1)
redis.call('HSET', claims, person, now .. '|' .. browser)
return {'admitted', now}
`;

// KEYS meta persons lobby batches bclaims; ARGV now rate paused grace opensAt. Mirrors memory-store's advance.
const ADVANCE = `${PRELUDE}
local batches, bclaims = KEYS[4], KEYS[5]
local now, rate, paused, grace = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1', tonumber(ARGV[4])
if redis.call('EXISTS', meta) == 0 then return {} end
moveOpening(ARGV[5])
seal(now)
if redis.call('HGET', meta, 'open') == '1' then
  local m = {}
  local raw = redis.call('HGETALL', meta)
  for i = 1, #raw, 2 do m[raw[i]] = raw[i + 1] end
  local settled, abandoned = tonumber(m.settled), tonumber(m.abandoned)
  for _, batch in ipairs(redis.call('ZRANGE', batches, 0, -1)) do
    local colon = string.find(batch, ':', 1, true)
    local through, at = tonumber(string.sub(batch, 1, colon - 1)), tonumber(string.sub(batch, colon + 1))
    if at + grace >= now then break end
    -- Lost turns are counted, not made up for on top of the rate (see memory-store.ts).
    local lost = through - settled - (tonumber(redis.call('HGET', bclaims, tostring(through))) or 0)
    abandoned, settled = abandoned + lost, through
    redis.call('ZREM', batches, batch)
    redis.call('HDEL', bclaims, tostring(through))
  end
  local issued, admitted, carry = tonumber(m.issued), tonumber(m.admitted), tonumber(m.carry)
  local waiting = issued - admitted
  if paused or waiting == 0 then
    carry = 0
  else
    local last = tonumber(m.advancedAt)
    if last == 0 then last = now end
    local exact = rate * math.min(math.max(now - last, 0), ${MAX_CATCH_UP_MS}) / 60000 + carry
    local count = math.floor(exact)
    carry = math.min(exact - count, 1)
    local admit = math.min(count, waiting)
    if admit > 0 then
      admitted = admitted + admit
      redis.call('ZADD', batches, admitted, admitted .. ':' .. now)
    end
  end
  local advancedAt = math.max(tonumber(m.advancedAt), now)
  redis.call('HSET', meta, 'settled', settled, 'abandoned', abandoned, 'carry', tostring(carry),
    'admitted', admitted, 'advancedAt', advancedAt)
end
return redis.call('HGETALL', meta)
`;

// Take the lease if free, renew it if ours.
const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

function toSnapshot(queueId: string, flat: string[], lobby: number): QueueSnapshot {
  const m: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) m[flat[i]!] = flat[i + 1]!;
  const n = (field: string) => Number(m[field] ?? 0);
  return {
    queueId,
    opensAt: m.opensAt ? Number(m.opensAt) : null,
    open: m.open === '1',
    share: n('share') || 1,
    issued: n('issued'),
    lobby: m.open === '1' ? 0 : lobby,
    admittedThrough: n('admitted'),
    claimed: n('claimed'),
    abandoned: n('abandoned'),
    booked: n('booked'),
    advancedAt: n('advancedAt'),
  };
}

/** The queues in Redis, shared by every server process; positions come from one atomic counter. */
export function createRedisWaitingRoomStore(redis: Redis, options: { prefix?: string; ratePerMinute: number }): WaitingRoomStore {
  const prefix = options.prefix ?? 'yoyaku:wr:';
  const keys = (queueId: string) => {
    const base = `${prefix}{${queueId}}:`;
    return {
      meta: `${base}meta`,
      persons: `${base}persons`,
      lobby: `${base}lobby`,
      claims: `${base}claims`,
      batches: `${base}batches`,
      bclaims: `${base}bclaims`,
    };
  };
  const queuesKey = `${prefix}queues`;
  const controlKey = `${prefix}control`;
  const healthKey = (second: number) => `${prefix}health:${second}`;

  redis.defineCommand('wrJoin', { numberOfKeys: 4, lua: JOIN });
  redis.defineCommand('wrClaim', { numberOfKeys: 6, lua: CLAIM });
  redis.defineCommand('wrAdvance', { numberOfKeys: 5, lua: ADVANCE });
  redis.defineCommand('wrLease', { numberOfKeys: 1, lua: LEASE });
  type Scripted = Redis & {
    wrJoin(...args: (string | number)[]): Promise<number>;
    wrClaim(...args: (string | number)[]): Promise<[string, number?]>;
    wrAdvance(...args: (string | number)[]): Promise<string[]>;
    wrLease(...args: (string | number)[]): Promise<number>;
  };
  const r = redis as Scripted;

  return {
    async join(queueId, personKey, input) {
      const k = keys(queueId);
      // List the queue for the ticker on every join, sent before the place is given: the set
      // lives in another Cluster slot, so it cannot be in the script, but SADD is idempotent and
      // one connection runs its commands in order. Both go in one write (auto-pipelining): one
      // round trip, not two. A SADD that fails (a connection lost mid-write) fails the join even
      // when its script ran; the person's retry finds their place held and lists the queue again,
      // and so does every later join: a queue is unlisted at most until the next join.
      const [, position] = await Promise.all([
        redis.sadd(queuesKey, queueId),
        r.wrJoin(
          k.meta,
          k.persons,
          k.lobby,
          k.claims,
          personKey,
          input.now,
          input.opensAt ?? '',
          input.share,
          input.sortKey,
          input.claimLifetimeMs,
        ),
      ]);
      return { position: position === -1 ? null : position };
    },

    async positionOf(queueId, personKey) {
      const k = keys(queueId);
      const [raw, open] = await Promise.all([redis.hget(k.persons, personKey), redis.hget(k.meta, 'open')]);
      if (raw === null) return undefined;
      if (raw !== 'L') return Number(raw);
      if (open !== '1') return null;
      const rank = await redis.zrank(k.lobby, personKey);
      return rank === null ? undefined : rank + 1;
    },

    async claim(queueId, personKey, input): Promise<ClaimOutcome> {
      const k = keys(queueId);
      const [kind, value] = await r.wrClaim(
        k.meta,
        k.persons,
        k.lobby,
        k.claims,
        k.batches,
        k.bclaims,
        personKey,
        input.now,
        input.browser,
        input.position ?? '',
        input.graceMs,
        input.claimLifetimeMs,
      );
      switch (kind) {
        case 'admitted':
          return { kind, claimedAt: Number(value) };
        case 'not-yet':
          return { kind, position: value === -1 || value === undefined ? null : Number(value) };
        case 'expired':
        case 'used':
          return { kind };
        default:
          return { kind: 'unknown' };
      }
    },

    async advance(queueId, input) {
      const k = keys(queueId);
      const flat = await r.wrAdvance(
        k.meta,
        k.persons,
        k.lobby,
        k.batches,
        k.bclaims,
        input.now,
        input.ratePerMinute,
        input.paused ? '1' : '0',
        input.graceMs,
        input.opensAt ?? '',
      );
      const lobby = flat.length > 0 ? await redis.zcard(k.lobby) : 0;
      return toSnapshot(queueId, flat, lobby);
    },

    async snapshot(queueId) {
      const k = keys(queueId);
      const [flat, lobby] = await Promise.all([redis.hgetall(k.meta), redis.zcard(k.lobby)]);
      if (Object.keys(flat).length === 0) return undefined;
      return toSnapshot(queueId, Object.entries(flat).flat(), lobby);
    },

    async queueIds() {
      return (await redis.smembers(queuesKey)).sort();
    },

    async recordBooked(queueId) {
      await redis.hincrby(keys(queueId).meta, 'booked', 1);
    },

    async control(): Promise<RoomControl> {
      const raw = await redis.hgetall(controlKey);
      return {
        paused: raw.paused === '1',
        ratePerMinute: raw.ratePerMinute ? Number(raw.ratePerMinute) : options.ratePerMinute,
        busyUntil: Number(raw.busyUntil ?? 0),
        autoTune: raw.autoTune !== '0',
      };
    },

    async setControl(patch) {
      const fields: Record<string, string> = {};
      if (patch.paused !== undefined) fields.paused = patch.paused ? '1' : '0';
      if (patch.ratePerMinute !== undefined) fields.ratePerMinute = String(patch.ratePerMinute);
      if (patch.busyUntil !== undefined) fields.busyUntil = String(patch.busyUntil);
      if (patch.autoTune !== undefined) fields.autoTune = patch.autoTune ? '1' : '0';
      if (Object.keys(fields).length > 0) await redis.hset(controlKey, fields);
      return this.control();
    },

    async addHealth(second, sample) {
      await redis
        .multi()
        .hincrby(healthKey(second), 'requests', sample.requests)
        .hincrby(healthKey(second), 'slow', sample.slow)
        .hincrby(healthKey(second), 'errors', sample.errors)
        .expire(healthKey(second), 600)
        .exec();
    },

    async readHealth(fromSecond, toSecond) {
      const pipeline = redis.pipeline();
      for (let s = fromSecond; s <= toSecond; s++) pipeline.hgetall(healthKey(s));
      const replies = (await pipeline.exec()) ?? [];
      const sum = { requests: 0, slow: 0, errors: 0 };
      for (const [, value] of replies) {
        const b = (value ?? {}) as Record<string, string>;
        sum.requests += Number(b.requests ?? 0);
        sum.slow += Number(b.slow ?? 0);
        sum.errors += Number(b.errors ?? 0);
      }
      return sum;
    },

    async acquireLease(name, owner, ttlMs) {
      return (await r.wrLease(`${prefix}lease:${name}`, owner, ttlMs)) === 1;
    },

    async close() {},
  };
}
