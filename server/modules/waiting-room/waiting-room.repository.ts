import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { parseOpeningPlan, type OpeningPlan } from './queue-rules.js';

/** The waiting room's own read from the database (the voucher check is the residents' proof). */
export function createWaitingRoomRepository(db: Db) {
  return {
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
