import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/**
 * The queries behind the lists and reports. Each list is read page by page with keyset
 * pagination (`after` is the last key of the previous page, on an index), so an export of
 * millions of rows holds one page in memory and never an open transaction.
 */
export const REPORT_PAGE_ROWS = 5_000;

export interface ReservedRow {
  id: number;
  starts_at: Date;
  date: string;
  time: string;
  venue_ja: string;
  venue_en: string;
  number: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  age: number;
  sex: 'M' | 'F' | 'X';
  voucher_number: string;
  phone: string | null;
  dose_number: number;
  vaccine: string;
  status: string;
}

export interface UnreservedRow {
  id: number;
  voucher_number: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string;
  age: number;
  sex: 'M' | 'F' | 'X';
  postcode: string | null;
  address: string | null;
  phone: string | null;
  doses: number;
  last_dose_on: string | null;
}

export interface LedgerRow extends ReservedRow {
  made_by_kind: string;
  created_at: Date;
  cancelled_at: Date | null;
  history: string | null;
}

export interface CrossTabRow {
  period: string;
  band: number;
  sex: 'M' | 'F' | 'X';
  bookings: number;
  attended: number;
}

export interface DoseExportRow {
  id: number;
  voucher_number: string;
  date: string;
  registered: string;
  venue_id: number;
  venue_ja: string;
  dose_number: number;
  vaccine: string;
  /** Recorded at check-in; null for a reservation marked attended before check-in recorded doses. */
  lot_number: string | null;
}

export type Period = 'day' | 'week' | 'month';

/** The instants of a municipality's local day range [from, to]: slots are found by their index on starts_at. */
const dayStart = (date: string, timeZone: string) => sql<Date>`((${date}::date)::timestamp at time zone ${timeZone})`;
const dayEnd = (date: string, timeZone: string) => sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

