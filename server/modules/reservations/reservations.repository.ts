import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import { prepared } from '../../db/database.js';
import type { ActorKind, Database, EventNotice, ReservationEventsTable } from '../../db/schema.js';
import { bookableAtSql, placesFree, placesFreeSql } from './place-rules.js';

export type Executor = Kysely<Database> | Transaction<Database>;

interface ContextRow {
  ord: number | string;
  r_id: number | null;
  r_municipality_code: string | null;
  r_birth_date: string | null;
  r_eligible: boolean | null;
  r_name_kanji: string | null;
  r_doses: { dose_number: number; administered_on: string; vaccine: string }[] | null;
  r_bookings: { id: number; dose_number: number; vaccine: string; starts_at: string }[] | null;
  r_hold: { slot_id: number; expires_at: string } | null;
  r_is_family: boolean | null;
  s_id: number | null;
  s_venue_id: number | null;
  s_starts_at: Date | null;
  s_duration_minutes: number | null;
  s_capacity: number | null;
  s_taken: number | null;
  s_opens_at: Date | null;
  s_closes_at: Date | null;
  s_vaccine: string | null;
  s_municipality_code: string | null;
  s_name_ja: string | null;
  s_name_en: string | null;
  s_address: string | null;
  s_map_url: string | null;
}

/**
 * For each request, in order: $1 residents, $2 acting accounts (0 for staff), $3 slots. Either side
 * may be missing (left joins). One statement serves the requests that arrive together (context-reader.ts).
 */
const BOOKING_CONTEXTS = prepared(
  'booking-contexts',
  `
select q.ord, r.id as r_id, r.municipality_code as r_municipality_code, r.birth_date as r_birth_date, r.eligible as r_eligible, r.name_kanji as r_name_kanji,
  (select coalesce(json_agg(d), '[]') from (select dose_number, administered_on, vaccine from dose_records where resident_id = r.id) d) as r_doses,
  (select coalesce(json_agg(b), '[]') from (select b.id, b.dose_number, b.vaccine, s.starts_at from reservations b join slots s on s.id = b.slot_id
     where b.resident_id = r.id and b.status = 'booked') b) as r_bookings,
  (select to_json(h) from (select slot_id, expires_at from holds where resident_id = r.id) h) as r_hold,
  exists (select 1 from family_links f where f.account_id = q.account_id and f.member_id = r.id) as r_is_family,
  s.id as s_id, s.venue_id as s_venue_id, s.starts_at as s_starts_at, s.duration_minutes as s_duration_minutes,
  s.capacity as s_capacity, s.taken as s_taken, s.opens_at as s_opens_at, s.closes_at as s_closes_at,
  v.vaccine as s_vaccine, v.municipality_code as s_municipality_code, v.name_ja as s_name_ja, v.name_en as s_name_en,
  v.address as s_address, v.map_url as s_map_url
from unnest($1::int[], $2::int[], $3::int[]) with ordinality as q(resident_id, account_id, slot_id, ord)
left join residents r on r.id = q.resident_id
left join slots s on s.id = q.slot_id
left join venues v on v.id = s.venue_id
order by q.ord`,
);

/**
 * $1 slot, $2 now, $3 vaccine, $4..$8 and $10 one array per column of the people in arrival order, $9 how many.
 * The places are taken first, all of them or none, by the same conditional UPDATE as a single
 * booking (so PostgreSQL's re-check of a row changed meanwhile applies as it does there); the
 * rows are inserted only from a slot row it updated. A unique index refusing one person (that
 * dose booked meanwhile, a taken number) fails the whole statement, which then took nothing.
 * \`open\` and \`free\` are read from the statement's snapshot, to say why nothing was taken.
 */
