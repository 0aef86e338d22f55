import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { DEMO_MUNICIPALITY, seedDemo } from './demo/seed.js';
import { createOutboxSmsSender } from './modules/notifications/index.js';
import { createWaitingRoom, waitingRoomPage } from './modules/waiting-room/index.js';
import { systemClock } from './platform/clock.js';
import { openEventBus } from './platform/event-bus.js';
import { createLogger } from './platform/logger.js';
import { createMemoryRateLimitStore } from './platform/rate-limit/memory-store.js';
import { createRedisRateLimitStore } from './platform/rate-limit/redis-store.js';
import { createRedisClient } from './platform/redis.js';
import { loadSigningKey } from './platform/secrets.js';

const HOLD_SWEEP_MS = 15_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
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

/** Composition root: read config, build dependencies, start serving. */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const clock = systemClock;
  if (!config.databaseUrl) {
    logger.info({ dataDir: config.dataDir }, 'Opening the embedded database (PGlite); this takes a few seconds');
  }
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.databaseSchema,
    poolMax: config.databasePoolMax,
  });
  if (config.demo) {
    const hints = await seedDemo(db, clock.now());
    if (hints) logger.info('Demo municipality created');
    printDemoHint(config, hints !== undefined);
  }
  const redis = config.redisUrl
    ? createRedisClient(config.redisUrl, logger, { maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : undefined;
  const rateLimits = redis ? createRedisRateLimitStore(redis) : createMemoryRateLimitStore(clock);
  const signingKey = await loadSigningKey(config.sessionSecret, config.dataDir);
  const events = await openEventBus({ url: config.databaseUrl, schema: config.databaseSchema, logger });
  const waitingRoom =
    config.waitingRoom.mode === 'off'
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
  const app = await buildApp({
    config,
    db,
    clock,
    logger,
    rateLimits,
    signingKey,
    sms: createOutboxSmsSender(config.dataDir, logger),
    events,
    webRoot: findWebRoot(),
    admission: waitingRoom?.gate,
    plugins: waitingRoom ? [waitingRoom.plugin] : [],
  });
  if (waitingRoom) {
    await app.server.register(waitingRoomPage());
    await waitingRoom.start();
    logger.info({ mode: config.waitingRoom.mode, store: redis ? 'redis' : 'memory' }, 'Waiting room on');
  }

  // Give back places of unconfirmed holds; now and then drop old sign-in challenges (they hold phone
  // numbers) and revocations of sessions that have expired anyway.
  let sweeps = 0;
  const sweeper = setInterval(() => {
    app.reservations.releaseExpiredHolds().catch((error: unknown) => logger.warn({ err: error }, 'hold sweep failed'));
    if (sweeps++ % 240 === 0) {
      app.signIn.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'challenge purge failed'));
      app.revocations.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'revocation purge failed'));
    }
  }, HOLD_SWEEP_MS);
  sweeper.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Stopping');
    clearInterval(sweeper);
    await app.server.close();
    await waitingRoom?.stop();
    await events.close();
    await db.destroy();
    await rateLimits.close();
    redis?.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const address = await app.server.listen({ port: config.port, host: config.host });
  logger.info({ address }, 'Yoyaku is listening');
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
      `  Any mobile number works; the SMS code is written to ${path.join(config.dataDir, 'outbox', 'sms.jsonl')}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
