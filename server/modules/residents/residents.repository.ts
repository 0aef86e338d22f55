import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { createCoalescedReads } from '../../db/coalesced-reads.js';
import { prepared, type Db } from '../../db/database.js';
import type { Database, Resident } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * $1 municipality codes, $2 voucher numbers, pairwise; one row per pair, in order, id null when no
 * resident holds it. The arrays are of the columns' type (character(n)): compared as text, the
 * unique index could not be used and every statement scanned the table (240 ms on 540,000 residents).
 */
const FIND_IDENTITIES = prepared(
  'find-identities',
  `select q.ord, r.id, r.birth_date
from unnest($1::bpchar[], $2::bpchar[]) with ordinality as q(municipality_code, voucher_number, ord)
left join residents r on r.municipality_code = q.municipality_code and r.voucher_number = q.voucher_number
order by q.ord`,
);

type Identity = { id: number; birthDate: string } | undefined;

export function createResidentsRepository(db: Db) {
  // Every sign-in and every join of the waiting room asks for an identity; on opening night
  // thousands a second. Those asked while a look-up is in flight are looked up together.
  const identities = createCoalescedReads(
    async (pairs: { municipalityCode: string; voucherNumber: string }[]): Promise<Identity[]> => {
      const result = await db.executeQuery<{ id: number | null; birth_date: string | null }>(
        CompiledQuery.raw(FIND_IDENTITIES, [pairs.map((p) => p.municipalityCode), pairs.map((p) => p.voucherNumber)]),
      );
      return result.rows.map((row) => (row.id === null ? undefined : { id: row.id, birthDate: row.birth_date! }));
    },
    { maxBatch: 500, maxInFlight: 1 },
  );

  return {
    /** Only what the voucher + birth date proof needs (the unique index on municipality + voucher). */
    findIdentity: (municipalityCode: string, voucherNumber: string): Promise<Identity> =>
      identities.read({ municipalityCode, voucherNumber }),

    /** Look-ups sent and identities they served (tests, metrics). */
    identityReadCounts: () => identities.counts(),

    async findById(id: number, executor: Executor = db): Promise<Resident | undefined> {
      return executor.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findByIds(ids: number[]): Promise<Resident[]> {
      if (ids.length === 0) return [];
      return db.selectFrom('residents').selectAll().where('id', 'in', ids).execute();
    },

    async familyMemberIds(accountId: number): Promise<number[]> {
      const rows = await db.selectFrom('family_links').select('member_id').where('account_id', '=', accountId).execute();
      return rows.map((row) => row.member_id);
    },

    async isFamilyMember(accountId: number, memberId: number): Promise<boolean> {
      const row = await db
        .selectFrom('family_links')
        .select('member_id')
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Adds a link; false when it existed already. */
    async linkFamilyMember(accountId: number, memberId: number, executor: Executor = db): Promise<boolean> {
      const result = await executor
        .insertInto('family_links')
        .values({ account_id: accountId, member_id: memberId })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    /** Removes a link; false when there was none. */
    async unlinkFamilyMember(accountId: number, memberId: number, executor: Executor = db): Promise<boolean> {
      const result = await executor
        .deleteFrom('family_links')
        .where('account_id', '=', accountId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** `executor` is the caller's transaction when it holds one (see reservations' lockResident). */
    async doseRecords(residentIds: number[], executor: Executor = db) {
      if (residentIds.length === 0) return [];
      return executor
        .selectFrom('dose_records')
        .select(['resident_id', 'dose_number', 'administered_on', 'vaccine'])
        .where('resident_id', 'in', residentIds)
        .orderBy('dose_number')
        .execute();
    },
  };
}

export type ResidentsRepository = ReturnType<typeof createResidentsRepository>;
