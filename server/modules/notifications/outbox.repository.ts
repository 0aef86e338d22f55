import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, NotificationOutboxTable } from '../../db/schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;
export type OutboxRow = Selectable<NotificationOutboxTable>;
export type NewOutboxRow = Insertable<NotificationOutboxTable>;
/** What a send job needs of a row. */
export interface Inserted {
  id: number;
  municipality_code: string;
}

/** The outbox table's statements; the claim is what makes a message go out once. */
export const outboxRepository = {
  async insert(executor: Executor, rows: NewOutboxRow[]): Promise<Inserted[]> {
    if (rows.length === 0) return [];
    return executor.insertInto('notification_outbox').values(rows).returning(['id', 'municipality_code']).execute();
  },

  /** Rows whose dedupe key is new; the others were written before (by this run, another worker, or before a restart). */
  async insertOnce(executor: Executor, rows: NewOutboxRow[]): Promise<Inserted[]> {
    if (rows.length === 0) return [];
    return executor
      .insertInto('notification_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning(['id', 'municipality_code'])
      .execute();
  },

  /** pending → sending, for one sender only: a second worker's claim of the same row finds none. */
  async claim(executor: Executor, id: number): Promise<OutboxRow | undefined> {
    return executor
      .updateTable('notification_outbox')
      .set((eb) => ({ status: 'sending', claimed_at: sql<Date>`now()`, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  },

  /** A row left in `sending` longer than `staleSeconds`: its sender died; taken over by one caller. */
  async claimStale(executor: Executor, id: number, staleSeconds: number): Promise<OutboxRow | undefined> {
    return executor
      .updateTable('notification_outbox')
      .set((eb) => ({ claimed_at: sql<Date>`now()`, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${staleSeconds})`)
      .returningAll()
      .executeTakeFirst();
  },

  async find(executor: Executor, id: number): Promise<OutboxRow | undefined> {
    return executor.selectFrom('notification_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async markSent(executor: Executor, id: number, provider: string, providerMessageId: string | undefined): Promise<void> {
    await executor
      .updateTable('notification_outbox')
      .set({ status: 'sent', sent_at: sql<Date>`now()`, provider, provider_message_id: providerMessageId ?? null, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  },

  /** Back to pending after a failure that is retried: the next attempt claims it again. */
  async release(executor: Executor, id: number, error: string): Promise<void> {
    await executor
      .updateTable('notification_outbox')
      .set({ status: 'pending', claimed_at: null, last_error: error })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  },

  async markFailed(executor: Executor, id: number, provider: string | null, reason: string): Promise<void> {
    await executor
      .updateTable('notification_outbox')
      .set({ status: 'failed', failed_at: sql<Date>`now()`, provider, last_error: reason.slice(0, 500) })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
  },

  /** Rows a send job should exist for but may not: never tried and old, pending for hours, or stuck in `sending`. */
  async stranded(executor: Executor, olderThanSeconds: number, limit: number): Promise<Inserted[]> {
    return executor
      .selectFrom('notification_outbox')
      .select(['id', 'municipality_code'])
      .where('status', 'in', ['pending', 'sending'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('attempts', '=', 0)]),
          // Tried, put back, and its job gone since (it died on a database error): past every back-off.
          eb.and([eb('status', '=', 'pending'), eb('created_at', '<', sql<Date>`now() - interval '3 hours'`)]),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)]),
        ]),
      )
      .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
      .orderBy('id')
      .limit(limit)
      .execute();
  },
};
