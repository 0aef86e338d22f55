import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Check-in on the day (issue 10, item 3): a dose given at a venue is recorded with its lot number,
 * the venue, the staff member who recorded it and the reservation it came from (one dose per
 * reservation, so a second tap or a race cannot record it twice); the ledger names the staff
 * member of an attended, no-show or undone event.
 *
 * The day's list reads a venue's reservations by slot in every status but cancelled: booked ones
 * come from reservations_slot (0001, partial on 'booked'), checked-in ones from the partial index
 * below, so bookings (which insert 'booked' rows) keep one index on slot_id to maintain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table dose_records add column lot_number text check (lot_number is null or char_length(lot_number) between 1 and 40);
    alter table dose_records add column venue_id integer references venues(id);
    alter table dose_records add column recorded_by_staff_id integer references staff_accounts(id);
    alter table dose_records add column reservation_id integer unique references reservations(id);
    alter table reservation_events add column actor_staff_account_id integer references staff_accounts(id);
    create index reservations_slot_checked_in on reservations (slot_id) where status in ('attended', 'no_show');
  `,
  );
}
