import type { Logger } from 'pino';
import type { EventBus } from '../../platform/event-bus.js';
import type { DashboardRepository } from './dashboard.repository.js';

/** Bus channel: a municipality's reservations changed, up to ledger event `through`. */
export const DASHBOARD_CHANGED = 'dashboard.changed';

export interface DashboardChange {
  m: string;
  through: number;
}

export function isDashboardChange(payload: unknown): payload is DashboardChange {
  const p = payload as DashboardChange | null;
  return typeof p === 'object' && p !== null && typeof p.m === 'string' && Number.isInteger(p.through);
}

/**
 * Tells every process (over the event bus) which municipalities' bookings changed, without the
 * booking code knowing: every API process reads the ledger's newest id once a second (one row from
 * the primary key, about 0.1 ms); only when it moved does it ask which municipalities the new
 * events belong to, and publishes one message per municipality.
 *
 * Why a poll and not a trigger with pg_notify: NOTIFY is queued at commit under one lock for the
 * whole database, so every booking transaction would wait its turn there, on the hot path, under
 * exactly the load the dashboard is meant to watch; a poll costs the bookings nothing and delays
 * the news by at most a second. It also works the same on the embedded database (one process), where
 * the bus is in-process and a NOTIFY from PGlite would reach no subscriber.
 *
 * Several API processes poll the same ledger: a process publishes only what no other process has
 * published yet (it listens to the channel itself), and subscribers drop an old `through`.
 */
export function createChangeFeed(deps: { repository: DashboardRepository; events: EventBus; logger: Logger; pollMs: number }) {
  const { repository, events, logger } = deps;
  const published = new Map<string, number>();
  let cursor: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;

  async function poll() {
    const latest = await repository.latestEventId();
    if (cursor === undefined || latest < cursor) {
      // First read, or a database restored from an older copy: start from here.
      cursor = latest;
      return;
    }
    if (latest === cursor) return;
    const changes = await repository.changedSince(cursor, latest);
    cursor = latest;
    for (const change of changes) {
      if ((published.get(change.code) ?? 0) >= change.through) continue;
      published.set(change.code, change.through);
      await events.publish(DASHBOARD_CHANGED, { m: change.code, through: change.through } satisfies DashboardChange);
    }
  }

  const beat = () => {
    running ??= poll()
      .catch((error: unknown) => logger.warn({ err: error }, 'dashboard change feed: poll failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    async start() {
      unsubscribe = events.subscribe(DASHBOARD_CHANGED, (payload) => {
        if (!isDashboardChange(payload)) return;
        if ((published.get(payload.m) ?? 0) < payload.through) published.set(payload.m, payload.through);
      });
      await beat();
      timer = setInterval(() => void beat(), deps.pollMs);
      timer.unref();
    },
    /** One poll now (tests). */
    poll: beat,
    async stop() {
      if (timer) clearInterval(timer);
      unsubscribe?.();
      await running;
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
