import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { prepared, type Db } from '../../db/database.js';
import type { Database, Resident } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

const FIND_IDENTITY = prepared(
  'find-identity',
  'select id, birth_date from residents where municipality_code = $1 and voucher_number = $2',
);

export function createResidentsRepository(db: Db) {
  return {
    /** Only what the voucher + birth date proof needs (the unique index on municipality + voucher). */
    /** Every sign-in and every join of the waiting room asks this: a prepared statement. */
    async findIdentity(municipalityCode: string, voucherNumber: string): Promise<{ id: number; birthDate: string } | undefined> {
      const result = await db.executeQuery<{ id: number; birth_date: string }>(
        CompiledQuery.raw(FIND_IDENTITY, [municipalityCode, voucherNumber]),
      );
      const row = result.rows[0];
      return row ? { id: row.id, birthDate: row.birth_date } : undefined;
    },

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
