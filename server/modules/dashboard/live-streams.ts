import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import type { EventBus } from '../../platform/event-bus.js';
import { DASHBOARD_CHANGED, isDashboardChange } from './change-feed.js';
import type { DashboardSnapshot } from './dashboard.service.js';

export interface LiveStreamsOptions {
  events: EventBus;
  snapshot: (code: string) => Promise<DashboardSnapshot>;
  logger: Logger;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** A stream ends after this long and the browser opens a new one, so the session is checked again. */
  maxStreamMs?: number;
  /** Changes arriving within this window are sent as one snapshot. */
  coalesceMs?: number;
  /** A fresh snapshot this often even without bookings: the waiting room's queues move by themselves. */
  refreshMs?: number;
}

interface Watcher {
  stream: PassThrough;
  timeout: NodeJS.Timeout;
}

/** One server-sent event: the snapshot, with the ledger position as its id. */
function event(snapshot: DashboardSnapshot, id: number): string {
  return `id: ${id}\nevent: dashboard\ndata: ${JSON.stringify(snapshot)}\n\n`;
}

/**
 * The dashboard's server-sent events in this process. A message on the bus (change-feed.ts, from
 * whichever process saw the change) makes one snapshot per municipality watched here, however many
 * staff watch it and however many bookings came together, and sends it to each of them.
 */
export function createLiveStreams(options: LiveStreamsOptions) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxStreamMs = options.maxStreamMs ?? 5 * 60_000;
  const coalesceMs = options.coalesceMs ?? 250;
  const watchers = new Map<string, Set<Watcher>>();
  const seen = new Map<string, number>();
  const pending = new Map<string, NodeJS.Timeout>();
  let closed = false;

  const heartbeat = setInterval(() => {
    for (const set of watchers.values()) for (const w of set) w.stream.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  const refresh = setInterval(() => {
    for (const code of watchers.keys()) if (!pending.has(code)) void push(code);
  }, options.refreshMs ?? 10_000);
  refresh.unref();

  function end(code: string, watcher: Watcher) {
    clearTimeout(watcher.timeout);
    const set = watchers.get(code);
    set?.delete(watcher);
    if (set?.size === 0) watchers.delete(code);
    if (!watcher.stream.writableEnded) watcher.stream.end();
  }

  async function push(code: string) {
    pending.delete(code);
    const set = watchers.get(code);
    if (!set || set.size === 0) return;
    try {
      const text = event(await options.snapshot(code), seen.get(code) ?? 0);
      for (const w of watchers.get(code) ?? []) w.stream.write(text);
    } catch (error) {
      options.logger.warn({ err: error }, 'dashboard: could not build the snapshot for live streams');
    }
  }

  const unsubscribe = options.events.subscribe(DASHBOARD_CHANGED, (payload) => {
    if (!isDashboardChange(payload)) return;
    // The same change can be published by two processes: the second is old news.
    if ((seen.get(payload.m) ?? 0) >= payload.through) return;
    seen.set(payload.m, payload.through);
    if (!watchers.has(payload.m) || pending.has(payload.m)) return;
    const timer = setTimeout(() => void push(payload.m), coalesceMs);
    timer.unref();
    pending.set(payload.m, timer);
  });

  return {
    /** A new stream for a municipality, starting with its snapshot now; ends when the client leaves. */
    async open(code: string, onClientGone: (listener: () => void) => void): Promise<PassThrough> {
      const first = await options.snapshot(code);
      const stream = new PassThrough();
      stream.write(`retry: 3000\n\n${event(first, seen.get(code) ?? 0)}`);
      if (closed) {
        stream.end();
        return stream;
      }
      const watcher: Watcher = { stream, timeout: setTimeout(() => end(code, watcher), maxStreamMs) };
      watcher.timeout.unref();
      const set = watchers.get(code) ?? new Set();
      watchers.set(code, set);
      set.add(watcher);
      onClientGone(() => end(code, watcher));
      return stream;
    },

    watching: () => [...watchers.values()].reduce((sum, set) => sum + set.size, 0),

    /** Ends every stream (server shutdown: an open stream would keep the HTTP server from closing). */
    close() {
      closed = true;
      clearInterval(heartbeat);
      clearInterval(refresh);
      unsubscribe();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const [code, set] of watchers) for (const w of [...set]) end(code, w);
    },
  };
}

export type LiveStreams = ReturnType<typeof createLiveStreams>;
