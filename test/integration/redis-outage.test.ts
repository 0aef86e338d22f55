import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/platform/logger.js';
import { createRedisClient } from '../../server/platform/redis.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';
import { startRelay } from './waiting-room-support.js';

const { databaseUrl, redisUrl } = serviceUrls();
const OUTAGE = 'Redis is unreachable';
const RECOVERY = 'Redis is reachable again';
const UNHANDLED = 'Unhandled error event';

/** A port nothing listens on: taken from the OS, then closed again. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const waitFor = async (what: string, done: () => boolean, ms = 15_000) => {
  for (const until = Date.now() + ms; !done();) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** The log lines a Redis client writes, and everything written to stderr (where ioredis complains). */
function capture() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const stderr: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.map(String).join(' ')));
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: any[]) => {
    stderr.push(String(chunk));
    return write(chunk, ...rest);
  });
  return { logger, lines, stderr, count: (msg: string) => lines.filter((l) => l.msg.startsWith(msg)).length };
}

/** Counts reconnection attempts without listening to 'error' (a listener there would hide ioredis's complaint). */
const reconnects = (client: Redis) => {
  let n = 0;
  client.on('reconnecting', () => n++);
  return () => n;
};

describe('a Redis client when Redis is unreachable', () => {
  let client: Redis | undefined;
  beforeEach(() => vi.restoreAllMocks());
  afterEach(() => {
    client?.disconnect();
    vi.restoreAllMocks();
  });

  it('says so once, however often it retries, and never "Unhandled error event"', async () => {
    const seen = capture();
    client = createRedisClient({ host: '127.0.0.1', port: await closedPort(), retryStrategy: () => 20 }, seen.logger);
    const attempts = reconnects(client);
    await waitFor('ten reconnection attempts', () => attempts() >= 10);
    expect(seen.stderr.filter((s) => s.includes(UNHANDLED))).toEqual([]);
    expect(seen.count(OUTAGE)).toBe(1);
    const outage = seen.lines.find((l) => l.msg.startsWith(OUTAGE))!;
    expect(outage).toMatchObject({ level: 40, redisError: 'ECONNREFUSED' });
    expect(seen.count(RECOVERY)).toBe(0);
  });

  it.skipIf(!redisUrl)(`says when it is back, once${redisUrl ? '' : ' (skipped: REDIS_URL is not set)'}`, async () => {
    const target = new URL(redisUrl!);
    const relay = await startRelay({ host: target.hostname, port: Number(target.port || 6379) });
    const seen = capture();
    client = createRedisClient({ host: '127.0.0.1', port: relay.port, retryStrategy: () => 20 }, seen.logger);
    await waitFor('the first connection', () => client!.status === 'ready');
    const attempts = reconnects(client);
    await relay.cut();
    await waitFor('five reconnection attempts', () => attempts() >= 5);
    await relay.restore();
    await waitFor('the connection to come back', () => client!.status === 'ready');
    expect(await client.ping()).toBe('PONG');
    expect(seen.stderr.filter((s) => s.includes(UNHANDLED))).toEqual([]);
    expect(seen.lines.map((l) => l.msg)).toEqual([expect.stringContaining(OUTAGE), RECOVERY]);
    await relay.cut();
  });
});

describe.runIf(databaseUrl && redisUrl)('the server process when its Redis goes away and comes back (PostgreSQL + Redis)', () => {
  it('logs one warning and one recovery line, and nothing on stderr about unhandled errors', async () => {
    const target = new URL(redisUrl!);
    const relay = await startRelay({ host: target.hostname, port: Number(target.port || 6379) });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-redis-outage-')),
        DEMO: 'false',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        // Few connections: the suite's files share one PostgreSQL (100 connections) and run two at a time.
        DATABASE_POOL_MAX: '5',
        DATABASE_SCHEMA: TEST_SCHEMA,
        REDIS_URL: `redis://127.0.0.1:${relay.port}`,
        SESSION_SECRET: 'redis-outage-test-secret-of-32-chars+',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const logged = (msg: string) => stdout.split('\n').filter((line) => line.includes(`"msg":"${msg}`)).length;
    try {
      await waitFor('the server to listen', () => stdout.includes('Yoyaku is listening'), 30_000);
      await relay.cut();
      await waitFor('the outage line', () => logged(OUTAGE) > 0);
      // ioredis retries every 50, 100, … ms: several failed attempts while the relay is down.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await relay.restore();
      await waitFor('the recovery line', () => logged(RECOVERY) > 0);
      expect(stderr).not.toContain(UNHANDLED);
      expect(logged(OUTAGE)).toBe(1);
      expect(logged(RECOVERY)).toBe(1);
    } finally {
      child.kill('SIGTERM');
      await relay.cut().catch(() => undefined);
    }
  }, 60_000);
});
