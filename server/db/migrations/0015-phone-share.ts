import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The telephone's share of each slot (issue 12, docs/adr/0008). A slot keeps `phone_places` of its
 * places for operators until `phone_release_at` (null: until its booking window closes); the web's
 * booking condition (reservations/place-rules.ts) leaves them free. `phone_taken` counts the
 * slot's active bookings made by an operator, kept by a trigger on reservations in the same
 * statement as the booking, cancellation or move that changes it, under the slot's row lock the
 * booking took: the web's condition reads it from the row it updates, never from a count beside it.
 *
 * A venue's share is the default for its slots: `phone_places` and `phone_release_minutes` (how
 * long before a slot starts its places go to the web; null: never). Staff setting it write it to
 * the venue's slots still to come, and a slot created later takes it on insert (trigger).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table venues add column phone_places integer not null default 0 check (phone_places between 0 and 100000);
    alter table venues add column phone_release_minutes integer check (phone_release_minutes between 0 and 525600);

    alter table slots add column phone_places integer not null default 0 check (phone_places between 0 and 100000);
    alter table slots add column phone_release_at timestamptz;
    alter table slots add column phone_taken integer not null default 0 check (phone_taken >= 0);

    alter table reservations add column phone_place boolean generated always as (made_by_kind = 'operator') stored;

    update slots s set phone_taken = c.n
      from (select slot_id, count(*)::int as n from reservations where status = 'booked' and made_by_kind = 'operator' group by slot_id) c
      where c.slot_id = s.id;

    `,
  );

  // Function bodies hold semicolons at line ends: each goes whole, not through runStatements.
  // The triggers fire only for bookings by telephone (WHEN, checked without calling the function):
  // a web booking, the hot path, queues no trigger event at all.
  await sql
    .raw(
      `create function reservations_count_phone_places() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.slot_id = new.slot_id and old.status = new.status then
        return null;
      end if;
      if tg_op in ('UPDATE', 'DELETE') and old.phone_place and old.status = 'booked' then
        update slots set phone_taken = phone_taken - 1 where id = old.slot_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.phone_place and new.status = 'booked' then
        update slots set phone_taken = phone_taken + 1 where id = new.slot_id;
      end if;
      return null;
    end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create function slots_phone_share_default() returns trigger language plpgsql as $$
    begin
      if new.phone_places = 0 and new.phone_release_at is null then
        select least(v.phone_places, new.capacity),
               case when v.phone_release_minutes is null then null else new.starts_at - make_interval(mins => v.phone_release_minutes) end
          into new.phone_places, new.phone_release_at
          from venues v where v.id = new.venue_id;
      end if;
      return new;
    end $$`,
    )
    .execute(db);
  await runStatements(
    db,
    `
    create trigger reservations_phone_places_insert after insert on reservations
      for each row when (new.phone_place) execute function reservations_count_phone_places();
    create trigger reservations_phone_places_update after update of status, slot_id on reservations
      for each row when (old.phone_place or new.phone_place) execute function reservations_count_phone_places();
    create trigger reservations_phone_places_delete after delete on reservations
      for each row when (old.phone_place) execute function reservations_count_phone_places();
    create trigger slots_phone_share_default before insert on slots for each row execute function slots_phone_share_default();
    `,
  );
}
