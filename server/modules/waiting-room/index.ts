import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config, WaitingRoomConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { AdmissionGate } from '../../platform/admission.js';
import type { Clock } from '../../platform/clock.js';
import { createAttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import type { RateLimitStore } from '../../platform/rate-limit/rate-limiter.js';
import { createSessionCodec } from '../../platform/session.js';
import { createAuditLog } from '../audit/index.js';
import { createIdentityProof, createResidentsRepository } from '../residents/index.js';
import { createAdmissionGate } from './admission-gate.js';
import { createMemoryWaitingRoomStore } from './memory-store.js';
import { createRedisWaitingRoomStore } from './redis-store.js';
import { createStatusFastPath, type StatusFastPath } from './status-fast-path.js';
import { createTicketCodec } from './tickets.js';
import { createWaitingRoomRepository } from './waiting-room.repository.js';
import { waitingRoomRoutes } from './waiting-room.routes.js';
import { createWaitingRoomService, type WaitingRoomService } from './waiting-room.service.js';
import type { WaitingRoomStore } from './waiting-room.store.js';

export { createMemoryWaitingRoomStore } from './memory-store.js';
export { createTicketCodec } from './tickets.js';
export { createRedisWaitingRoomStore } from './redis-store.js';
export { ADMISSION_COOKIE, ADMISSION_HEADER, BROWSER_COOKIE } from './admission-gate.js';
export { TICKET_COOKIE, isQueueOf } from './waiting-room.routes.js';
export { waitingRoomPage } from './waiting-room.page.js';
export { waitingRoomOffRoutes } from './waiting-room-off.js';
export { parseOpeningPlan } from './queue-rules.js';
export type { WaitingRoomStore } from './waiting-room.store.js';

export interface WaitingRoom {
  service: WaitingRoomService;
  store: WaitingRoomStore;
  gate: AdmissionGate;
  plugin: FastifyPluginAsync;
  /** Answers plain status polls of known queues before Fastify routes them (see status-fast-path.ts). */
  statusFastPath: StatusFastPath;
  /** Starts the ticker (every process runs one; only the lease holder admits people). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WaitingRoomFactoryDeps {
  config: WaitingRoomConfig;
  db: Db;
  clock: Clock;
  logger: Logger;
  signingKey: Buffer;
  /** The counters of sign-in, which joining shares (the same keys, limits and window). */
  rateLimits: RateLimitStore;
  limits: Config['limits'];
  secureCookies: boolean;
  /** Shares the queues between processes; the in-process store when absent. */
  redis?: Redis;
  redisPrefix?: string;
  tickMs?: number;
}

/** Builds the waiting room from configuration: store, service, gate, routes and ticker. */
export function createWaitingRoom(deps: WaitingRoomFactoryDeps): WaitingRoom {
  const { config } = deps;
  const store = deps.redis
    ? createRedisWaitingRoomStore(deps.redis, { prefix: deps.redisPrefix, ratePerMinute: config.ratePerMinute })
    : createMemoryWaitingRoomStore({ ratePerMinute: config.ratePerMinute });
  const ticketTtlMs = config.ticketHours * 3_600_000;
  const codec = createTicketCodec(deps.signingKey, { ticketTtlMs });
  const repository = createWaitingRoomRepository(deps.db);
  const tickMs = deps.tickMs ?? 1000;
  const service = createWaitingRoomService({
    store,
    codec,
    clock: deps.clock,
    logger: deps.logger,
    identity: createIdentityProof({
      residents: createResidentsRepository(deps.db),
      attempts: createAttemptGuard(deps.rateLimits, deps.limits.windowSeconds),
      limits: deps.limits,
    }),
    loadPlans: repository.loadPlans,
    settings: {
      mode: config.mode,
      ratePerMinute: config.ratePerMinute,
      minRatePerMinute: config.minRatePerMinute,
      maxRatePerMinute: config.maxRatePerMinute,
      autoTune: config.autoTune,
      graceMs: config.graceSeconds * 1000,
      admissionMs: config.admissionMinutes * 60_000,
      leadMs: config.leadMinutes * 60_000,
      latencyTargetMs: config.latencyTargetMs,
      tickMs,
    },
  });
  const gate = createAdmissionGate({
    room: service,
    sessions: createSessionCodec(deps.signingKey, 3600),
    now: () => deps.clock.now().getTime(),
  });
  const plugin = waitingRoomRoutes({
    room: service,
    secureCookies: deps.secureCookies,
    ticketTtlSeconds: Math.floor(ticketTtlMs / 1000),
    audit: createAuditLog(deps.db),
  }) as FastifyPluginAsync;

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  return {
    service,
    store,
    gate,
    plugin,
    statusFastPath: createStatusFastPath(service.builtStatus),
    async start() {
      await service.tick();
      timer = setInterval(() => {
        // One tick at a time: a slow store skips beats rather than piling them up.
        running ??= service.tick().finally(() => {
          running = undefined;
        });
      }, tickMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      await store.close();
    },
  };
}
