import { drawSpreadSeconds, measuredRatePerMinute } from './queue-rules.js';
import { RATE_WINDOW_MS, withStore, type RoomState, type StatusDocument } from './room-state.js';
import type { QueueSnapshot } from './waiting-room.store.js';

/** Distinct unknown queue ids remembered per tick; past it, a flood of made-up ids waits for the tick. */
const MAX_CACHED_MISSES = 10_000;

function buildDocument(state: RoomState, s: QueueSnapshot, at: number): StatusDocument {
  const { settings } = state.deps;
  const rate = measuredRatePerMinute(state.samples.get(s.queueId) ?? [], at, RATE_WINDOW_MS);
  // The same bytes for everyone: nothing personal, so a CDN can serve it to millions.
  const body = JSON.stringify({
    queueId: s.queueId,
    open: s.open,
    paused: state.paused,
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
    etag: `"${s.queueId}-${s.admittedThrough}-${s.issued}-${s.lobby}-${rate}-${state.paused ? 1 : 0}-${s.open ? 1 : 0}-${at}"`,
  };
}

/** Keeps a queue's snapshot, adds it to the rate samples and rebuilds its status document. */
export function remember(state: RoomState, s: QueueSnapshot, at: number): void {
  state.snapshots.set(s.queueId, s);
  const list = state.samples.get(s.queueId) ?? [];
  list.push({ at, admittedThrough: s.admittedThrough });
  while (list.length > 0 && list[0]!.at < at - RATE_WINDOW_MS) list.shift();
  state.samples.set(s.queueId, list);
  state.documents.set(s.queueId, buildDocument(state, s, at));
}

/** The public status document of a queue, rebuilt once per tick in each process. */
export async function statusDocument(state: RoomState, queueId: string): Promise<StatusDocument | undefined> {
  const known = state.documents.get(queueId);
  if (known) return known;
  // A queue created since the last tick: read it once. A miss is cached until the next tick,
  // so made-up ids cost the store one read per tick each, and a flood of them none at all.
  if (state.misses.has(queueId) || state.misses.size >= MAX_CACHED_MISSES) return undefined;
  const s = await withStore(state, () => state.deps.store.snapshot(queueId));
  if (!s) {
    state.misses.add(queueId);
    return undefined;
  }
  remember(state, s, state.now());
  return state.documents.get(queueId);
}
