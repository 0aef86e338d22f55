import { sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { Database, EventNotice } from '../../db/schema.js';
import { eventRows } from './booking-messages.js';
import { outboxRepository as repo, type Executor, type Inserted } from './outbox.repository.js';

/** Events written to the outbox per transaction: a burst of bookings becomes a few statements. */
const BATCH = 500;
/** settled()'s rounds before it gives up: each waits for a writer to commit or writes a batch. */
const SETTLE_ROUNDS = 50;

export interface OwedMessagesDeps {
  db: Db;
  logger: Logger;
  publicUrl: string;
  /** Queues the send jobs of the rows, in the transaction that wrote them. */
  enqueue(tx: Executor, rows: Inserted[]): Promise<void>;
}

/**
 * From the ledger to the outbox. A booking, change or cancellation marks its ledger event with
 * the message it owes, in the change's own statement (migration 0012): that is what makes a
 * message exist if and only if its change committed, at no cost to the booking. Here the owed
 * events become outbox rows, a batch at a time, and lose their mark in the same transaction; the
 * batch's events are locked with SKIP LOCKED, so two processes writing at once take different
 * events and each event's messages are written once.
 *
 * `soon()` runs in the process that made the change, right after it committed: one writer at a
 * time per process, which takes everything owed by then, so a burst of 1,000 bookings costs a
 * few transactions, not 1,000. `writeAll()` is the sweep's (events a stopped process left) and
 * the tests'.
 */
export function createOwedMessages(deps: OwedMessagesDeps) {
  const { db, logger } = deps;
  let running: Promise<void> | undefined;
  let again = false;
  /** Callers of settled(), told when the next round to start has finished. */
  const nextRound: (() => void)[] = [];

  async function writeBatch(): Promise<number> {
    return db.transaction().execute(async (tx) => {
      const owed = await sql<{ id: number }>`
        select id from reservation_events where notice is not null order by id limit ${BATCH} for update skip locked`.execute(tx);
      const ids = owed.rows.map((row) => Number(row.id));
      if (ids.length === 0) return 0;
      const rows = await eventRows(tx, ids, deps.publicUrl);
      await deps.enqueue(tx, await repo.insert(tx, rows));
      await tx.updateTable('reservation_events').set({ notice: null }).where('id', 'in', ids).execute();
      return ids.length;
    });
  }

  async function drain(): Promise<number> {
    let written = 0;
    for (let n = BATCH; n === BATCH; written += n) n = await writeBatch();
    return written;
  }

  /** Waits until this process's writer has stopped (before the database closes). */
  async function idle(): Promise<void> {
    while (running) await running;
  }

  return {
    soon(): void {
      // A change that committed while a round was reading is taken by the next round.
      again = true;
      if (running) return;
      running = (async () => {
        while (again) {
          again = false;
          const waiting = nextRound.splice(0);
          try {
            await drain();
          } finally {
            for (const done of waiting) done();
          }
        }
      })()
        .catch((error: unknown) => {
          // Left owed: the next change or the sweep writes them.
          logger.error({ err: error }, 'owed messages not written yet');
        })
        .finally(() => {
          running = undefined;
          for (const done of nextRound.splice(0)) done();
        });
    },

    /**
     * Resolves once the messages of every change that committed before this call are written (or
     * left owed after an error). Bounded: it waits for the events owed up to the latest one at the
     * call, not "until nothing is owed", which a steady stream of bookings would never reach. Any
     * writer may hold those events (this process's, another process's, the sweep), and one may
     * take them with SKIP LOCKED at any moment, so each round first waits for whoever holds them
     * (a lock without SKIP LOCKED, granted once the holder committed, on the rows it left owed),
     * then stops if none is owed any more, else writes a batch itself.
     */
    async settled(): Promise<void> {
      if (running) await new Promise<void>((resolve) => nextRound.push(resolve));
      try {
        const latest = await sql<{ id: number | null }>`select max(id) as id from reservation_events`.execute(db);
        const upTo = Number(latest.rows[0]?.id ?? 0);
        for (let round = 0; round < SETTLE_ROUNDS; round++) {
          const owed = await db.transaction().execute((tx) =>
            sql<{
              id: number;
            }>`select id from reservation_events where notice is not null and id <= ${upTo} order by id for update`.execute(tx),
          );
          if (owed.rows.length === 0) return;
          await writeBatch();
        }
        logger.warn('owed messages: still owed after waiting');
      } catch (error) {
        logger.warn({ err: error }, 'owed messages: could not wait for other writers');
      }
    },

    idle,

    /** Writes every message owed now (after this process's writer finished); returns how many events. */
    async writeAll(): Promise<number> {
      await idle();
      return drain();
    },

    /**
     * For staff who closed or moved a slot, in their transaction: the message the cancellation or
     * the move of each of these reservations owes becomes the slot notice (the latest event of each,
     * which that transaction just wrote).
     */
    async relabel(tx: Transaction<Database>, reservationNumbers: string[], notice: Extract<EventNotice, 'slot-closed' | 'slot-moved'>) {
      if (reservationNumbers.length === 0) return;
      await sql`
        update reservation_events set notice = ${notice}
        where id in (select max(e.id) from reservation_events e join reservations r on r.id = e.reservation_id
                     where r.number = any(${reservationNumbers}::text[]) group by e.reservation_id)`.execute(tx);
    },
  };
}

export type OwedMessages = ReturnType<typeof createOwedMessages>;
