import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface RevocationRow {
  session_id: string | null;
  account_id: number | null;
  issued_before: Date | null;
  keep_until: Date;
  created_at: Date;
}

/** The table of ended sessions (migration 0002); the in-memory copy is session-revocations.ts. */
export function createSessionRevocationsRepository(db: Db) {
  const columns = ['session_id', 'account_id', 'issued_before', 'keep_until', 'created_at'] as const;
  return {
    async insert(row: { realm: string; sessionId?: string; accountId?: number; issuedBefore?: Date; keepUntil: Date }): Promise<void> {
      await db
        .insertInto('session_revocations')
        .values({
          realm: row.realm,
          session_id: row.sessionId ?? null,
          account_id: row.accountId ?? null,
          issued_before: row.issuedBefore ?? null,
          keep_until: row.keepUntil,
        })
        .execute();
    },

    /** Every row that still ends a session, and the database's clock when they were read. */
    async live(realm: string): Promise<{ rows: RevocationRow[]; readAt: Date }> {
      const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
      const live = await db
        .selectFrom('session_revocations')
        .select(columns)
        .where('realm', '=', realm)
        .where('keep_until', '>', sql<Date>`now()`)
        .execute();
      return { rows: live, readAt: rows[0]!.now };
    },

    async createdAfter(realm: string, after: Date): Promise<RevocationRow[]> {
      return db.selectFrom('session_revocations').select(columns).where('realm', '=', realm).where('created_at', '>', after).execute();
    },

    async purgeExpired(): Promise<number> {
      const result = await db
        .deleteFrom('session_revocations')
        .where('keep_until', '<', sql<Date>`now()`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SessionRevocationsRepository = ReturnType<typeof createSessionRevocationsRepository>;
