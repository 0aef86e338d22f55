/**
 * npm run bench:queue-6m — a queue of 6,000,000 people in Redis (Korea's figure for 19 July 2021).
 * The tickets are written straight into the store's keys (the `persons` hash and the queue's
 * counters, as the join script leaves them), then measured at that size: Redis memory, the
 * store's join rate (the join script, identity check excluded: that is the database's part, see
 * bench:surge), the status snapshot the ticker reads, and the admission loop's cost per tick.
 *
 * REDIS_URL (default redis://127.0.0.1:6379); its own key prefix, deleted at the end.
 */
import { Redis } from 'ioredis';
import { createRedisWaitingRoomStore, createTicketCodec } from '../server/modules/waiting-room/index.js';
import { machineLine, writeSection } from './support.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PEOPLE = Number(process.env.BENCH_PEOPLE || 6_000_000);
const QUEUE = '131016';
const PREFIX = `bench:q6m:${process.pid}:`;
const CHUNK = 2000;

const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function rate(count: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const store = createRedisWaitingRoomStore(redis, { prefix: PREFIX, ratePerMinute: 6000 });
  const codec = createTicketCodec(Buffer.from('bench-queue-6m-key-0123456789-abcdef'), { ticketTtlMs: 3_600_000 });
  const persons = `${PREFIX}{${QUEUE}}:persons`;
  const meta = `${PREFIX}{${QUEUE}}:meta`;
  const joinInput = (now: number) => ({ now, opensAt: null, share: 1, sortKey: Math.random(), claimLifetimeMs: 600_000 });
  try {
    const before = await usedMemory(redis);
    await store.join(QUEUE, codec.personKey(QUEUE, 0), joinInput(Date.now()));
    console.log(`Writing ${PEOPLE.toLocaleString('en')} tickets…`);
    const writeStarted = performance.now();
    for (let from = 1; from <= PEOPLE; from += CHUNK * 10) {
      const pipeline = redis.pipeline();
      for (let c = from; c < Math.min(from + CHUNK * 10, PEOPLE + 1); c += CHUNK) {
        const fields: (string | number)[] = [];
        for (let i = c; i < Math.min(c + CHUNK, PEOPLE + 1); i++) fields.push(codec.personKey(QUEUE, i), i + 1);
        pipeline.hset(persons, ...fields);
      }
      await pipeline.exec();
    }
    await redis.hset(meta, 'issued', PEOPLE + 1);
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    const after = await usedMemory(redis);
    const held = after - before;

    const JOINS = 50_000;
    const now = Date.now();
    const joinRate = await rate(JOINS, 64, (i) => store.join(QUEUE, codec.personKey(QUEUE, PEOPLE + 10 + i), joinInput(now)));
    const again = await rate(JOINS, 64, (i) => store.join(QUEUE, codec.personKey(QUEUE, 1 + ((i * 7919) % PEOPLE)), joinInput(now)));
    const snapshotRate = await rate(20_000, 64, () => store.snapshot(QUEUE));
    const snapshot = await store.snapshot(QUEUE);
    const dropped = snapshot!.issued - (PEOPLE + 1 + JOINS);

    // The admission loop: one advance a second at 6,000 a minute, with millions waiting.
    const ticks = 200;
    const times: number[] = [];
    for (let t = 1; t <= ticks; t++) {
      const t0 = performance.now();
      await store.advance(QUEUE, { now: now + t * 1000, ratePerMinute: 6000, paused: false, graceMs: 120_000 });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const admitted = (await store.snapshot(QUEUE))!.admittedThrough;

    const note = process.env.BENCH_NOTE ? `\n\n${process.env.BENCH_NOTE}` : '';
    const body = [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}, Redis at 127.0.0.1.${note}`,
      '',
      `${PEOPLE.toLocaleString('en')} tickets written straight into one queue's keys in ${writeSeconds.toFixed(1)} s, then measured at that size`,
      "(64 concurrent callers of the store, one connection; the joins exclude the voucher check, which is the database's part).",
      '',
      '| what | figure |',
      '| --- | ---: |',
      `| Redis memory held by the queue (target < 1 GB) | ${mb(held)} (${(held / PEOPLE).toFixed(0)} bytes a ticket) |`,
      `| new joins/s at that size (join script) | ${joinRate.toFixed(0)} |`,
      `| repeated joins/s (a reload: the same place back) | ${again.toFixed(0)} |`,
      `| status snapshots/s (what each process's ticker reads) | ${snapshotRate.toFixed(0)} |`,
      `| admission loop, one tick at 6,000/min: p50 / p99 / max | ${times[ticks / 2]!.toFixed(2)} / ${times[Math.floor(ticks * 0.99)]!.toFixed(2)} / ${times[ticks - 1]!.toFixed(2)} ms |`,
      `| admitted through after ${ticks} ticks | ${admitted} |`,
      `| dropped tickets | ${dropped} |`,
      '',
      'The status poll itself never reaches Redis (a prebuilt document per tick, see "Queue status polls"), so its rate does not',
      "depend on the queue's length. Re-run: `npm run bench:queue-6m` (BENCH_PEOPLE to change the size).",
    ].join('\n');
    await writeSection('Queue of six million (Redis)', body);
    console.log(body);
  } finally {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
