import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/event-bus.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { createChangeFeed } from './change-feed.js';
import { createDashboardRepository } from './dashboard.repository.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { createDashboardService, type DashboardService, type RoomStats } from './dashboard.service.js';
import { createLiveStreams } from './live-streams.js';

/** The live dashboard: counts of one municipality's campaign, and their server-sent events. */
export { DASHBOARD_CHANGED } from './change-feed.js';
export type { DashboardSnapshot, RoomStats } from './dashboard.service.js';
export type { DashboardService };

export function createDashboard(deps: {
  db: Db;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
  roomStats: () => Promise<RoomStats>;
  isQueueOf: (queueId: string, municipalityCode: string) => boolean;
  /** How often the ledger is read for news (change-feed.ts). */
  pollMs?: number;
}) {
  const repository = createDashboardRepository(deps.db);
  const service = createDashboardService({ ...deps, repository });
  const feed = createChangeFeed({ repository, events: deps.events, logger: deps.logger, pollMs: deps.pollMs ?? 1_000 });
  const streams = createLiveStreams({ events: deps.events, snapshot: service.snapshot, logger: deps.logger });
  return {
    service,
    feed,
    streams,
    routes: dashboardRoutes({ dashboard: service, streams }),
    /** Starts reading the ledger for news. */
    start: () => feed.start(),
    /** Ends every stream first (they would hold the HTTP server open), then the feed. */
    async stop() {
      streams.close();
      await feed.stop();
    },
  };
}

export type Dashboard = ReturnType<typeof createDashboard>;
