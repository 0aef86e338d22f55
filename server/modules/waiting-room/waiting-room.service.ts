import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { IdentityProof } from '../residents/index.js';
import {
  drawSpreadSeconds,
  estimateWaitSeconds,
  isBackendBusy,
  isRoomActive,
  measuredRatePerMinute,
  splitRate,
  tuneRate,
  waveFor,
  type AdmissionSample,
  type BackendHealth,
  type OpeningPlan,
  type WaitingRoomMode,
} from './queue-rules.js';
import type { AdmissionToken, TicketCodec } from './tickets.js';
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

const PLAN_REFRESH_MS = 30_000;
const RATE_WINDOW_MS = 60_000;
const TUNE_EVERY_MS = 10_000;
const BUSY_HOLD_MS = 5 * 60_000;
/** Distinct unknown queue ids remembered per tick; past it, a flood of made-up ids waits for the tick. */
const MAX_CACHED_MISSES = 10_000;
const LEASE_NAME = 'ticker';

/** The waiting room: joining with a voucher, the public status, admission, the ticker. */
export function createWaitingRoomService(deps: WaitingRoomDeps) {
  const { store, codec, clock, settings, logger } = deps;
  const owner = randomUUID();
  const now = () => clock.now().getTime();

  let plans = new Map<string, OpeningPlan>();
  let plansAt = -Infinity;
  let active = settings.mode === 'always';
  let paused = false;
  let roomRate = settings.ratePerMinute;
  let autoTune = true;
  let storeHealthy = true;
  let lastTuneAt = 0;
  const snapshots = new Map<string, QueueSnapshot>();
  const samples = new Map<string, AdmissionSample[]>();
  const documents = new Map<string, StatusDocument>();
  /** Queue ids the store did not know since the last tick: asked for again only after the next tick. */
  const misses = new Set<string>();
  let pendingHealth: BackendHealth = { requests: 0, slow: 0, errors: 0 };

  async function withStore<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      logger.warn({ err: error }, 'waiting-room store unavailable');
      throw new AppError('unavailable', { retryAfterSeconds: 5, reason: 'queue-unavailable' });
    }
  }

  function queueFor(municipalityCode: string, birthDate: string) {
    const plan = plans.get(municipalityCode);
    if (!plan) return { queueId: municipalityCode, opensAt: null, share: 1 };
    const wave = waveFor(plan, birthDate);
    if (!wave) throw new AppError('not-eligible-age', { reason: 'no-wave' });
    return { queueId: `${municipalityCode}-${wave.id}`, opensAt: Date.parse(wave.opensAt), share: wave.share ?? 1 };
  }

  /** The opening time the current plan gives a wave's queue (undefined for a queue without one). */
  function plannedOpening(queueId: string): number | undefined {
    for (const [municipalityCode, plan] of plans) {
      const wave = plan.waves.find((w) => `${municipalityCode}-${w.id}` === queueId);
      if (wave) return Date.parse(wave.opensAt);
    }
    return undefined;
  }

  function buildDocument(s: QueueSnapshot, at: number): StatusDocument {
    const rate = measuredRatePerMinute(samples.get(s.queueId) ?? [], at, RATE_WINDOW_MS);
    // The same bytes for everyone: nothing personal, so a CDN can serve it to millions.
    const body = JSON.stringify({
      queueId: s.queueId,
      open: s.open,
      paused,
      opensAt: s.opensAt === null ? null : new Date(s.opensAt).toISOString(),
      issued: s.issued,
      lobby: s.lobby,
      admittedThrough: s.admittedThrough,
      ratePerMinute: rate,
      graceSeconds: Math.round(settings.graceMs / 1000),
      // Pages of a drawn lobby fetch their numbers spread over this many seconds after the opening.
      drawSpreadSeconds: s.opensAt === null ? 0 : drawSpreadSeconds(s.issued + s.lobby, settings.graceMs),
      updatedAt: new Date(at).toISOString(),
    });
    // The ETag covers every byte, updatedAt included: a 304 must not keep a page on an old
    // updatedAt, or a quiet queue would look stuck to the page's staleness check.
    return {
      body,
      etag: `"${s.queueId}-${s.admittedThrough}-${s.issued}-${s.lobby}-${rate}-${paused ? 1 : 0}-${s.open ? 1 : 0}-${at}"`,
    };
  }

  function remember(s: QueueSnapshot, at: number): void {
    snapshots.set(s.queueId, s);
    const list = samples.get(s.queueId) ?? [];
    list.push({ at, admittedThrough: s.admittedThrough });
    while (list.length > 0 && list[0]!.at < at - RATE_WINDOW_MS) list.shift();
    samples.set(s.queueId, list);
    documents.set(s.queueId, buildDocument(s, at));
  }

  async function refreshPlans(at: number): Promise<void> {
    if (at - plansAt < PLAN_REFRESH_MS) return;
    plansAt = at;
    try {
      plans = await deps.loadPlans();
    } catch (error) {
      logger.warn({ err: error }, 'could not read opening plans; keeping the last ones');
    }
  }

  /** Work of the lease holder: admit people in every queue at the room's rate, tune the rate. */
  async function lead(at: number, queues: QueueSnapshot[]): Promise<QueueSnapshot[]> {
    const rates = splitRate(
      roomRate,
      queues.map((q) => ({ queueId: q.queueId, share: q.share, waiting: q.open ? q.issued - q.admittedThrough : 0 })),
    );
    const advanced = [];
    for (const q of queues) {
      advanced.push(
        await store.advance(q.queueId, {
          now: at,
          ratePerMinute: rates.get(q.queueId) ?? 0,
          paused,
          graceMs: settings.graceMs,
          opensAt: plannedOpening(q.queueId),
        }),
      );
    }
    if (at - lastTuneAt >= TUNE_EVERY_MS) {
      lastTuneAt = at;
      const second = Math.floor(at / 1000);
      const health = await store.readHealth(second - 30, second);
      const waiting = advanced.some((q) => q.issued > q.admittedThrough);
      const patch: { ratePerMinute?: number; busyUntil?: number } = {};
      if (settings.autoTune && autoTune && waiting && !paused) {
        const tuned = tuneRate(roomRate, health, {
          minPerMinute: settings.minRatePerMinute,
          maxPerMinute: settings.maxRatePerMinute,
          minRequests: 20,
        });
        if (tuned !== roomRate) patch.ratePerMinute = tuned;
      }
      if (settings.mode === 'auto' && isBackendBusy(health, 20)) patch.busyUntil = at + BUSY_HOLD_MS;
      if (Object.keys(patch).length > 0) {
        const control = await store.setControl(patch);
        roomRate = control.ratePerMinute;
        if (patch.ratePerMinute !== undefined) logger.info({ ratePerMinute: roomRate, health }, 'waiting-room rate tuned');
      }
    }
    return advanced;
  }

  /** One beat, in every process: share health, read control, (lease holder) advance, refresh state. */
  async function tick(): Promise<void> {
    const at = now();
    await refreshPlans(at);
    try {
      const health = pendingHealth;
      pendingHealth = { requests: 0, slow: 0, errors: 0 };
      if (health.requests > 0) await store.addHealth(Math.floor(at / 1000), health);
      const control = await store.control();
      paused = control.paused;
      roomRate = control.ratePerMinute;
      autoTune = control.autoTune;
      const ids = await store.queueIds();
      let queues = (await Promise.all(ids.map((id) => store.snapshot(id)))).filter((q): q is QueueSnapshot => !!q);
      if (await store.acquireLease(LEASE_NAME, owner, settings.tickMs * 5)) queues = await lead(at, queues);
      for (const q of queues) remember(q, at);
      misses.clear();
      const waiting = queues.reduce((sum, q) => sum + q.lobby + q.issued - q.admittedThrough, 0);
      const openings = [...plans.values()].flatMap((p) => p.waves.map((w) => Date.parse(w.opensAt)));
      active = isRoomActive(settings.mode, { now: at, openings, leadMs: settings.leadMs, waiting, busyUntil: control.busyUntil });
      if (!storeHealthy) logger.info('waiting-room store reachable again');
      storeHealthy = true;
    } catch (error) {
      // Keep the last state: the room stays on (tokens are still checked without the store).
      if (storeHealthy) logger.warn({ err: error }, 'waiting-room tick failed; keeping the last state');
      storeHealthy = false;
    }
  }

  return {
    settings,
    tick,

    /** Whether booking needs an admission token right now (decided by the last tick). */
    isActive: () => active,

    /**
     * Joins the queue after the cheap voucher + birth date check, or returns the place the
     * person already holds. The ticket is bound to this browser.
     */
    async join(input: { municipalityCode: string; voucherNumber: string; birthDate: string; ip: string; browser: string }) {
      let resident;
      try {
        resident = await deps.identity.prove(input, [deps.identity.perAddress(input.ip)]);
      } catch (error) {
        if (error instanceof AppError) throw error;
        logger.warn({ err: error }, 'voucher check failed: database unavailable');
        throw new AppError('unavailable', { retryAfterSeconds: 10, reason: 'database-unavailable' });
      }
      if (!resident) throw new AppError('sign-in-failed');
      await refreshPlans(now());
      const queue = queueFor(input.municipalityCode, resident.birthDate);
      const personKey = codec.personKey(input.municipalityCode, resident.id);
      const at = now();
      const placed = await withStore(() =>
        store.join(queue.queueId, personKey, {
          now: at,
          opensAt: queue.opensAt,
          share: queue.share,
          sortKey: randomInt(0, 2 ** 47) / 2 ** 47,
          claimLifetimeMs: settings.admissionMs,
        }),
      );
      misses.delete(queue.queueId); // the queue exists now, whatever was asked before
      const ticket = { queueId: queue.queueId, position: placed.position, personKey, browser: input.browser, issuedAt: at };
      return { ticket: codec.encodeTicket(ticket), ...ticket, opensAt: queue.opensAt };
    },

    /** A fresh ticket with the person's number, for those who joined before the opening. */
    async refresh(input: { ticket: string | undefined; browser: string }) {
      const ticket = readTicket(input.ticket, input.browser);
      const position = await withStore(() => store.positionOf(ticket.queueId, ticket.personKey));
      if (position === undefined) throw new AppError('forbidden', { reason: 'ticket-unknown' });
      const fresh = { ...ticket, position, issuedAt: now() };
      return { ticket: codec.encodeTicket(fresh), ...fresh };
    },

    /** The public status document of a queue, rebuilt once per tick in each process. */
    async status(queueId: string): Promise<StatusDocument | undefined> {
      const known = documents.get(queueId);
      if (known) return known;
      // A queue created since the last tick: read it once. A miss is cached until the next tick,
      // so made-up ids cost the store one read per tick each, and a flood of them none at all.
      if (misses.has(queueId) || misses.size >= MAX_CACHED_MISSES) return undefined;
      const s = await withStore(() => store.snapshot(queueId));
      if (!s) {
        misses.add(queueId);
        return undefined;
      }
      remember(s, now());
      return documents.get(queueId);
    },

    /** Takes the admitted person's turn and returns a short-lived admission token for this browser. */
    async admit(input: { ticket: string | undefined; browser: string }) {
      const ticket = readTicket(input.ticket, input.browser);
      const at = now();
      const outcome = await withStore(() =>
        store.claim(ticket.queueId, ticket.personKey, {
          now: at,
          browser: ticket.browser,
          position: ticket.position,
          graceMs: settings.graceMs,
          claimLifetimeMs: settings.admissionMs,
        }),
      );
      switch (outcome.kind) {
        case 'admitted': {
          const token: AdmissionToken = {
            queueId: ticket.queueId,
            personKey: ticket.personKey,
            browser: ticket.browser,
            expiresAt: outcome.claimedAt + settings.admissionMs,
          };
          return { token: codec.encodeAdmission(token), expiresAt: token.expiresAt };
        }
        case 'not-yet':
          throw new AppError('admission-required', { reason: 'not-yet', position: outcome.position });
        case 'expired':
          throw new AppError('forbidden', { reason: 'turn-expired' });
        case 'used':
          throw new AppError('forbidden', { reason: 'ticket-used' });
        case 'unknown':
          throw new AppError('forbidden', { reason: 'ticket-unknown' });
      }
    },

    /** Counts a booking-path response for the auto-tuner (flushed to the store at each tick). */
    observe(durationMs: number, statusCode: number): void {
      pendingHealth.requests += 1;
      if (durationMs > settings.latencyTargetMs) pendingHealth.slow += 1;
      if (statusCode >= 500) pendingHealth.errors += 1;
    },

    recordBooked(queueId: string): void {
      store.recordBooked(queueId).catch((error: unknown) => logger.warn({ err: error }, 'could not count a booking'));
    },

    /** What operators see: every queue with its counts, the rate and the time to drain. */
    async stats() {
      const control = await withStore(() => store.control());
      const ids = await withStore(() => store.queueIds());
      const queues = (await withStore(() => Promise.all(ids.map((id) => store.snapshot(id))))).filter((q): q is QueueSnapshot => !!q);
      const at = now();
      return {
        mode: settings.mode,
        active,
        paused: control.paused,
        ratePerMinute: control.ratePerMinute,
        autoTune: settings.autoTune && control.autoTune,
        autoTuneConfigured: settings.autoTune,
        queues: queues.map((q) => {
          const measured = measuredRatePerMinute(samples.get(q.queueId) ?? [], at, RATE_WINDOW_MS);
          const waiting = q.lobby + q.issued - q.admittedThrough;
          return {
            queueId: q.queueId,
            open: q.open,
            opensAt: q.opensAt === null ? null : new Date(q.opensAt).toISOString(),
            waiting,
            issued: q.issued,
            lobby: q.lobby,
            admittedThrough: q.admittedThrough,
            claimed: q.claimed,
            abandoned: q.abandoned,
            booked: q.booked,
            measuredRatePerMinute: measured,
            drainSeconds: estimateWaitSeconds(waiting, measured) ?? null,
          };
        }),
      };
    },

    /** An operator's rate stands: it turns the auto-tuner off until `autoTune: true` hands it back. */
    async setControl(request: { paused?: boolean; ratePerMinute?: number; autoTune?: boolean }) {
      const patch = request.autoTune === undefined && request.ratePerMinute !== undefined ? { ...request, autoTune: false } : request;
      const control = await withStore(() => store.setControl(patch));
      paused = control.paused;
      roomRate = control.ratePerMinute;
      autoTune = control.autoTune;
      return control;
    },

    decodeAdmission: (token: string | undefined) => codec.decodeAdmission(token, now()),
    personKey: (municipalityCode: string, accountId: number) => codec.personKey(municipalityCode, accountId),
    browserHash: (binding: string) => codec.browserHash(binding),
  };

  function readTicket(token: string | undefined, browser: string) {
    const ticket = codec.decodeTicket(token, now());
    if (!ticket) throw new AppError('forbidden', { reason: 'ticket-invalid' });
    if (ticket.browser !== browser) throw new AppError('forbidden', { reason: 'ticket-other-browser' });
    return ticket;
  }
}

export type WaitingRoomService = ReturnType<typeof createWaitingRoomService>;
