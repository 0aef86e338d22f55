import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Db } from '../../server/db/database.js';
import { normalisePhone } from '../../server/modules/auth/index.js';
import { createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { waitingRoomPage } from '../../server/modules/waiting-room/index.js';
import { systemClock, type Clock } from '../../server/platform/clock.js';
import { createInProcessEventBus, openEventBus, type EventBus } from '../../server/platform/event-bus.js';
import { createJobEngine, createJobQueue, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../../server/platform/rate-limit/memory-store.js';
import { createRedisRateLimitStore } from '../../server/platform/rate-limit/redis-store.js';
import { createRedisClient } from '../../server/platform/redis.js';
import type { RateLimitStore } from '../../server/platform/rate-limit/rate-limiter.js';
import { createSessionCodec, SESSION_COOKIE, type Session } from '../../server/platform/session.js';
import { serviceUrls, TEST_JOBS_SCHEMA, TEST_SCHEMA } from './target.js';

export interface TestSession {
  cookie: string;
  csrfToken: string;
}

export interface TestServer {
  url: string;
  app: App;
  dataDir: string;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; session?: TestSession; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  /** Signs in through the real three steps, reading the SMS code from the outbox. */
  signIn(municipalityCode: string, resident: { voucherNumber: string; birthDate: string }): Promise<TestSession>;
  /** A session cookie signed with the server's key, for storms of many residents. */
  sessionFor(accountId: number, municipalityCode: string): TestSession;
  close(): Promise<void>;
  /** The last lines the server logged at error level (nothing is printed). */
  errorLog(): string[];
}

export interface TestResponse {
  /** On a 5xx answer: the server's last error lines, so a failing assertion shows why. */
  serverLog?: string[];
  status: number;
  contentType: string;
  body: any;
  headers: Headers;
}

const SIGNING_KEY = Buffer.from('test-signing-key-of-at-least-32-bytes!!');

/** The embedded database serves one process: the servers a worker starts on it share one bus. */
const inProcessBus = createInProcessEventBus();

/** The real HTTP server on a random loopback port, on the worker's test database. */
export async function startTestServer(
  db: Db,
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    redisPrefix?: string;
    rateLimits?: RateLimitStore;
    /** Instead of the database's own (each server on PostgreSQL listens like a process of its own). */
    events?: EventBus;
    /** A folder with an index.html to serve as the web app. */
    webRoot?: string;
    /** Serve the waiting page at /waiting-room/ as main.ts does with the room on. */
    waitingRoomPage?: boolean;
    /** Run a job queue with workers (pg-boss on the test database), as run.ts does: for routes that send jobs. */
    jobs?: boolean;
    /** How often this server's dashboard reads the ledger for news (a long one: it hears only the bus). */
    dashboardPollMs?: number;
  } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-server-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LIMIT_SIGNIN_FAILURES_PER_IP: '100000',
    LIMIT_LOOKUPS_PER_IP: '100000',
    LIMIT_SMS_PER_IP: '100000',
    ...options.env,
  });
  const clock = options.clock ?? systemClock;
  const { databaseUrl, redisUrl } = serviceUrls();
  const ownBus =
    !options.events && databaseUrl
      ? await openEventBus({ url: databaseUrl, schema: TEST_SCHEMA, logger: createLogger('silent') })
      : undefined;
  const events = options.events ?? ownBus ?? inProcessBus;
  const redis = redisUrl ? createRedisClient(redisUrl, createLogger('silent')) : undefined;
  const prefix = `${options.redisPrefix ?? 'test'}:${process.pid}:${Date.now()}:`;
  const jobs: JobQueue | undefined = options.jobs ? testJobQueue(db, databaseUrl) : undefined;
  // What the server logged at error level, kept (never printed): a test that meets a 5xx shows it.
  const errorLines: string[] = [];
  const lastErrors = () => errorLines.slice(-3);
  const errorLog = {
    write(line: string) {
      errorLines.push(line.length > 4000 ? `${line.slice(0, 4000)}…` : line);
      if (errorLines.length > 20) errorLines.shift();
    },
  };
  const app = await buildApp({
    jobs,
    config,
    db,
    clock,
    logger: createLogger('error', errorLog),
    rateLimits: options.rateLimits ?? (redis ? createRedisRateLimitStore(redis, prefix) : createMemoryRateLimitStore(clock)),
    signingKey: SIGNING_KEY,
    sms: createOutboxSmsSender(dataDir, createLogger('silent')),
    events,
    webRoot: options.webRoot,
    dashboardPollMs: options.dashboardPollMs,
  });
  await jobs?.start({ work: true });
  if (options.waitingRoomPage) await app.server.register(waitingRoomPage());
  const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const codec = createSessionCodec(SIGNING_KEY, 3600);

  async function request(
    method: string,
    urlPath: string,
    opts: { body?: unknown; session?: TestSession; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.session) {
      headers.cookie = opts.session.cookie;
      headers['x-csrf-token'] = opts.session.csrfToken;
    }
    const response = await fetch(url + urlPath, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    // A change's messages are written just after its answer (notifications/owed-messages.ts): a
    // test reads them once they are, as a resident's phone receives them a moment later.
    await app.notifications.settled();
    return {
      status: response.status,
      contentType,
      headers: response.headers,
      body: contentType.includes('json') && text ? JSON.parse(text) : text,
      // An assertion that prints a 5xx answer prints why, from the server's log.
      ...(response.status >= 500 ? { serverLog: lastErrors() } : {}),
    };
  }

  return {
    url,
    app,
    dataDir,
    request,
    async signIn(municipalityCode, resident) {
      const started = await request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
      });
      if (started.status !== 200) throw new Error(`voucher step failed: ${JSON.stringify(started.body)}`);
      const phone = randomMobile();
      const sent = await request('POST', '/api/v1/auth/sms', { body: { challengeId: started.body.challengeId, phone } });
      if (sent.status !== 200) throw new Error(`sms step failed: ${JSON.stringify(sent.body)}`);
      const code = latestCode(dataDir, phone);
      const verified = await request('POST', '/api/v1/auth/verify', { body: { challengeId: started.body.challengeId, code } });
      if (verified.status !== 200) throw new Error(`verify step failed: ${JSON.stringify(verified.body)}`);
      const cookie = (verified.headers.get('set-cookie') ?? '').split(';')[0]!;
      return { cookie, csrfToken: verified.body.csrfToken };
    },
    sessionFor(accountId, municipalityCode) {
      const session: Session = codec.issue(accountId, municipalityCode, clock.now().getTime());
      return { cookie: `${SESSION_COOKIE}=${codec.encode(session)}`, csrfToken: session.csrfToken };
    },
    errorLog: lastErrors,
    async close() {
      await app.server.close();
      await jobs?.stop();
      await ownBus?.close();
      redis?.disconnect();
    },
  };
}

