import { estimateWaitSeconds, measuredRatePerMinute } from './queue-rules.js';
import { RATE_WINDOW_MS, withStore, type RoomState } from './room-state.js';
import type { QueueSnapshot } from './waiting-room.store.js';

/** What operators see: every queue with its counts, the rate and the time to drain. */
export async function stats(state: RoomState) {
  const { store, settings } = state.deps;
  const control = await withStore(state, () => store.control());
  const ids = await withStore(state, () => store.queueIds());
  const queues = (await withStore(state, () => Promise.all(ids.map((id) => store.snapshot(id))))).filter((q): q is QueueSnapshot => !!q);
  const at = state.now();
  return {
    mode: settings.mode,
    active: state.active,
    paused: control.paused,
    ratePerMinute: control.ratePerMinute,
    autoTune: settings.autoTune && control.autoTune,
    autoTuneConfigured: settings.autoTune,
    queues: queues.map((q) => {
      const measured = measuredRatePerMinute(state.samples.get(q.queueId) ?? [], at, RATE_WINDOW_MS);
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
}

/** An operator's rate stands: it turns the auto-tuner off until `autoTune: true` hands it back. */
export async function setControl(state: RoomState, request: { paused?: boolean; ratePerMinute?: number; autoTune?: boolean }) {
  const patch = request.autoTune === undefined && request.ratePerMinute !== undefined ? { ...request, autoTune: false } : request;
  const control = await withStore(state, () => state.deps.store.setControl(patch));
  state.paused = control.paused;
  state.roomRate = control.ratePerMinute;
  state.autoTune = control.autoTune;
  return control;
}
