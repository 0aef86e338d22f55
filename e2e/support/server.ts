import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Db } from '../../server/db/database.js';
import { createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { createWaitingRoom, waitingRoomPage } from '../../server/modules/waiting-room/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createJobEngine, createJobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../../server/platform/rate-limit/memory-store.js';

export interface WebServer {
  url: string;
  /** DATA_DIR of the server: the SMS outbox is in it (read codes with latestCode). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The real application as main.ts composes it (API + the built web app from `webRoot`) on a
 * random loopback port. Like test/support/server.ts's startTestServer, which does not serve the
 * web app; the limits are raised because every browser run comes from 127.0.0.1.
 */
export async function startWebServer(db: Db, webRoot: string, options: { env?: Record<string, string> } = {}): Promise<WebServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-e2e-server-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LIMIT_SIGNIN_FAILURES_PER_IP: '100000',
    LIMIT_LOOKUPS_PER_IP: '100000',
    LIMIT_SMS_PER_IP: '100000',
    ...options.env,
  });
  const logger = createLogger('silent');
  const rateLimits = createMemoryRateLimitStore(systemClock);
  const signingKey = randomBytes(32);
  // With WAITING_ROOM set, the room in front of booking, wired as main.ts wires it.
  const room =
    config.waitingRoom.mode === 'off'
      ? undefined
      : createWaitingRoom({
          config: config.waitingRoom,
          db,
          clock: systemClock,
          logger,
          signingKey,
          rateLimits,
          limits: config.limits,
          secureCookies: false,
        });
  // Background jobs (resident imports) run in this process on the embedded database, as with `npm start`.
  const boss = createJobEngine({
    url: undefined,
    db,
    schema: 'pgboss',
    poolMax: 2,
    work: true,
    maintenanceSeconds: 30,
    cronCheckSeconds: 30,
    pollMs: 250,
    logger,
  });
  const jobs = createJobQueue({ boss, db, logger, pollMs: 250, stopGraceMs: 5000 });
  const app = await buildApp({
    jobs,
    config,
    db,
    clock: systemClock,
    logger,
    rateLimits,
    signingKey,
    sms: createOutboxSmsSender(dataDir, logger),
    webRoot,
    admission: room?.gate,
    plugins: room ? [room.plugin] : [],
  });
  await jobs.start({ work: true });
  if (room) {
    await app.server.register(waitingRoomPage());
    await room.start();
  }
  const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    dataDir,
    async close() {
      await app.server.close();
      await jobs.stop();
      await room?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