/** A job queue as run.ts makes one, polling often so that tests wait little. */
function testJobQueue(db: Db, databaseUrl: string | undefined): JobQueue {
  const logger = createLogger('silent');
  const pollMs = 200;
  const boss = createJobEngine({
    url: databaseUrl,
    db,
    // On PGlite pg-boss lives in the test database's own schema, reached through our connection.
    schema: databaseUrl ? TEST_JOBS_SCHEMA : 'pgboss',
    poolMax: 2,
    work: true,
    maintenanceSeconds: 2,
    cronCheckSeconds: 2,
    pollMs,
    logger,
  });
  return createJobQueue({ boss, db, logger, pollMs, stopGraceMs: 5000 });
}

/** A Japanese mobile number nobody else in the run is likely to use (090-[1-9]xxx-xxxx). */
export function randomMobile(): string {
  return `090${1 + Math.floor(Math.random() * 9)}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

/** The last code the outbox SMS provider "sent" to a number (typed in any spelling; sent in E.164). */
export function latestCode(dataDir: string, phone: string): string {
  const to = normalisePhone(phone, 'JP') ?? phone;
  const lines = fs
    .readFileSync(path.join(dataDir, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const message = lines
    .map((line) => JSON.parse(line) as { to: string; text: string })
    .filter((m) => m.to === to)
    .at(-1);
  const code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}
