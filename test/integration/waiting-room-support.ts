import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Db } from '../../server/db/database.js';
import { createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { createWaitingRoom, type WaitingRoom } from '../../server/modules/waiting-room/index.js';
import { systemClock, type Clock } from '../../server/platform/clock.js';
import { createLogger } from '../../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../../server/platform/rate-limit/memory-store.js';
import { createRedisRateLimitStore } from '../../server/platform/rate-limit/redis-store.js';
import { createRedisClient } from '../../server/platform/redis.js';
import { createSessionCodec, SESSION_COOKIE } from '../../server/platform/session.js';
import { serviceUrls } from '../support/target.js';

export const SIGNING_KEY = Buffer.from('waiting-room-test-key-of-32-bytes-or-more');

/** A browser: keeps the cookies the server sets and sends them back (path ignored, loopback only). */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async call(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(this.base + urlPath, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text && text.startsWith('{') ? JSON.parse(text) : undefined };
  }

  /** Signs this browser in as a resident with a session cookie signed by the test key. */
  signInAs(accountId: number, municipalityCode: string): string {
    const codec = createSessionCodec(SIGNING_KEY, 3600);
    const session = codec.issue(accountId, municipalityCode, Date.now());
    this.cookies.set(SESSION_COOKIE, codec.encode(session));
    return session.csrfToken;
  }
}

export interface RoomServer {
  url: string;
  /** DATA_DIR of the server: the SMS outbox is in it (read codes with latestCode). */
  dataDir: string;
  room: WaitingRoom;
  browser(): Browser;
  close(): Promise<void>;
}

/**
 * The real HTTP server with the waiting room on, on a random loopback port. The ticker is not
 * started: tests call `room.service.tick()` so that admissions happen exactly when they say.
 */
export async function startRoomServer(
  db: Db,
  options: { clock?: Clock; env?: Record<string, string>; redis?: Redis; redisPrefix?: string } = {},
): Promise<RoomServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-wr-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    WAITING_ROOM: 'always',
    WAITING_ROOM_AUTOTUNE: 'off',
    LIMIT_SIGNIN_FAILURES_PER_IP: '100000',
    LIMIT_SMS_PER_IP: '100000',
    ...options.env,
  });
  const clock = options.clock ?? systemClock;
  const logger = createLogger('silent');
  // Sign-in's counters, which joining shares: in Redis on the services run, as in production.
  const { redisUrl } = serviceUrls();
  const limitsRedis = redisUrl ? createRedisClient(redisUrl, logger) : undefined;
  const rateLimits = limitsRedis ? createRedisRateLimitStore(limitsRedis, `test:rl:${randomUUID()}:`) : createMemoryRateLimitStore(clock);
  const room = createWaitingRoom({
    config: config.waitingRoom,
    db,
    clock,
    logger,
    signingKey: SIGNING_KEY,
    rateLimits,
    limits: config.limits,
    secureCookies: false,
    redis: options.redis,
    redisPrefix: options.redisPrefix ?? `test:wr:${randomUUID()}:`,
  });
  const app = await buildApp({
    config,
    db,
    clock,
    logger,
    rateLimits,
    signingKey: SIGNING_KEY,
    sms: createOutboxSmsSender(dataDir, logger),
    admission: room.gate,
    plugins: [room.plugin],
    // As in production (server/run.ts): plain status polls of known queues are answered before routing.
    beforeRouting: room.statusFastPath,
  });
  const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  await room.service.tick();
  return {
    url,
    dataDir,
    room,
    browser: () => new Browser(url),
    async close() {
      await app.server.close();
      await room.stop();
      limitsRedis?.disconnect();
    },
  };
}

/** A TCP relay to a real service that a test can cut and restore, to see the service "go away". */
export async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    restore: listen,
  };
}