export function createReportsRepository(db: Db) {
  const bookings = (code: string, timeZone: string) =>
    db
      .selectFrom('reservations as v')
      .innerJoin('slots as s', 's.id', 'v.slot_id')
      .innerJoin('venues as e', 'e.id', 's.venue_id')
      .innerJoin('residents as r', 'r.id', 'v.resident_id')
      .where('e.municipality_code', '=', code)
      .select([
        'v.id',
        's.starts_at',
        sql<string>`to_char(s.starts_at at time zone ${timeZone}, 'YYYY-MM-DD')`.as('date'),
        sql<string>`to_char(s.starts_at at time zone ${timeZone}, 'HH24:MI')`.as('time'),
        'e.name_ja as venue_ja',
        'e.name_en as venue_en',
        'v.number',
        'r.name_kanji',
        'r.name_kana',
        'r.birth_date',
        sql<number>`extract(year from age((s.starts_at at time zone ${timeZone})::date, r.birth_date))::int`.as('age'),
        'r.sex',
        'r.voucher_number',
        'r.phone',
        'v.dose_number',
        'v.vaccine',
        'v.status',
      ]);

  return {
    /** 予約者リスト: the day's bookings (cancelled ones left out), by time, at one venue or all. */
    reservedPage(
      filter: { code: string; timeZone: string; date: string; venueId?: number },
      after: { startsAt: Date; id: number } | undefined,
    ): Promise<ReservedRow[]> {
      let query = bookings(filter.code, filter.timeZone)
        .where('v.status', '<>', 'cancelled')
        .where('s.starts_at', '>=', dayStart(filter.date, filter.timeZone))
        .where('s.starts_at', '<', dayEnd(filter.date, filter.timeZone));
      if (filter.venueId !== undefined) query = query.where('e.id', '=', filter.venueId);
      if (after) query = query.where(sql<boolean>`(s.starts_at, v.id) > (${after.startsAt}, ${after.id})`);
      return query.orderBy('s.starts_at').orderBy('v.id').limit(REPORT_PAGE_ROWS).execute() as Promise<ReservedRow[]>;
    },

    /** 予約台帳: every reservation of the municipality, cancelled ones too, with its history. */
    ledgerPage(filter: { code: string; timeZone: string }, afterId: number): Promise<LedgerRow[]> {
      return db
        .selectFrom('reservations as v')
        .innerJoin('residents as r', 'r.id', 'v.resident_id')
        .innerJoin('slots as s', 's.id', 'v.slot_id')
        .innerJoin('venues as e', 'e.id', 's.venue_id')
        .where('r.municipality_code', '=', filter.code)
        .where('v.id', '>', afterId)
        .select([
          'v.id',
          's.starts_at',
          sql<string>`to_char(s.starts_at at time zone ${filter.timeZone}, 'YYYY-MM-DD')`.as('date'),
          sql<string>`to_char(s.starts_at at time zone ${filter.timeZone}, 'HH24:MI')`.as('time'),
          'e.name_ja as venue_ja',
          'e.name_en as venue_en',
          'v.number',
          'r.name_kanji',
          'r.name_kana',
          'r.birth_date',
          sql<number>`extract(year from age((s.starts_at at time zone ${filter.timeZone})::date, r.birth_date))::int`.as('age'),
          'r.sex',
          'r.voucher_number',
          'r.phone',
          'v.dose_number',
          'v.vaccine',
          'v.status',
          'v.made_by_kind',
          'v.created_at',
          'v.cancelled_at',
          sql<
            string | null
          >`(select string_agg(ev.kind || ' ' || to_char(ev.at at time zone ${filter.timeZone}, 'YYYY-MM-DD HH24:MI'), '; ' order by ev.id) from reservation_events ev where ev.reservation_id = v.id)`.as(
            'history',
          ),
        ])
        .orderBy('v.id')
        .limit(REPORT_PAGE_ROWS)
        .execute() as Promise<LedgerRow[]>;
    },

    /** 未予約者リスト: eligible residents with no active booking (for their next dose). */
    unreservedPage(filter: { code: string; today: string }, afterId: number): Promise<UnreservedRow[]> {
      return db
        .selectFrom('residents as r')
        .where('r.municipality_code', '=', filter.code)
        .where('r.eligible', '=', true)
        .where('r.id', '>', afterId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('reservations as v')
                .select(sql`1`.as('one'))
                .whereRef('v.resident_id', '=', 'r.id')
                .where('v.status', '=', 'booked'),
            ),
          ),
        )
        .select([
          'r.id',
          'r.voucher_number',
          'r.name_kanji',
          'r.name_kana',
          'r.birth_date',
          sql<number>`extract(year from age(${filter.today}::date, r.birth_date))::int`.as('age'),
          'r.sex',
          'r.postcode',
          'r.address',
          'r.phone',
          sql<number>`(select count(*)::int from dose_records d where d.resident_id = r.id)`.as('doses'),
          sql<string | null>`(select to_char(max(d.administered_on), 'YYYY-MM-DD') from dose_records d where d.resident_id = r.id)`.as(
            'last_dose_on',
          ),
        ])
        .orderBy('r.id')
        .limit(REPORT_PAGE_ROWS)
        .execute() as Promise<UnreservedRow[]>;
    },

    /** Bookings and attended doses per period (ISO weeks start on Monday) × 10-year age band (90 and over together) × sex. */
    async crossTab(filter: { code: string; timeZone: string; from: string; to: string; period: Period }): Promise<CrossTabRow[]> {
      const local = sql`(s.starts_at at time zone ${filter.timeZone})`;
      const rows = await db
        .selectFrom('reservations as v')
        .innerJoin('slots as s', 's.id', 'v.slot_id')
        .innerJoin('venues as e', 'e.id', 's.venue_id')
        .innerJoin('residents as r', 'r.id', 'v.resident_id')
        .where('e.municipality_code', '=', filter.code)
        .where('s.starts_at', '>=', dayStart(filter.from, filter.timeZone))
        .where('s.starts_at', '<', dayEnd(filter.to, filter.timeZone))
        .select([
          sql<string>`to_char(date_trunc(${filter.period}, ${local}), 'YYYY-MM-DD')`.as('period'),
          sql<number>`least(floor(extract(year from age(${local}::date, r.birth_date)) / 10) * 10, 90)::int`.as('band'),
          'r.sex',
          sql<number>`(count(*) filter (where v.status <> 'cancelled'))::int`.as('bookings'),
          sql<number>`(count(*) filter (where v.status = 'attended'))::int`.as('attended'),
        ])
        .groupBy([sql`1`, sql`2`, 'r.sex'])
        .orderBy(sql`1`)
        .orderBy(sql`2`)
        .orderBy('r.sex')
        .execute();
      return rows as CrossTabRow[];
    },

    /** Attended doses, for the national vaccination record; keyset on the reservation's id. */
    dosePage(filter: { code: string; timeZone: string; from: string; to: string }, afterId: number): Promise<DoseExportRow[]> {
      return db
        .selectFrom('reservations as v')
        .innerJoin('slots as s', 's.id', 'v.slot_id')
        .innerJoin('venues as e', 'e.id', 's.venue_id')
        .innerJoin('residents as r', 'r.id', 'v.resident_id')
        .leftJoin('dose_records as d', 'd.reservation_id', 'v.id')
        .where('e.municipality_code', '=', filter.code)
        .where('v.status', '=', 'attended')
        .where('s.starts_at', '>=', dayStart(filter.from, filter.timeZone))
        .where('s.starts_at', '<', dayEnd(filter.to, filter.timeZone))
        .where('v.id', '>', afterId)
        .select([
          'v.id',
          'r.voucher_number',
          sql<string>`to_char(s.starts_at at time zone ${filter.timeZone}, 'YYYYMMDD')`.as('date'),
          // When the dose was recorded: its 'attended' event, or the reservation's last change.
          sql<string>`to_char(coalesce((select max(ev.at) from reservation_events ev where ev.reservation_id = v.id and ev.kind = 'attended'), v.updated_at) at time zone ${filter.timeZone}, 'YYYYMMDDHH24MISS')`.as(
            'registered',
          ),
          'e.id as venue_id',
          'e.name_ja as venue_ja',
          'v.dose_number',
          'v.vaccine',
          'd.lot_number',
        ])
        .orderBy('v.id')
        .limit(REPORT_PAGE_ROWS)
        .execute() as Promise<DoseExportRow[]>;
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;
