import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { IdentityProof } from '../residents/index.js';
import type { AdmissionSample, BackendHealth, OpeningPlan, WaitingRoomMode } from './queue-rules.js';
import type { TicketCodec } from './tickets.js';
import type { QueueSnapshot, WaitingRoomStore } from './waiting-room.store.js';

export interface WaitingRoomSettings {
  mode: WaitingRoomMode;
  ratePerMinute: number;
  minRatePerMinute: number;
  maxRatePerMinute: number;
  autoTune: boolean;
  /** How long an admitted person has to take the turn before it goes to the next person. */
  graceMs: number;
  /** Lifetime of an admission token: time to sign in with the SMS code and book. */
  admissionMs: number;
  /** Scheduled mode: the room is on this long before (and at least this long after) an opening. */
  leadMs: number;
  latencyTargetMs: number;
  tickMs: number;
}

export interface WaitingRoomDeps {
  store: WaitingRoomStore;
  codec: TicketCodec;
  clock: Clock;
  logger: Logger;
  settings: WaitingRoomSettings;
  /** The voucher + birth date proof of sign-in, with its counters (one indexed query). */
  identity: IdentityProof;
  /** Opening plans (waves) of the municipalities that have one; read every 30 s. */
  loadPlans(): Promise<Map<string, OpeningPlan>>;
}

export interface StatusDocument {
  body: string;
  etag: string;
}

/** Window over which the admission rate shown to people and operators is measured. */
export const RATE_WINDOW_MS = 60_000;

/**
 * What one process knows of the room between ticks. The parts of the service (joining, status
 * documents, ticker, operator controls) share this one object; the store stays the truth.
 */
export interface RoomState {
  readonly deps: WaitingRoomDeps;
  /** This process's name when it asks for the ticker's lease. */
  readonly owner: string;
  now(): number;
  plans: Map<string, OpeningPlan>;
  plansAt: number;
  active: boolean;
  paused: boolean;
  roomRate: number;
  autoTune: boolean;
  storeHealthy: boolean;
  lastTuneAt: number;
  readonly snapshots: Map<string, QueueSnapshot>;
  readonly samples: Map<string, AdmissionSample[]>;
  readonly documents: Map<string, StatusDocument>;
  /** Queue ids the store did not know since the last tick: asked for again only after the next tick. */
  readonly misses: Set<string>;
  pendingHealth: BackendHealth;
}

export function createRoomState(deps: WaitingRoomDeps): RoomState {
  return {
    deps,
    owner: randomUUID(),
    now: () => deps.clock.now().getTime(),
    plans: new Map(),
    plansAt: -Infinity,
    active: deps.settings.mode === 'always',
    paused: false,
    roomRate: deps.settings.ratePerMinute,
    autoTune: true,
    storeHealthy: true,
    lastTuneAt: 0,
    snapshots: new Map(),
    samples: new Map(),
    documents: new Map(),
    misses: new Set(),
    pendingHealth: { requests: 0, slow: 0, errors: 0 },
  };
}

/** Runs store work; a store failure becomes a 503 with Retry-After (domain errors pass through). */
export async function withStore<T>(state: RoomState, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    state.deps.logger.warn({ err: error }, 'waiting-room store unavailable');
    throw new AppError('unavailable', { retryAfterSeconds: 5, reason: 'queue-unavailable' });
  }
}
