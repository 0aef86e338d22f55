import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { DEMO_MUNICIPALITY, seedDemo } from './demo/seed.js';
import { registerMaintenanceJobs } from './maintenance-jobs.js';
import { smsProviderFromConfig } from './modules/notifications/index.js';
import { createWaitingRoom, waitingRoomPage } from './modules/waiting-room/index.js';
import { systemClock } from './platform/clock.js';
import { openEventBus } from './platform/event-bus.js';
import { createJobEngine, createJobQueue, type JobQueue } from './platform/jobs/index.js';
import { createLogger } from './platform/logger.js';
import { createMemoryRateLimitStore } from './platform/rate-limit/memory-store.js';
import { createRedisRateLimitStore } from './platform/rate-limit/redis-store.js';
import { createRedisClient } from './platform/redis.js';
import { loadSigningKey } from './platform/secrets.js';

export interface RunOptions {
  /** More jobs beside the maintenance ones (test processes register theirs here). */
  registerJobs?: (jobs: JobQueue, deps: { db: Db }) => void;
}

export interface Running {
  readonly logger: Logger;
  /** Stops taking work, finishes or gives back what is running, closes every connection. */
  stop(): Promise<void>;
}

/**
 * The built web app (never web/, its source): dist/web beside dist/server when compiled, or
 * dist/web under the project when run from source with tsx.
 */
function findWebRoot(): string | undefined {
  const parent = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [path.basename(parent) === 'dist' ? path.join(parent, 'web') : '', path.join(parent, 'dist', 'web')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'index.html')));
}

/**
 * A worker serves no API; this answers GET /api/health (200 while it runs) so that a process
 * supervisor or load balancer can watch it like an api process.
 */
async function serveWorkerHealth(config: Config, logger: Logger): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const healthy = request.method === 'GET' && request.url === '/api/health';
    response.writeHead(healthy ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(healthy ? { status: 'ok', role: 'worker' } : { status: 404 }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  logger.info({ port: config.port }, 'Worker health endpoint at /api/health');
  return server;
}

/**
 * Composition root: builds the dependencies for the configured role and starts it. `api`
 * serves HTTP and sends jobs; `worker` runs jobs (and pg-boss's maintenance and cron); `all`
 * does both, as the embedded database requires.
 */
export async function run(config: Config, options: RunOptions = {}): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const clock = systemClock;
  const serves = config.role !== 'worker';
  const works = config.role !== 'api';
  if (!config.databaseUrl) {
    logger.info({ dataDir: config.dataDir }, 'Opening the embedded database (PGlite); this takes a few seconds');
  }
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
    poolMax: config.databasePoolMax,
  });
  if (config.demo && serves) {
    const hints = await seedDemo(db, clock.now());
    if (hints) logger.info('Demo municipality created');
    printDemoHint(config, hints !== undefined);
  }
  // Auto-pipelining: the commands of every request issued in one turn of the event loop go to
  // Redis in one write (a join sends three); under a surge that is many requests per write.
  const redis = config.redisUrl
    ? createRedisClient(config.redisUrl, logger, { maxRetriesPerRequest: 2, enableOfflineQueue: true, enableAutoPipelining: true })
    : undefined;
  const rateLimits = redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore(clock);
  const signingKey = await loadSigningKey(config.sessionSecret, config.dataDir);
  const events = await openEventBus({ url: config.databaseUrl, schema: config.databaseSchema, logger });
  const waitingRoom =
    config.waitingRoom.mode === 'off' || !serves
      ? undefined
      : createWaitingRoom({
          config: config.waitingRoom,
          db,
          clock,
          logger,
          signingKey,
          rateLimits,
          limits: config.limits,
          redis,
          redisPrefix: config.waitingRoom.redisPrefix,
          secureCookies: config.secureCookies,
        });
  const jobs = createJobQueue({
    boss: createJobEngine({
      url: config.databaseUrl,
      db,
      schema: config.jobs.schema,
      poolMax: config.jobs.poolMax,
      work: works,
      maintenanceSeconds: config.jobs.maintenanceSeconds,
      cronCheckSeconds: config.jobs.cronCheckSeconds,
      pollMs: config.jobs.pollMs,
      logger,
    }),
    db,
    logger,
    pollMs: config.jobs.pollMs,
    stopGraceMs: config.jobs.stopGraceSeconds * 1000,
  });
  // A worker builds the same services (its jobs call them) but never listens with them.
  const app = await buildApp({
    config,
    db,
    clock,
    logger,
    rateLimits,
    signingKey,
    sms: smsProviderFromConfig(config, logger),
    events,
    webRoot: serves ? findWebRoot() : undefined,
    admission: waitingRoom?.gate,
    roomStats: waitingRoom ? () => waitingRoom.service.stats() : undefined,
    plugins: waitingRoom ? [waitingRoom.plugin] : [],
    // Behind a trusted proxy the request's protocol (and so HSTS) is for Fastify to work out.
    beforeRouting: waitingRoom && !config.trustProxy ? waitingRoom.statusFastPath : undefined,
    jobs,
  });
  registerMaintenanceJobs(jobs, app);
  app.notifications.registerJobs(jobs);
  options.registerJobs?.(jobs, { db });
  await jobs.start({ work: works });
  if (works) logger.info({ role: config.role }, 'Job workers running');
  if (waitingRoom) {
    await app.server.register(waitingRoomPage());
    await waitingRoom.start();
    logger.info({ mode: config.waitingRoom.mode, store: redis ? 'redis' : 'memory' }, 'Waiting room on');
  }

  let health: http.Server | undefined;
  if (serves) {
    const address = await app.server.listen({ port: config.port, host: config.host });
    logger.info({ address, role: config.role }, 'Yoyaku is listening');
  } else {
    health = await serveWorkerHealth(config, logger);
  }

  let stopping: Promise<void> | undefined;
  return {
    logger,
    stop() {
      stopping ??= (async () => {
        // HTTP first (requests in flight may still send jobs), then the workers, then connections.
        health?.close();
        await app.server.close();
        await waitingRoom?.stop();
        await jobs.stop();
        await events.close();
        await db.destroy();
        await rateLimits.close();
        redis?.disconnect();
      })();
      return stopping;
    },
  };
}

/** SIGTERM / SIGINT stop the process gracefully, once. */
export function stopOnSignals(running: Running): void {
  const { logger } = running;
  const stop = (signal: string) => {
    logger.info({ signal }, 'Stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Stopping failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function printDemoHint(config: Config, created: boolean): void {
  const base = `http://localhost:${config.port}`;
  console.log(
    [
      '',
      `  Yoyaku demo ${created ? 'created' : 'ready'}: ${base}/m/${DEMO_MUNICIPALITY}   (API docs: ${base}/api/docs)`,
      '  Sign in with one of these (municipality 131016):',
      '    voucher 1000000001  born 1950-04-01  (no dose yet: book dose 1)',
      '    voucher 1000000002  born 1985-07-15  (had dose 1 Pfizer: book dose 2)',
      '    voucher 1000000003  born 1948-11-03  (two doses: book a booster)',
      '    voucher 1000000004  born 1979-02-20  (add as a family member)',
      config.notifications.sms.provider === 'outbox'
        ? `  Any mobile number works; the SMS code is written to ${path.join(config.dataDir, 'outbox', 'sms.jsonl')}`
        : `  The SMS code is sent by ${config.notifications.sms.provider} to the number you give`,
      '',
    ].join('\n'),
  );
}