const BOOK_GROUP = prepared(
  'book-group',
  `
with wanted as (
  select * from unnest($4::text[], $5::int[], $6::smallint[], $7::text[], $8::int[], $10::int[])
    with ordinality as w(number, resident_id, dose_number, made_by_kind, made_by_resident_id, made_by_staff_account_id, ord)
),
place as (
  update slots set taken = taken + $9::int
  where id = $1 and ${placesFreeSql('$9::int', "(select bool_and(made_by_kind = 'operator') from wanted)")} and ${bookableAtSql('$2')}
  returning id
),
booked as (
  insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, made_by_staff_account_id, auto_scheduled)
  select w.number, w.resident_id, place.id, w.dose_number, $3::text, 'booked', w.made_by_kind, w.made_by_resident_id, w.made_by_staff_account_id, false
  from wanted w cross join place
  order by w.ord
  returning id, number, created_at, slot_id, made_by_kind, made_by_resident_id
),
event as (
  insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind, actor_resident_id, notice)
  select id, 'booked', slot_id, made_by_kind, made_by_resident_id, 'booking-confirmed' from booked
)
select w.ord, b.id, b.number, b.created_at,
  (select capacity + extra_places - taken from slots where id = $1) as free,
  exists (select 1 from slots where id = $1 and ${bookableAtSql('$2')}) as open,
  exists (select 1 from holds h where h.slot_id = $1 and h.expires_at <= $2) as expired_holds
from wanted w left join booked b on b.number = w.number
order by w.ord`,
);

/**
 * Several slots' groups in one statement (grouped-booking.ts sends it when statements are
 * already in flight): $1 slot per group, $2 people per group, $3 telephone group or not, $4 now,
 * then one array per column of the people, $5 the group (1-based) of each. Each group is all or
 * nothing on its own, as in BOOK_GROUP; the slots are locked first, in id order (the one lock order,
 * so two of these never wait on each other in a circle), then each group's place is taken by the
 * same conditional UPDATE. The slots of one statement are distinct (the caller makes sure).
 */
const BOOK_SLOTS = prepared(
  'book-slots',
  `
with groups as (
  select * from unnest($1::int[], $2::int[], $3::boolean[]) with ordinality as g(g_slot, g_n, g_phone, g_index)
),
wanted as (
  select * from unnest($5::int[], $6::text[], $7::text[], $8::int[], $9::smallint[], $10::text[], $11::int[], $12::int[])
    with ordinality as w(g, vaccine, number, resident_id, dose_number, made_by_kind, made_by_resident_id, made_by_staff_account_id, ord)
),
locked as materialized (
  select id from slots where id = any($1::int[]) order by id for no key update
),
place as (
  update slots set taken = taken + groups.g_n
  from locked join groups on groups.g_slot = locked.id
  where slots.id = locked.id and ${placesFreeSql('groups.g_n', 'groups.g_phone')} and ${bookableAtSql('$4')}
  returning slots.id, groups.g_index
),
booked as (
  insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, made_by_staff_account_id, auto_scheduled)
  select w.number, w.resident_id, place.id, w.dose_number, w.vaccine, 'booked', w.made_by_kind, w.made_by_resident_id, w.made_by_staff_account_id, false
  from wanted w join place on place.g_index = w.g
  order by w.ord
  returning id, number, created_at, slot_id, made_by_kind, made_by_resident_id
),
event as (
  insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind, actor_resident_id, notice)
  select id, 'booked', slot_id, made_by_kind, made_by_resident_id, 'booking-confirmed' from booked
)
select w.ord, w.g, b.id, b.number, b.created_at,
  (select capacity + extra_places - taken from slots where id = g.g_slot) as free,
  exists (select 1 from slots where id = g.g_slot and ${bookableAtSql('$4')}) as open,
  exists (select 1 from holds h where h.slot_id = g.g_slot and h.expires_at <= $4) as expired_holds
from wanted w join groups g on g.g_index = w.g left join booked b on b.number = w.number
order by w.ord`,
);

/** One person of a grouped booking, decided by the dose rules, with the number they will get. */
export interface GroupedPerson {
  number: string;
  residentId: number;
  dose: number;
  madeBy: ActorKind;
  madeByResidentId: number | null;
  madeByStaffAccountId?: number | null;
}

/** A row of BOOK_GROUP's or BOOK_SLOTS's answer: one person, with what the statement found for their slot. */
interface GroupRow {
  ord: number | string;
  id: number | null;
  number: string | null;
  created_at: Date | null;
  free: number | null;
  open: boolean;
  expired_holds: boolean;
}

