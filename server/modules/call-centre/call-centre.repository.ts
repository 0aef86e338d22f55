import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The kana key under the C collation, as residents_kana_prefix indexes it (byte order; LIKE 'x%' is a range). */
const byteOrderKey = sql<string>`name_kana_key collate "C"`;

/** How a folded kana name is matched: from its start (no birth date to narrow it), or anywhere. */
export type KanaMatch = { key: string; match: 'prefix' | 'contains' };

export interface CallerCriteria {
  kana?: KanaMatch;
  birthDate?: string;
  voucherNumber?: string;
  phone?: string;
}

/** What a search answers: enough to pick the caller from a short list, no more. */
export interface CallerMatch {
  residentId: number;
  nameKana: string;
  birthDate: string;
}

export function createCallCentreRepository(db: Db) {
  return {
    /**
     * Residents of one municipality matching every criterion given. Each search rests on an index
     * (migration 0011): the voucher's unique key, (municipality, birth date), (municipality, phone),
     * or (municipality, kana key in byte order) for a prefix; a kana matched anywhere in the
     * name is only ever asked together with one of the others (the service sees to it).
     */
    async search(municipalityCode: string, criteria: CallerCriteria, limit: number): Promise<CallerMatch[]> {
      let query = db.selectFrom('residents').select(['id', 'name_kana', 'birth_date']).where('municipality_code', '=', municipalityCode);
      if (criteria.voucherNumber !== undefined) query = query.where('voucher_number', '=', criteria.voucherNumber);
      if (criteria.birthDate !== undefined) query = query.where('birth_date', '=', criteria.birthDate);
      if (criteria.phone !== undefined) query = query.where('phone', '=', criteria.phone);
      if (criteria.kana) {
        // The key holds katakana only (the service refuses anything else), so it needs no escaping for LIKE.
        const pattern = criteria.kana.match === 'prefix' ? `${criteria.kana.key}%` : `%${criteria.kana.key}%`;
        query = query.where(byteOrderKey, 'like', pattern);
      }
      // The index's own order (migration 0011): a prefix shared by thousands stops after `limit` entries.
      const rows = await query.orderBy(byteOrderKey).orderBy('birth_date').orderBy('id').limit(limit).execute();
      return rows.map((row) => ({ residentId: row.id, nameKana: row.name_kana, birthDate: row.birth_date }));
    },

    async residentOfReservation(municipalityCode: string, number: string): Promise<CallerMatch | undefined> {
      const row = await db
        .selectFrom('reservations')
        .innerJoin('residents', 'residents.id', 'reservations.resident_id')
        .select(['residents.id', 'residents.name_kana', 'residents.birth_date'])
        .where('reservations.number', '=', number)
        .where('residents.municipality_code', '=', municipalityCode)
        .executeTakeFirst();
      return row ? { residentId: row.id, nameKana: row.name_kana, birthDate: row.birth_date } : undefined;
    },

    /** The person, for the confirmation screen: only in the operator's municipality. */
    async person(municipalityCode: string, residentId: number) {
      return db
        .selectFrom('residents')
        .select(['id', 'name_kanji', 'name_kana', 'birth_date', 'address', 'phone', 'voucher_number'])
        .where('id', '=', residentId)
        .where('municipality_code', '=', municipalityCode)
        .executeTakeFirst();
    },

    /** Family both ways: the members the person books for, and the accounts that book for them. */
    async family(residentId: number) {
      const [members, holders] = await Promise.all([
        db
          .selectFrom('family_links')
          .innerJoin('residents', 'residents.id', 'family_links.member_id')
          .select(['residents.id', 'residents.name_kanji', 'residents.name_kana', 'residents.birth_date'])
          .where('family_links.account_id', '=', residentId)
          .execute(),
        db
          .selectFrom('family_links')
          .innerJoin('residents', 'residents.id', 'family_links.account_id')
          .select(['residents.id', 'residents.name_kanji', 'residents.name_kana', 'residents.birth_date'])
          .where('family_links.member_id', '=', residentId)
          .execute(),
      ]);
      const seen = new Set<number>();
      return [...members, ...holders].filter((row) => !seen.has(row.id) && seen.add(row.id));
    },

    async notes(residentId: number, limit = 50) {
      return db
        .selectFrom('call_notes')
        .innerJoin('staff_accounts', 'staff_accounts.id', 'call_notes.staff_account_id')
        .select(['call_notes.id', 'call_notes.body', 'call_notes.created_at', 'call_notes.staff_account_id', 'staff_accounts.display_name'])
        .where('call_notes.resident_id', '=', residentId)
        .orderBy('call_notes.id', 'desc')
        .limit(limit)
        .execute();
    },

    async insertNote(executor: Executor, note: { municipalityCode: string; residentId: number; staffAccountId: number; body: string }) {
      return executor
        .insertInto('call_notes')
        .values({
          municipality_code: note.municipalityCode,
          resident_id: note.residentId,
          staff_account_id: note.staffAccountId,
          body: note.body,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
    },

    /**
     * Active bookings for postcards, in id order from `afterId`: one by number, or every booking
     * an operator made in a time range (a day's phone bookings, read in pages so a batch of any
     * size keeps memory flat).
     */
    async postcardBookings(
      municipalityCode: string,
      which: { number: string } | { madeFrom: Date; madeTo: Date },
      page: { afterId: number; limit: number },
    ) {
      let query = db
        .selectFrom('reservations')
        .innerJoin('slots', 'slots.id', 'reservations.slot_id')
        .innerJoin('venues', 'venues.id', 'slots.venue_id')
        .innerJoin('residents', 'residents.id', 'reservations.resident_id')
        .select([
          'reservations.id',
          'reservations.number',
          'reservations.resident_id',
          'reservations.dose_number',
          'reservations.vaccine',
          'slots.starts_at',
          'slots.duration_minutes',
          'venues.name_ja as venue_name_ja',
          'venues.name_en as venue_name_en',
          'venues.address as venue_address',
          'residents.name_kanji',
          'residents.address',
        ])
        .where('residents.municipality_code', '=', municipalityCode)
        .where('reservations.status', '=', 'booked')
        .where('reservations.id', '>', page.afterId);
      query =
        'number' in which
          ? query.where('reservations.number', '=', which.number)
          : query
              .where('reservations.made_by_kind', '=', 'operator')
              .where('reservations.created_at', '>=', which.madeFrom)
              .where('reservations.created_at', '<', which.madeTo);
      return query.orderBy('reservations.id').limit(page.limit).execute();
    },

    async scripts(municipalityCode: string) {
      return db
        .selectFrom('call_centre_scripts')
        .select(['screens', 'updated_at'])
        .where('municipality_code', '=', municipalityCode)
        .executeTakeFirst();
    },

    async saveScripts(executor: Executor, municipalityCode: string, screens: object, staffAccountId: number): Promise<void> {
      const values = {
        municipality_code: municipalityCode,
        screens: JSON.stringify(screens),
        updated_by: staffAccountId,
        updated_at: new Date(),
      };
      await executor
        .insertInto('call_centre_scripts')
        .values(values)
        .onConflict((oc) =>
          oc
            .column('municipality_code')
            .doUpdateSet({ screens: values.screens, updated_by: staffAccountId, updated_at: values.updated_at }),
        )
        .execute();
    },
  };
}

export type CallCentreRepository = ReturnType<typeof createCallCentreRepository>;
