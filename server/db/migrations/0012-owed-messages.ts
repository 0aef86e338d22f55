import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The ledger says which message each of its events owes (docs/notifications.md, "From a booking
 * to a message"). A booking, change or cancellation writes its event row in the very statement
 * that changes the reservation, so marking that row as owing a message costs the hot path
 * nothing: no second insert, no read inside the booking's transaction. The notifications module
 * then turns owed events into outbox rows, a batch at a time, and clears `notice` in the same
 * transaction: every committed event gets its messages once, and an event that rolled back never
 * existed. The partial index holds only the events still owed, so it stays small.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table reservation_events add column notice text
      check (notice in ('booking-confirmed', 'booking-changed', 'booking-cancelled', 'slot-closed', 'slot-moved'));
    create index reservation_events_owed on reservation_events (id) where notice is not null
  `,
  );
}