/** What one group's statement found: the slot's window, its free places before it, and who got one. */
export interface GroupResult {
  open: boolean;
  free: number;
  /** Whether the slot has holds past their expiry, whose places a sweep would give back. */
  expiredHolds: boolean;
  booked: ({ id: number; number: string; created_at: Date } | undefined)[];
}

/**
 * One line of the reservation's history (the ledger, 予約台帳), with the message it owes its
 * people (migration 0012): the notifications module writes that message once the line committed.
 */
async function recordEvent(
  tx: Executor,
  reservationId: number,
  kind: ReservationEventsTable['kind'],
  slots: { from: number | null; to: number | null },
  actor: { kind: ActorKind; residentId: number | null },
  notice: EventNotice | null,
): Promise<void> {
  await tx
    .insertInto('reservation_events')
    .values({
      reservation_id: reservationId,
      kind,
      from_slot_id: slots.from,
      to_slot_id: slots.to,
      actor_kind: actor.kind,
      actor_resident_id: actor.residentId,
      notice,
    })
    .execute();
}

export interface ContextRequest {
  residentId: number;
  /** The signed-in resident acting (for themselves or family), null for staff. */
  accountId: number | null;
  slotId: number;
}

export type BookingContext = ReturnType<typeof contextOf>;

/** One row of BOOKING_CONTEXTS as the person and the slot, each undefined when not found. */
function contextOf(row: ContextRow) {
  const resident =
    row.r_id == null
      ? undefined
      : {
          id: row.r_id,
          municipality_code: row.r_municipality_code!,
          birth_date: row.r_birth_date!,
          eligible: row.r_eligible!,
          name_kanji: row.r_name_kanji!,
          doses: row.r_doses!,
          bookings: row.r_bookings!,
          hold: row.r_hold,
          is_family: row.r_is_family!,
        };
  const slot =
    row.s_id == null
      ? undefined
      : {
          id: row.s_id,
          venue_id: row.s_venue_id!,
          starts_at: row.s_starts_at!,
          duration_minutes: row.s_duration_minutes!,
          capacity: row.s_capacity!,
          taken: row.s_taken!,
          opens_at: row.s_opens_at!,
          closes_at: row.s_closes_at!,
          vaccine: row.s_vaccine!,
          municipality_code: row.s_municipality_code!,
          name_ja: row.s_name_ja!,
          name_en: row.s_name_en!,
          address: row.s_address!,
          map_url: row.s_map_url,
        };
  return { resident, slot };
}

/**
 * Every write to a slot's `taken` count goes through here. Capacity is enforced by the database:
 * a conditional UPDATE that only succeeds while a place is free (place-rules.ts), plus the check constraint.
 * Reads and writes never happen as "read the count, then write it".
 *
 * Row locks are taken in one order everywhere, so two transactions never wait on each other in
 * a circle (docs/ARCHITECTURE.md): the person, then that person's reservations and hold, then
 * slots in ascending id; a transaction writes its reservations only once it holds its slots.
 * Locks are FOR NO KEY UPDATE, the lock an UPDATE takes anyway: it serialises writers without
 * blocking the key-share locks that foreign-key checks of other inserts take on the same rows.
 */
