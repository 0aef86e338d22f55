import { addDays, localDate, zonedTimeToUtc, type IsoDate } from '../../../shared/dates.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import { dailyTotals, totals, venueFills, windowDays, type DayFill, type Totals, type VenueFill } from './dashboard-rules.js';
import type { DashboardRepository } from './dashboard.repository.js';

/** What the dashboard shows of the waiting room: the municipality's own queues. */
export interface RoomSummary {
  mode: string;
  active: boolean;
  paused: boolean;
  waiting: number;
  queues: { queueId: string; open: boolean; waiting: number; drainSeconds: number | null }[];
}

/** The waiting room's public stats, as getMunicipalityQueueStats answers them (before filtering). */
export interface RoomStats {
  mode: string;
  active: boolean;
  paused: boolean;
  queues: { queueId: string; open: boolean; waiting: number; drainSeconds: number | null }[];
}

export interface DashboardSnapshot {
  municipalityCode: string;
  at: string;
  today: IsoDate;
  totals: Totals;
  venues: { id: number; nameJa: string; nameEn: string }[];
  /** Per venue, today and the 13 days after it. */
  fill: VenueFill[];
  /** All venues together, per day of the same window: the free capacity ahead. */
  days: DayFill[];
  waitingRoom: RoomSummary;
}

export function createDashboardService(deps: {
  repository: DashboardRepository;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
  clock: Clock;
  roomStats: () => Promise<RoomStats>;
  isQueueOf: (queueId: string, municipalityCode: string) => boolean;
}) {
  const { repository } = deps;

  async function room(code: string): Promise<RoomSummary> {
    const stats = await deps.roomStats();
    const queues = stats.queues
      .filter((q) => deps.isQueueOf(q.queueId, code))
      .map((q) => ({ queueId: q.queueId, open: q.open, waiting: q.waiting, drainSeconds: q.drainSeconds }));
    return {
      mode: stats.mode,
      active: stats.active,
      paused: stats.paused,
      waiting: queues.reduce((sum, q) => sum + q.waiting, 0),
      queues,
    };
  }

  return {
    async snapshot(code: string): Promise<DashboardSnapshot> {
      const municipality = await deps.municipalities.record(code);
      if (!municipality) throw new AppError('municipality-not-found');
      const { timeZone } = municipality;
      const now = deps.clock.now();
      const today = localDate(now, timeZone);
      const days = windowDays(today);
      const from = zonedTimeToUtc(today, '00:00', timeZone);
      const to = zonedTimeToUtc(addDays(today, days.length), '00:00', timeZone);
      const [venues, slotDays, counts, waitingRoom] = await Promise.all([
        repository.venues(code),
        repository.slotDays(code, timeZone, from, to),
        repository.counts(code, from),
        room(code),
      ]);
      return {
        municipalityCode: code,
        at: now.toISOString(),
        today,
        totals: totals(counts),
        venues: venues.map((v) => ({ id: v.id, nameJa: v.name_ja, nameEn: v.name_en })),
        fill: venueFills(
          venues.map((v) => v.id),
          days,
          slotDays,
        ),
        days: dailyTotals(days, slotDays),
        waitingRoom,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
