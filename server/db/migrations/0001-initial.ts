import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** The booking core: municipalities, residents, venues, slots, holds, reservations, sign-in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table municipalities (
      code char(6) primary key,
      name_ja text not null,
      name_en text not null,
      time_zone text not null default 'Asia/Tokyo',
      call_centre_phone text,
      settings jsonb not null default '{}',
      created_at timestamptz not null default now()
    );

    create table residents (
      id integer generated always as identity primary key,
      municipality_code char(6) not null references municipalities(code),
      voucher_number char(10) not null,
      birth_date date not null,
      name_kanji text not null,
      name_kana text not null,
      name_kana_key text not null,
      sex char(1) not null check (sex in ('M', 'F', 'X')),
      address text,
      phone text,
      email text,
      created_at timestamptz not null default now(),
      unique (municipality_code, voucher_number)
    );
    create index residents_kana on residents (municipality_code, name_kana_key, birth_date);

    create table dose_records (
      id integer generated always as identity primary key,
      resident_id integer not null references residents(id) on delete cascade,
      dose_number smallint not null check (dose_number between 1 and 20),
      administered_on date not null,
      vaccine text not null,
      unique (resident_id, dose_number)
    );

    create table venues (
      id integer generated always as identity primary key,
      municipality_code char(6) not null references municipalities(code),
      name_ja text not null,
      name_en text not null,
      address text not null,
      access_notes text,
      map_url text,
      vaccine text not null,
      created_at timestamptz not null default now()
    );
    create index venues_municipality on venues (municipality_code);

    create table slots (
      id integer generated always as identity primary key,
      venue_id integer not null references venues(id),
      starts_at timestamptz not null,
      duration_minutes smallint not null check (duration_minutes between 5 and 600),
      capacity integer not null check (capacity >= 0),
      taken integer not null default 0 check (taken >= 0),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      -- The last line of defence against overbooking: the database itself refuses it.
      constraint slots_not_overbooked check (taken <= capacity),
      unique (venue_id, starts_at)
    );

    create table holds (
      id integer generated always as identity primary key,
      resident_id integer not null unique references residents(id),
      slot_id integer not null references slots(id),
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    );
    create index holds_expiry on holds (expires_at);

    create table reservations (
      id integer generated always as identity primary key,
      number text not null unique,
      resident_id integer not null references residents(id),
      slot_id integer not null references slots(id),
      dose_number smallint not null check (dose_number between 1 and 20),
      vaccine text not null,
      status text not null check (status in ('booked', 'attended', 'no_show', 'cancelled')),
      made_by_kind text not null check (made_by_kind in ('self', 'family', 'operator', 'staff', 'system')),
      made_by_resident_id integer references residents(id),
      auto_scheduled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      cancelled_at timestamptz,
      cancelled_by_kind text
    );
    -- One active reservation per resident per dose, enforced where races cannot slip past.
    create unique index reservations_one_active_per_dose on reservations (resident_id, dose_number) where status = 'booked';
    create index reservations_slot on reservations (slot_id) where status = 'booked';
    create index reservations_resident on reservations (resident_id);

    create table reservation_events (
      id integer generated always as identity primary key,
      reservation_id integer not null references reservations(id),
      kind text not null,
      from_slot_id integer references slots(id),
      to_slot_id integer references slots(id),
      actor_kind text not null,
      actor_resident_id integer references residents(id),
      at timestamptz not null default now()
    );
    create index reservation_events_reservation on reservation_events (reservation_id);

    create table family_links (
      account_id integer not null references residents(id),
      member_id integer not null references residents(id),
      created_at timestamptz not null default now(),
      primary key (account_id, member_id),
      check (account_id <> member_id)
    );

    create table sign_in_challenges (
      id text primary key,
      resident_id integer not null references residents(id),
      phone text,
      code_hash text,
      code_expires_at timestamptz,
      attempts integer not null default 0,
      sends integer not null default 0,
      last_sent_at timestamptz,
      expires_at timestamptz not null,
      verified_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index sign_in_challenges_expiry on sign_in_challenges (expires_at);

    create table audit_log (
      id integer generated always as identity primary key,
      at timestamptz not null default now(),
      actor_kind text not null,
      actor_id text,
      action text not null,
      subject_resident_id integer,
      detail jsonb not null default '{}'
    );
    create index audit_log_at on audit_log (at);
  `,
  );
}
