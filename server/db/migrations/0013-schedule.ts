import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The schedule as staff build it (issue 10, item 2):
 * - venues get a phone and an overbooking allowance (percent, default 0);
 * - slots get `extra_places`, the places beyond the doses that the allowance gives, kept apart
 *   from `capacity` so that it is never applied silently; the check that refuses overbooking
 *   counts them;
 * - `closed_at` marks a slot staff closed (its booking window is also closed then); a trigger
 *   refuses any new place in a closed slot, whatever statement tries to take one, so a booking
 *   racing the closure fails as a full slot would (the booking statements need no change);
 * - the templates that produced slots are kept, and each slot names its template.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table venues add column phone text;
    alter table venues add column overbooking_percent smallint not null default 0;
    alter table venues add constraint venues_overbooking_percent check (overbooking_percent between 0 and 50);
    create table slot_templates (
      id integer generated always as identity primary key,
      venue_id integer not null references venues(id),
      definition jsonb not null,
      created_by integer,
      created_count integer not null default 0,
      skipped_count integer not null default 0,
      created_at timestamptz not null default now()
    );
    create index slot_templates_venue on slot_templates (venue_id);
    alter table slots add column extra_places integer not null default 0;
    alter table slots add constraint slots_extra_places check (extra_places >= 0);
    alter table slots add column closed_at timestamptz;
    alter table slots add column template_id integer references slot_templates(id);
    alter table slots drop constraint slots_not_overbooked;
    alter table slots add constraint slots_not_overbooked check (taken <= capacity + extra_places);
    create function slots_closed_take_no_places() returns trigger language plpgsql as $$ begin raise exception 'slot % is closed, so it counts as full (constraint "slots_not_overbooked")', new.id using errcode = 'check_violation', constraint = 'slots_not_overbooked'; end $$;
    create trigger slots_closed_take_no_places before update of taken on slots for each row when (new.closed_at is not null and new.taken > old.taken) execute function slots_closed_take_no_places();
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop trigger slots_closed_take_no_places on slots;
    drop function slots_closed_take_no_places();
    alter table slots drop constraint slots_not_overbooked;
    alter table slots add constraint slots_not_overbooked check (taken <= capacity);
    alter table slots drop column template_id;
    alter table slots drop column closed_at;
    alter table slots drop column extra_places;
    drop table slot_templates;
    alter table venues drop column overbooking_percent;
    alter table venues drop column phone;
    `,
  );
}
