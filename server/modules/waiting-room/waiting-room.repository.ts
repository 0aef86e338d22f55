import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { parseOpeningPlan, type OpeningPlan } from './queue-rules.js';

/** The two reads the waiting room makes from the database: the voucher check and the opening plans. */
export function createWaitingRoomRepository(db: Db) {
  return {
    /** Only the columns the check needs (uses the unique index on municipality + voucher). */
    async findResident(municipalityCode: string, voucherNumber: string) {
      const row = await db
        .selectFrom('residents')
        .select(['id', 'birth_date'])
        .where('municipality_code', '=', municipalityCode)
        .where('voucher_number', '=', voucherNumber)
        .executeTakeFirst();
      return row ? { id: row.id, birthDate: row.birth_date } : undefined;
    },

    /** Municipalities whose settings carry a `waitingRoom` opening plan (waves). */
    async loadPlans(): Promise<Map<string, OpeningPlan>> {
      const rows = await db
        .selectFrom('municipalities')
        .select(['code', sql<unknown>`settings->'waitingRoom'`.as('plan')])
        .where(sql<boolean>`settings ? 'waitingRoom'`)
        .execute();
      const plans = new Map<string, OpeningPlan>();
      for (const row of rows) {
        const plan = parseOpeningPlan(row.plan);
        if (plan) plans.set(row.code, plan);
      }
      return plans;
    },
  };
}
