import { isBackendBusy, isRoomActive, splitRate, tuneRate } from './queue-rules.js';
import type { RoomState } from './room-state.js';
import { plannedOpening, refreshPlans } from './opening-plans.js';
import { remember } from './status-documents.js';
import type { QueueSnapshot } from './waiting-room.store.js';

const TUNE_EVERY_MS = 10_000;
const BUSY_HOLD_MS = 5 * 60_000;
const LEASE_NAME = 'ticker';

/** The auto-tuner, every 10 s: the room's rate follows the booking path's health. */
async function tune(state: RoomState, at: number, advanced: QueueSnapshot[]): Promise<void> {
  const { store, settings, logger } = state.deps;
  state.lastTuneAt = at;
  const second = Math.floor(at / 1000);
  const health = await store.readHealth(second - 30, second);
  const waiting = advanced.some((q) => q.issued > q.admittedThrough);
  const patch: { ratePerMinute?: number; busyUntil?: number } = {};
  if (settings.autoTune && state.autoTune && waiting && !state.paused) {
    const tuned = tuneRate(state.roomRate, health, {
      minPerMinute: settings.minRatePerMinute,
      maxPerMinute: settings.maxRatePerMinute,
      minRequests: 20,
    });
    if (tuned !== state.roomRate) patch.ratePerMinute = tuned;
  }
  if (settings.mode === 'auto' && isBackendBusy(health, 20)) patch.busyUntil = at + BUSY_HOLD_MS;
  if (Object.keys(patch).length > 0) {
    const control = await store.setControl(patch);
    state.roomRate = control.ratePerMinute;
    if (patch.ratePerMinute !== undefined) logger.info({ ratePerMinute: state.roomRate, health }, 'waiting-room rate tuned');
  }
}

/** Work of the lease holder: admit people in every queue at the room's rate, tune the rate. */
async function lead(state: RoomState, at: number, queues: QueueSnapshot[]): Promise<QueueSnapshot[]> {
  const { store, settings } = state.deps;
  const rates = splitRate(
    state.roomRate,
    queues.map((q) => ({ queueId: q.queueId, share: q.share, waiting: q.open ? q.issued - q.admittedThrough : 0 })),
  );
  const advanced = [];
  for (const q of queues) {
    advanced.push(
      await store.advance(q.queueId, {
        now: at,
        ratePerMinute: rates.get(q.queueId) ?? 0,
        paused: state.paused,
        graceMs: settings.graceMs,
        opensAt: plannedOpening(state, q.queueId),
      }),
    );
  }
  if (at - state.lastTuneAt >= TUNE_EVERY_MS) await tune(state, at, advanced);
  return advanced;
}

/** One beat, in every process: share health, read control, (lease holder) advance, refresh state. */
export async function tick(state: RoomState): Promise<void> {
  const { store, settings, logger } = state.deps;
  const at = state.now();
  await refreshPlans(state, at);
  try {
    const health = state.pendingHealth;
    state.pendingHealth = { requests: 0, slow: 0, errors: 0 };
    if (health.requests > 0) await store.addHealth(Math.floor(at / 1000), health);
    const control = await store.control();
    state.paused = control.paused;
    state.roomRate = control.ratePerMinute;
    state.autoTune = control.autoTune;
    const ids = await store.queueIds();
    let queues = (await Promise.all(ids.map((id) => store.snapshot(id)))).filter((q): q is QueueSnapshot => !!q);
    if (await store.acquireLease(LEASE_NAME, state.owner, settings.tickMs * 5)) queues = await lead(state, at, queues);
    for (const q of queues) remember(state, q, at);
    state.misses.clear();
    const waiting = queues.reduce((sum, q) => sum + q.lobby + q.issued - q.admittedThrough, 0);
    const openings = [...state.plans.values()].flatMap((p) => p.waves.map((w) => Date.parse(w.opensAt)));
    state.active = isRoomActive(settings.mode, { now: at, openings, leadMs: settings.leadMs, waiting, busyUntil: control.busyUntil });
    if (!state.storeHealthy) logger.info('waiting-room store reachable again');
    state.storeHealthy = true;
  } catch (error) {
    // Keep the last state: the room stays on (tokens are still checked without the store).
    if (state.storeHealthy) logger.warn({ err: error }, 'waiting-room tick failed; keeping the last state');
    state.storeHealthy = false;
  }
}

/** Counts a booking-path response for the auto-tuner (flushed to the store at each tick). */
export function observe(state: RoomState, durationMs: number, statusCode: number): void {
  state.pendingHealth.requests += 1;
  if (durationMs > state.deps.settings.latencyTargetMs) state.pendingHealth.slow += 1;
  if (statusCode >= 500) state.pendingHealth.errors += 1;
}
