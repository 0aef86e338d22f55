import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, ReservationStatus } from '../../db/schema.js';

type Tx = Transaction<Database>;
export type CheckInStatus = Exclude<ReservationStatus, 'cancelled'>;

/** A line of the day's list, as read: the person, the booking and the dose recorded at it. */
export interface DayRow {
  id: number;
  number: string;
  status: CheckInStatus;
  startsAt: Date;
  endsAt: Date;
  dose: number;
  vaccine: string;
  residentId: number;
  nameKanji: string;
  nameKana: string;
  nameKanaKey: string;
  birthDate: string;
  voucherNumber: string;
  lotNumber: string | null;
}

/** One reservation as a mark needs it: its state, and the day and venue of its slot. */
export interface MarkTarget {
  id: number;
  residentId: number;
  status: ReservationStatus;
  dose: number;
  vaccine: string;
  venueId: number;
  /** The slot's date in the municipality's time zone. */
  localDate: string;
}

const dayStart = (date: string, timeZone: string) => sql<Date>`((${date}::date)::timestamp at time zone ${timeZone})`;
const dayEnd = (date: string, timeZone: string) => sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

/** The SQL of check-in; the service opens the transactions and passes them in. */
export function createCheckInRepository(db: Db) {
  return {
    async venue(municipalityCode: string, venueId: number) {
      return db
        .selectFrom('venues')
        .select(['id', 'name_ja', 'name_en'])
        .where('id', '=', venueId)
        .where('municipality_code', '=', municipalityCode)
        .executeTakeFirst();
    },

    /**
     * Every reservation but the cancelled at one venue on one local day, by time then number: the
     * venue's slots of the day by their (venue_id, starts_at) key, their reservations by slot.
     */
    async day(venueId: number, date: string, timeZone: string): Promise<DayRow[]> {
      const rows = await db
        .selectFrom('slots as s')
        .innerJoin('reservations as v', 'v.slot_id', 's.id')
        .innerJoin('residents as r', 'r.id', 'v.resident_id')
        .leftJoin('dose_records as d', 'd.reservation_id', 'v.id')
        .where('s.venue_id', '=', venueId)
        .where('s.starts_at', '>=', dayStart(date, timeZone))
        .where('s.starts_at', '<', dayEnd(date, timeZone))
        .where('v.status', 'in', ['booked', 'attended', 'no_show'])
        .select([
          'v.id',
          'v.number',
          'v.status',
          's.starts_at',
          sql<Date>`s.starts_at + make_interval(mins => s.duration_minutes)`.as('ends_at'),
          'v.dose_number',
          'v.vaccine',
          'r.id as resident_id',
          'r.name_kanji',
          'r.name_kana',
          'r.name_kana_key',
          'r.birth_date',
          'r.voucher_number',
          'd.lot_number',
        ])
        .orderBy('s.starts_at')
        .orderBy('v.number')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        number: row.number,
        status: row.status as CheckInStatus,
        startsAt: new Date(row.starts_at),
        endsAt: new Date(row.ends_at),
        dose: row.dose_number,
        vaccine: row.vaccine,
        residentId: row.resident_id,
        nameKanji: row.name_kanji,
        nameKana: row.name_kana,
        nameKanaKey: row.name_kana_key,
        birthDate: row.birth_date,
        voucherNumber: row.voucher_number,
        lotNumber: row.lot_number,
      }));
    },

    /** The reservation with this number, only if its venue is the municipality's. */
    async target(executor: Db | Tx, municipalityCode: string, timeZone: string, number: string): Promise<MarkTarget | undefined> {
      const row = await executor
        .selectFrom('reservations as v')
        .innerJoin('slots as s', 's.id', 'v.slot_id')
        .innerJoin('venues as e', 'e.id', 's.venue_id')
        .where('v.number', '=', number)
        .where('e.municipality_code', '=', municipalityCode)
        .select([
          'v.id',
          'v.resident_id',
          'v.status',
          'v.dose_number',
          'v.vaccine',
          'e.id as venue_id',
          sql<string>`to_char(s.starts_at at time zone ${timeZone}, 'YYYY-MM-DD')`.as('local_date'),
        ])
        .executeTakeFirst();
      return (
        row && {
          id: row.id,
          residentId: row.resident_id,
          status: row.status,
          dose: row.dose_number,
          vaccine: row.vaccine,
          venueId: row.venue_id,
          localDate: row.local_date,
        }
      );
    },

    /**
     * The person first, as every write that changes their history does (docs/ARCHITECTURE.md, lock
     * order 1): marks of one person queue here, and a booking of their next dose decides its rules
     * either before the dose is recorded or after.
     */
    async lockResident(tx: Tx, residentId: number): Promise<void> {
      await tx.selectFrom('residents').select('id').where('id', '=', residentId).forNoKeyUpdate().execute();
    },

    /** Moves the reservation from one of `from` to `to`; false when it was in none of them (someone else moved it). */
    async setStatus(tx: Tx, reservationId: number, from: ReservationStatus[], to: ReservationStatus): Promise<boolean> {
      const moved = await tx
        .updateTable('reservations')
        .set({ status: to, updated_at: sql`now()` })
        .where('id', '=', reservationId)
        .where('status', 'in', from)
        .returning('id')
        .executeTakeFirst();
      return moved !== undefined;
    },

    async addEvent(tx: Tx, reservationId: number, kind: 'attended' | 'no_show' | 'check-in-undone', staffAccountId: number) {
      await tx
        .insertInto('reservation_events')
        .values({ reservation_id: reservationId, kind, actor_kind: 'staff', actor_staff_account_id: staffAccountId })
        .execute();
    },

    /** The dose given at the reservation; false when the person's history already holds that dose number. */
    async recordDose(
      tx: Tx,
      dose: {
        residentId: number;
        dose: number;
        administeredOn: string;
        vaccine: string;
        lotNumber: string;
        venueId: number;
        staffAccountId: number;
        reservationId: number;
      },
    ): Promise<boolean> {
      const inserted = await tx
        .insertInto('dose_records')
        .values({
          resident_id: dose.residentId,
          dose_number: dose.dose,
          administered_on: dose.administeredOn,
          vaccine: dose.vaccine,
          lot_number: dose.lotNumber,
          venue_id: dose.venueId,
          recorded_by_staff_id: dose.staffAccountId,
          reservation_id: dose.reservationId,
        })
        .onConflict((conflict) => conflict.columns(['resident_id', 'dose_number']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async removeDose(tx: Tx, reservationId: number): Promise<void> {
      await tx.deleteFrom('dose_records').where('reservation_id', '=', reservationId).execute();
    },

    async lotNumberOf(executor: Db | Tx, reservationId: number): Promise<string | null> {
      const row = await executor
        .selectFrom('dose_records')
        .select('lot_number')
        .where('reservation_id', '=', reservationId)
        .executeTakeFirst();
      return row?.lot_number ?? null;
    },
  };
}

export type CheckInRepository = ReturnType<typeof createCheckInRepository>;
