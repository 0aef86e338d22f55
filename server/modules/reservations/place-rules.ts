import { sql, type RawBuilder } from 'kysely';

/**
 * Whether `n` places of the slot row being updated (`slots`) are free, in SQL over that row alone,
 * for the WHERE of the statement that takes them (docs/adr/0008). The places are the doses plus the
 * venue's overbooking allowance (`extra_places`, migration 0013; never folded into `capacity`). An
 * operator (`byPhone`) may take any place: `taken + n <= capacity + extra_places`. The web leaves the telephone's unused share free until its
 * release: `greatest(phone_places - phone_taken, 0)`, where `phone_taken` counts the slot's active
 * operator bookings (a trigger keeps it in the statement that books, cancels or moves one). An
 * operator booking a web place once the phone places are used up lowers nobody's share twice (the
 * greatest); a cancelled phone booking gives its place back to the telephone; after the release
 * the web may take every place. Every term is a column of the locked row, so PostgreSQL's re-check
 * of a row changed meanwhile re-evaluates it on the newest version: no read-then-write.
 *
 * The release instant is compared with the database's clock (statement_timestamp()), the one every
 * statement that takes a place shares; the slot listing uses the application's, the same in service.
 */
export function placesFreeSql(n: string, byPhone: string): string {
  return (
    `taken + ${n} <= capacity + extra_places - (case when not (${byPhone}) and (phone_release_at is null or statement_timestamp() < phone_release_at)` +
    ` then greatest(phone_places - phone_taken, 0) else 0 end)`
  );
}

/** The same condition as a Kysely fragment, for the builder and sql`` statements. */
export function placesFree(n: number, byPhone: boolean): RawBuilder<boolean> {
  return sql<boolean>`${sql.raw(placesFreeSql(String(Math.trunc(n)), byPhone ? 'true' : 'false'))}`;
}

/**
 * Whether the slot row takes bookings at `now` (a parameter): inside its booking window and not
 * closed by staff. A closing moves `closes_at` back to the staff member's clock, which a booking
 * statement prepared a moment earlier is still behind, so `closed_at` is tested as well: the slot
 * then answers "not open" instead of meeting the closed-slot trigger (migration 0013) as an error.
 */
export function bookableAtSql(now: string): string {
  return `opens_at <= ${now} and ${now} < closes_at and closed_at is null`;
}
