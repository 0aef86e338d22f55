import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The live dashboard's counts on a campaign of a million reservations, without touching the
 * booking's hot path more than it must:
 * - `reservations_not_booked`: a partial index of the reservations that left the `booked` state
 *   (cancelled, attended, no-show). A booking inserts a `booked` row, which this index does not
 *   hold, so booking pays nothing for it; a cancellation or a check-in adds one entry. The
 *   dashboard counts these per slot from the index alone.
 * - `reservations_created_brin`: a BRIN index on created_at (one summary per 32 heap pages:
 *   a few KB for a million rows) for "bookings today". Rows are appended in time order, so a
 *   day's bookings sit in few page ranges. An insert lands in the last, not yet summarised range
 *   and costs next to nothing (measured in docs/benchmarks.md), where a btree would add an
 *   entry per booking.
 * No trigger: the dashboard learns of changes by reading the ledger's highest id (dashboard/change-feed.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create index reservations_not_booked on reservations (slot_id, status) where status <> 'booked';
    create index reservations_created_brin on reservations using brin (created_at) with (pages_per_range = 32);
  `,
  );
}