export const reservationsRepository = {
  /** Takes one place; false when the slot is full. */
  async takePlace(tx: Executor, slotId: number): Promise<boolean> {
    const row = await tx
      .updateTable('slots')
      .set((eb) => ({ taken: eb('taken', '+', 1) }))
      .where('id', '=', slotId)
      .where(placesFree(1, false))
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * Locks the slots a transaction is about to write, in ascending id (the rows are locked in the
   * order the sort returns them). Needed whenever it writes more than one slot.
   */
  async lockSlots(tx: Executor, slotIds: number[]): Promise<void> {
    const ids = [...new Set(slotIds)];
    if (ids.length < 2) return;
    await tx.selectFrom('slots').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
  },

  async releasePlaces(tx: Executor, slotId: number, count = 1): Promise<void> {
    await tx
      .updateTable('slots')
      .set((eb) => ({ taken: eb('taken', '-', count) }))
      .where('id', '=', slotId)
      .execute();
  },

  /** Removes a person's hold and says which slot it was on (capacity is still counted). */
  async deleteHoldOf(tx: Executor, residentId: number) {
    return tx.deleteFrom('holds').where('resident_id', '=', residentId).returning(['slot_id', 'expires_at']).executeTakeFirst();
  },

  /** Removes one hold by its id (it may have been replaced meanwhile) and says which slot it was on. */
  async deleteHold(tx: Executor, holdId: number) {
    return tx.deleteFrom('holds').where('id', '=', holdId).returning('slot_id').executeTakeFirst();
  },

  async insertHold(tx: Executor, residentId: number, slotId: number, expiresAt: Date) {
    return tx
      .insertInto('holds')
      .values({ resident_id: residentId, slot_id: slotId, expires_at: expiresAt })
      .returning(['id', 'slot_id', 'resident_id', 'expires_at'])
      .executeTakeFirstOrThrow();
  },

  async findHold(tx: Executor, holdId: number) {
    return tx.selectFrom('holds').selectAll().where('id', '=', holdId).executeTakeFirst();
  },

  /**
   * Deletes expired holds (all, or of one slot) and gives their places back, in the caller's
   * transaction. A hold another transaction is using (its person confirming, changing or
   * holding again) is skipped, not waited for: a sweep never waits on a hold row while it
   * holds slots, and the next sweep finds it if it is still there.
   */
  async releaseExpiredHolds(tx: Executor, now: Date, slotId?: number): Promise<number> {
    const released = await tx
      .deleteFrom('holds')
      .where('id', 'in', (eb) => {
        let expired = eb.selectFrom('holds').select('id').where('expires_at', '<=', now);
        if (slotId !== undefined) expired = expired.where('slot_id', '=', slotId);
        return expired.forUpdate().skipLocked();
      })
      .returning('slot_id')
      .execute();
    const perSlot = new Map<number, number>();
    for (const { slot_id } of released) perSlot.set(slot_id, (perSlot.get(slot_id) ?? 0) + 1);
    for (const [id, count] of [...perSlot].sort(([a], [b]) => a - b)) await this.releasePlaces(tx, id, count);
    return released.length;
  },

  /**
   * Inserts a booked reservation and its ledger event in one statement. With `takePlace` the
   * same statement first takes a place in the slot (conditional UPDATE) and inserts nothing when
   * the slot is full, so the slot's row lock is held for as short a time as possible.
   * Returns undefined when the slot was full.
   */
  async insertReservation(
    tx: Executor,
    values: {
      number: string;
      residentId: number;
      slotId: number;
      dose: number;
      vaccine: string;
      madeBy: ActorKind;
      madeByResidentId: number | null;
      /** The operator who books it by telephone, written in the same statement. */
      madeByStaffAccountId?: number | null;
      autoScheduled: boolean;
    },
    options: { takePlace: boolean },
  ): Promise<{ id: number; number: string; created_at: Date } | undefined> {
    const place = options.takePlace
      ? sql`update slots set taken = taken + 1 where id = ${values.slotId} and ${placesFree(1, values.madeBy === 'operator')} returning id`
      : sql`select ${values.slotId}::int as id`;
    const result = await sql<{ id: number; number: string; created_at: Date }>`
      with place as (${place}),
      booked as (
        insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, made_by_staff_account_id, auto_scheduled)
        select ${values.number}::text, ${values.residentId}::int, place.id, ${values.dose}::smallint, ${values.vaccine}::text,
               'booked', ${values.madeBy}::text, ${values.madeByResidentId}::int, ${values.madeByStaffAccountId ?? null}::int, ${values.autoScheduled}::boolean
        from place
        returning id, number, created_at, slot_id
      ),
      event as (
        insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind, actor_resident_id, notice)
        select id, 'booked', slot_id, ${values.madeBy}::text, ${values.madeByResidentId}::int, 'booking-confirmed' from booked
      )
      select id, number, created_at from booked`.execute(tx);
    return result.rows[0];
  },

  /**
   * Everything a booking needs to decide, in one statement: the resident (with dose history,
   * active bookings, hold, and whether the acting account may book for them) and the slot with
   * its venue. Compiled once (no query building per booking); one round trip on one connection.
   */
  /** What the rules need about each person and slot, in the order asked, in one statement. */
  async bookingContexts(tx: Executor, inputs: readonly ContextRequest[]): Promise<BookingContext[]> {
    const result = await tx.executeQuery<ContextRow>(
      CompiledQuery.raw(BOOKING_CONTEXTS, [
        inputs.map((i) => i.residentId),
        inputs.map((i) => i.accountId ?? 0),
        inputs.map((i) => i.slotId),
      ]),
    );
    return result.rows.map(contextOf);
  },

  /**
   * Books several people into one slot in one statement: the hot-slot path. Bookings that arrive
   * together for one slot would otherwise queue on the slot's row lock one statement at a time.
   * All of them get a place or none do (`booked` all undefined): the caller then books them one by
   * one. The check constraint `taken <= capacity + extra_places` stands behind the conditional UPDATE.
   * `open`, `free` and `expiredHolds` describe the slot as the statement found it.
   */
  async bookGroup(tx: Executor, slot: { id: number; vaccine: string }, now: Date, people: readonly GroupedPerson[]): Promise<GroupResult> {
    const result = await tx.executeQuery<GroupRow>(
      CompiledQuery.raw(BOOK_GROUP, [
        slot.id,
        now,
        slot.vaccine,
        people.map((p) => p.number),
        people.map((p) => p.residentId),
        people.map((p) => p.dose),
        people.map((p) => p.madeBy),
        people.map((p) => p.madeByResidentId),
        people.length,
        people.map((p) => p.madeByStaffAccountId ?? null),
      ]),
    );
    const booked: ({ id: number; number: string; created_at: Date } | undefined)[] = people.map(() => undefined);
    for (const row of result.rows) {
      if (row.id !== null) booked[Number(row.ord) - 1] = { id: row.id, number: row.number!, created_at: row.created_at! };
    }
    const first = result.rows[0];
    return { open: first?.open ?? false, free: first?.free ?? 0, expiredHolds: first?.expired_holds ?? false, booked };
  },

  /** Several slots' groups in one statement (BOOK_SLOTS): one result per group, in order. */
  async bookSlots(
    tx: Executor,
    now: Date,
    groups: readonly { slot: { id: number; vaccine: string }; byPhone: boolean; people: readonly GroupedPerson[] }[],
  ): Promise<GroupResult[]> {
    const people = groups.flatMap((group, g) => group.people.map((person) => ({ ...person, g: g + 1, vaccine: group.slot.vaccine })));
    const result = await tx.executeQuery<GroupRow & { g: number | string }>(
      CompiledQuery.raw(BOOK_SLOTS, [
        groups.map((group) => group.slot.id),
        groups.map((group) => group.people.length),
        groups.map((group) => group.byPhone),
        now,
        people.map((p) => p.g),
        people.map((p) => p.vaccine),
        people.map((p) => p.number),
        people.map((p) => p.residentId),
        people.map((p) => p.dose),
        people.map((p) => p.madeBy),
        people.map((p) => p.madeByResidentId),
        people.map((p) => p.madeByStaffAccountId ?? null),
      ]),
    );
    const results: GroupResult[] = groups.map((group) => ({
      open: false,
      free: 0,
      expiredHolds: false,
      booked: group.people.map(() => undefined),
    }));
    const offsets = groups.map((_, g) => groups.slice(0, g).reduce((n, group) => n + group.people.length, 0));
    for (const row of result.rows) {
      const g = Number(row.g) - 1;
      const into = results[g]!;
      Object.assign(into, { open: row.open, free: row.free ?? 0, expiredHolds: row.expired_holds });
      if (row.id !== null)
        into.booked[Number(row.ord) - 1 - offsets[g]!] = { id: row.id, number: row.number!, created_at: row.created_at! };
    }
    return results;
  },

  /** Locks an active reservation for a change or a cancellation. */
  async lockActive(tx: Executor, number: string) {
    return tx
      .selectFrom('reservations')
      .select(['id', 'resident_id', 'slot_id', 'dose_number', 'vaccine'])
      .where('number', '=', number)
      .where('status', '=', 'booked')
      .forNoKeyUpdate()
      .executeTakeFirst();
  },

  /**
   * Locks a person for the rest of the transaction. Dose rules tie a person's bookings together
   * (dose 2 comes an interval after dose 1): writes that depend on another booking of the same
   * person take this lock first and read that booking after it, so two of them never decide on
   * the same stale picture. Always first, before their reservations, hold and any slot.
   */
  async lockResident(tx: Executor, residentId: number): Promise<void> {
    await tx.selectFrom('residents').select('id').where('id', '=', residentId).forNoKeyUpdate().execute();
  },

  /** A person's active bookings for doses after `dose`, locked: they rest on the one being cancelled. */
  async lockLaterBookings(tx: Executor, residentId: number, dose: number) {
    return tx
      .selectFrom('reservations')
      .select(['id', 'number', 'resident_id', 'slot_id', 'dose_number', 'vaccine'])
      .where('resident_id', '=', residentId)
      .where('status', '=', 'booked')
      .where('dose_number', '>', dose)
      .orderBy('id')
      .forNoKeyUpdate()
      .execute();
  },

  async moveReservation(
    tx: Executor,
    reservation: { id: number; slot_id: number },
    to: { slotId: number; vaccine: string },
    actor: { kind: ActorKind; residentId: number | null },
  ): Promise<void> {
    await tx
      .updateTable('reservations')
      .set({ slot_id: to.slotId, vaccine: to.vaccine, updated_at: sql`now()` })
      .where('id', '=', reservation.id)
      .execute();
    await recordEvent(tx, reservation.id, 'changed', { from: reservation.slot_id, to: to.slotId }, actor, 'booking-changed');
  },

  async markCancelled(tx: Executor, reservation: { id: number; slot_id: number }, actor: { kind: ActorKind; residentId: number | null }) {
    await tx
      .updateTable('reservations')
      .set({ status: 'cancelled', cancelled_at: sql`now()`, cancelled_by_kind: actor.kind, updated_at: sql`now()` })
      .where('id', '=', reservation.id)
      .execute();
    await recordEvent(tx, reservation.id, 'cancelled', { from: reservation.slot_id, to: null }, actor, 'booking-cancelled');
  },

  /** Slot at a venue starting exactly at an instant (for the automatic second dose). */
  async findSlotAt(tx: Executor, venueId: number, startsAt: Date) {
    return tx.selectFrom('slots').select(['id']).where('venue_id', '=', venueId).where('starts_at', '=', startsAt).executeTakeFirst();
  },

  /** Active bookings of some residents with the slot time, for the dose rules. */
  async activeBookings(tx: Executor, residentIds: number[]) {
    if (residentIds.length === 0) return [];
    return tx
      .selectFrom('reservations')
      .innerJoin('slots', 'slots.id', 'reservations.slot_id')
      .select([
        'reservations.id',
        'reservations.number',
        'reservations.resident_id',
        'reservations.dose_number',
        'reservations.vaccine',
        'slots.starts_at',
      ])
      .where('reservations.resident_id', 'in', residentIds)
      .where('reservations.status', '=', 'booked')
      .execute();
  },

  /** The ledger view of reservations: by residents, or one by number. */
  ledgerQuery(tx: Executor) {
    return tx
      .selectFrom('reservations')
      .innerJoin('slots', 'slots.id', 'reservations.slot_id')
      .innerJoin('venues', 'venues.id', 'slots.venue_id')
      .innerJoin('residents', 'residents.id', 'reservations.resident_id')
      .select([
        'reservations.id',
        'reservations.number',
        'reservations.resident_id',
        'reservations.dose_number',
        'reservations.vaccine',
        'reservations.status',
        'reservations.made_by_kind',
        'reservations.auto_scheduled',
        'reservations.created_at',
        'reservations.cancelled_at',
        'slots.id as slot_id',
        'slots.starts_at',
        'slots.duration_minutes',
        'venues.id as venue_id',
        'venues.name_ja as venue_name_ja',
        'venues.name_en as venue_name_en',
        'venues.address as venue_address',
        'venues.map_url as venue_map_url',
        'residents.name_kanji',
        'residents.birth_date',
        'residents.municipality_code',
      ]);
  },
};

export type LedgerRow = Awaited<ReturnType<ReturnType<typeof reservationsRepository.ledgerQuery>['execute']>>[number];
