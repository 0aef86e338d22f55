import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface SlotDayRow {
  venue_id: number;
  day: string;
  capacity: number;
  taken: number;
}

export interface CountsRow {
  taken: number;
  held: number;
  made_today: number;
  cancelled: number;
  attended: number;
  no_show: number;
}

export interface VenueRow {
  id: number;
  name_ja: string;
  name_en: string;
}

/**
 * The dashboard's SQL: three short reads of one municipality, each on an index (bench/dashboard.ts
 * times them on a million reservations). Places (the doses plus the overbooking allowance's extra
 * places) and `slots.taken` (bookings to come, attended and missed, plus live
 * holds, kept by the booking statement itself) rather than from counting reservations.
 */
export function createDashboardRepository(db: Db) {
  return {
    venues(code: string): Promise<VenueRow[]> {
      return db.selectFrom('venues').select(['id', 'name_ja', 'name_en']).where('municipality_code', '=', code).orderBy('id').execute();
    },

    /** Places per venue and local day, for slots starting in [from, to). */
    async slotDays(code: string, timeZone: string, from: Date, to: Date): Promise<SlotDayRow[]> {
      const { rows } = await sql<SlotDayRow>`
        select s.venue_id, to_char(s.starts_at at time zone ${timeZone}, 'YYYY-MM-DD') as day,
               sum(s.capacity + s.extra_places)::int as capacity, sum(s.taken)::int as taken
          from slots s join venues v on v.id = s.venue_id
         where v.municipality_code = ${code} and s.starts_at >= ${from} and s.starts_at < ${to}
         group by 1, 2 order by 2, 1`.execute(db);
      return rows;
    },

    /**
     * The whole campaign's counts. Reservations that left `booked` are few and counted from their
     * partial index (reservations_not_booked); today's from the BRIN index on created_at.
     */
    async counts(code: string, todayStart: Date): Promise<CountsRow> {
      const { rows } = await sql<CountsRow>`
        with ours as (select s.id, s.taken from slots s join venues v on v.id = s.venue_id where v.municipality_code = ${code}),
        done as (
          select r.status, count(*)::int as n from reservations r join ours on ours.id = r.slot_id
           where r.status <> 'booked' group by r.status
        )
        select (select coalesce(sum(taken), 0)::int from ours) as taken,
               (select count(*)::int from holds h join ours on ours.id = h.slot_id) as held,
               (select count(*)::int from reservations r join ours on ours.id = r.slot_id where r.created_at >= ${todayStart}) as made_today,
               coalesce((select n from done where status = 'cancelled'), 0) as cancelled,
               coalesce((select n from done where status = 'attended'), 0) as attended,
               coalesce((select n from done where status = 'no_show'), 0) as no_show`.execute(db);
      return rows[0]!;
    },

    /** The ledger's newest event id: the one-row read the change feed polls (primary key, backwards). */
    async latestEventId(): Promise<number> {
      const row = await db
        .selectFrom('reservation_events')
        .select(sql<number | null>`max(id)`.as('id'))
        .executeTakeFirst();
      return Number(row?.id ?? 0);
    },

    /** Which municipalities' reservations changed in the events (after, through]; a range of the primary key. */
    async changedSince(after: number, through: number): Promise<{ code: string; through: number }[]> {
      const { rows } = await sql<{ code: string; through: number }>`
        select v.municipality_code as code, max(e.id)::int as through
          from reservation_events e
          join reservations r on r.id = e.reservation_id
          join slots s on s.id = r.slot_id
          join venues v on v.id = s.venue_id
         where e.id > ${after} and e.id <= ${through}
         group by v.municipality_code`.execute(db);
      return rows;
    },
  };
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
