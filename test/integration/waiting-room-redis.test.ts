import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import type { Database } from '../../server/db/schema.js';
import { createFixedClock } from '../../server/platform/clock.js';
import { createLogger } from '../../server/platform/logger.js';
import { createRedisClient } from '../../server/platform/redis.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';
import { Browser, startRelay, startRoomServer } from './waiting-room-support.js';

const { databaseUrl, redisUrl } = serviceUrls();
const joinBody = (m: TestMunicipality, i: number) => ({
  municipalityCode: m.code,
  voucherNumber: m.residents[i]!.voucherNumber,
  birthDate: m.residents[i]!.birthDate,
});

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

let db: Db;
beforeAll(async () => {
  db = await testDatabase();
});

describe.skipIf(!databaseUrl || !redisUrl)(
  `two server processes sharing Redis${databaseUrl && redisUrl ? '' : ' (skipped: needs DATABASE_URL and REDIS_URL, i.e. the services run)'}`,
  () => {
    const prefix = `test:wr2:${randomUUID()}:`;
    const children: ChildProcess[] = [];
    const urls: string[] = [];
    let m: TestMunicipality;
    /** A super-administrator, for the queue statistics of every queue. */
    let root: StaffSession;

    async function startProcess(): Promise<string> {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-wr-proc-'));
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          PORT: '0',
          DATA_DIR: dataDir,
          DEMO: 'false',
          LOG_LEVEL: 'info',
          DATABASE_URL: databaseUrl,
          // Few connections: the suite's files share one PostgreSQL (100 connections) and run two at a time.
          DATABASE_POOL_MAX: '5',
          DATABASE_SCHEMA: TEST_SCHEMA,
          REDIS_URL: redisUrl,
          SESSION_SECRET: 'two-processes-share-this-secret-of-32+',
          WAITING_ROOM: 'always',
          WAITING_ROOM_RATE_PER_MINUTE: '120',
          WAITING_ROOM_AUTOTUNE: 'off',
          // The shortest grace, so that turns are lost while the test watches.
          WAITING_ROOM_GRACE_SECONDS: '10',
          WAITING_ROOM_REDIS_PREFIX: prefix,
          // Join failures per IP are counted in the shared Redis for 15 minutes; an earlier run
          // that failed (every join refused) must not lock this one out.
          LIMIT_SIGNIN_FAILURES_PER_IP: '100000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      // The logger prints the address it listens on (PORT=0 picks a free one).
      return new Promise((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
    }

    beforeAll(async () => {
      m = await createTestMunicipality(db, { residents: 60 });
      urls.push(...(await Promise.all([startProcess(), startProcess()])));
      root = (await staffTeam({ url: urls[0]! }, db)).root.session;
    }, 60_000);
    afterAll(async () => {
      for (const child of children) child.kill('SIGTERM');
      const redis = createRedisClient(redisUrl!, createLogger('silent'));
      await deleteKeys(redis, prefix);
      redis.disconnect();
    });

    it('issues unique, ordered positions and admits no faster than the configured rate, lost turns included', async () => {
      const started = Date.now();
      const browsers = m.residents.map((_, i) => new Browser(urls[i % 2]!));
      const joined = await Promise.all(browsers.map((b, i) => b.call('POST', '/api/v1/waiting-room/join', joinBody(m, i))));
      expect(joined.map((r) => r.status)).toEqual(joined.map(() => 200));
      const positions = joined.map((r) => r.body.position as number).sort((a, b) => a - b);
      expect(positions).toEqual(positions.map((_, i) => i + 1));

      // Watch for 16 s through both processes: 120/min is 2 a second, however many processes tick,
      // and nobody takes a turn, so from about 11 s on turns are lost (10 s grace) and must not be
      // made up for on top of the rate.
      const seen: { at: number; admitted: number }[] = [];
      while (Date.now() - started < 16_000) {
        for (const url of urls) {
          const doc = await fetch(`${url}/api/v1/waiting-room/queues/${m.code}/status`).then((r) => r.json());
          seen.push({ at: Date.now(), admitted: doc.admittedThrough });
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      for (const s of seen) expect(s.admitted).toBeLessThanOrEqual(Math.ceil(((s.at - started) / 1000) * 2) + 1);
      const last = seen[seen.length - 1]!.admitted;
      expect(last).toBeGreaterThanOrEqual(20);
      const stats = (await staffCall({ url: urls[0]! }, 'GET', '/api/v1/staff/waiting-room', { session: root })).body;
      expect(stats.queues[0].abandoned).toBeGreaterThan(0);

      // Each admitted person whose turn is not lost yet takes it once, through either process.
      const order = joined.map((r, i) => ({ i, position: r.body.position as number })).filter((p) => p.position <= last);
      const taken = await Promise.all(order.map((p) => browsers[p.i]!.call('POST', '/api/v1/waiting-room/admit', {})));
      for (const r of taken) expect(r.status === 200 ? 'admitted' : r.body?.reason).toMatch(/^(admitted|turn-expired)$/);
      const inTime = order.filter((_, k) => taken[k]!.status === 200);
      expect(inTime.length).toBeGreaterThan(0);
      expect(inTime.length).toBeLessThan(order.length);
      const again = await Promise.all(
        inTime.map(async (p) => {
          const other = new Browser(urls[(p.i + 1) % 2]!);
          await other.call('POST', '/api/v1/waiting-room/join', joinBody(m, p.i));
          return other.call('POST', '/api/v1/waiting-room/admit', {});
        }),
      );
      expect(again.every((r) => r.body?.reason === 'ticket-used')).toBe(true);
    }, 45_000);
  },
);

describe.skipIf(!redisUrl)(`when Redis goes away${redisUrl ? '' : ' (skipped: REDIS_URL is not set)'}`, () => {
  it('keeps places and the status page, refuses new work clearly, and admits nobody twice', async () => {
    const target = new URL(redisUrl!);
    const relay = await startRelay({ host: target.hostname, port: Number(target.port || 6379) });
    const redis = createRedisClient(
      { host: '127.0.0.1', port: relay.port, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 100 },
      createLogger('silent'),
    );
    const prefix = `test:wr3:${randomUUID()}:`;
    const clock = createFixedClock(new Date());
    const m = await createTestMunicipality(db, { residents: 4 });
    const server = await startRoomServer(db, { clock, redis, redisPrefix: prefix, env: { WAITING_ROOM_RATE_PER_MINUTE: '60' } });
    try {
      const a = server.browser();
      const ticket = (await a.call('POST', '/api/v1/waiting-room/join', joinBody(m, 0))).body;
      expect(ticket.position).toBe(1);
      await server.room.service.tick();

      await relay.cut();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const status = await a.call('GET', `/api/v1/waiting-room/queues/${m.code}/status`);
      expect(status.status).toBe(200); // the last document, still served
      const newcomer = await server.browser().call('POST', '/api/v1/waiting-room/join', joinBody(m, 1));
      expect(newcomer.status).toBe(503);
      expect(newcomer.body).toMatchObject({ code: 'unavailable', reason: 'queue-unavailable' });
      clock.advance(3000);
      await server.room.service.tick(); // fails quietly: nothing is admitted while the queue is unreachable
      const admitDown = await a.call('POST', '/api/v1/waiting-room/admit', {});
      expect(admitDown.status).toBe(503);

      await relay.restore();
      for (let i = 0; i < 50 && redis.status !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(1000);
      await server.room.service.tick();
      clock.advance(1000);
      await server.room.service.tick();
      // The same ticket, the same place: admitted now, and only once.
      expect((await a.call('POST', '/api/v1/waiting-room/ticket', {})).body.position).toBe(1);
      expect((await a.call('POST', '/api/v1/waiting-room/admit', {})).status).toBe(200);
      const b = server.browser();
      await b.call('POST', '/api/v1/waiting-room/join', joinBody(m, 0));
      expect((await b.call('POST', '/api/v1/waiting-room/admit', {})).body.reason).toBe('ticket-used');
      const stats = (await server.room.service.stats()).queues.find((q) => q.queueId === m.code)!;
      expect(stats.claimed).toBe(1);
    } finally {
      await server.close();
      await relay.cut();
      redis.disconnect();
      const cleaner = createRedisClient(redisUrl!, createLogger('silent'));
      await deleteKeys(cleaner, prefix);
      cleaner.disconnect();
    }
  });
});

describe.skipIf(!databaseUrl)(
  `when the database goes away${databaseUrl ? '' : ' (skipped: needs DATABASE_URL to cut the connection)'}`,
  () => {
    it('keeps the queue moving: only joining needs the database, and it says so', async () => {
      const target = new URL(databaseUrl!);
      const relay = await startRelay({ host: target.hostname, port: Number(target.port || 5432) });
      const viaRelay = new URL(databaseUrl!);
      viaRelay.hostname = '127.0.0.1';
      viaRelay.port = String(relay.port);
      const pool = new pg.Pool({
        connectionString: viaRelay.toString(),
        max: 2,
        options: `-c search_path=${TEST_SCHEMA}`,
        // Birth dates stay 'YYYY-MM-DD' strings, as in server/db/database.ts.
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === 1082 ? (v: string) => v : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      pool.on('error', () => undefined); // an idle connection cut by the relay is expected here
      const relayDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      const clock = createFixedClock(new Date());
      const m = await createTestMunicipality(db, { residents: 3 });
      const server = await startRoomServer(relayDb, { clock, env: { WAITING_ROOM_RATE_PER_MINUTE: '60' } });
      try {
        const a = server.browser();
        expect((await a.call('POST', '/api/v1/waiting-room/join', joinBody(m, 0))).body.position).toBe(1);
        await relay.cut();
        const newcomer = await server.browser().call('POST', '/api/v1/waiting-room/join', joinBody(m, 1));
        expect(newcomer.status).toBe(503);
        expect(newcomer.body).toMatchObject({ code: 'unavailable', reason: 'database-unavailable' });
        for (let s = 0; s < 3; s++) {
          clock.advance(1000);
          await server.room.service.tick();
        }
        expect((await a.call('GET', `/api/v1/waiting-room/queues/${m.code}/status`)).status).toBe(200);
        expect((await a.call('POST', '/api/v1/waiting-room/admit', {})).status).toBe(200);
      } finally {
        await server.close();
        await relay.cut().catch(() => undefined);
        await relayDb.destroy().catch(() => undefined);
      }
    });
  },
);
