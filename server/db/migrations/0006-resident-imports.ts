import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Importing residents (server/modules/resident-import): the uploaded file is kept in the database
 * (size-limited at upload), in pieces of 256 KiB so that a job reads it piece by piece and never
 * holds it whole, so that any worker can run the import and resume it after a crash from `rows_done`, which each batch's transaction moves with its writes. Residents learn
 * their postcode, whether they are still eligible (a full re-import can mark those it no longer
 * lists), and the import that last listed them (how a full import finds who is missing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table residents add column postcode text;
    alter table residents add column eligible boolean not null default true;
    alter table residents add column updated_at timestamptz not null default now();
    alter table residents add column last_import_id integer;

    create table resident_imports (
      id integer generated always as identity primary key,
      municipality_code char(6) not null references municipalities(code),
      created_by integer not null references staff_accounts(id),
      status text not null default 'uploaded' check (status in ('uploaded', 'queued', 'running', 'done', 'failed')),
      file_name text not null,
      file_format text not null check (file_format in ('csv', 'xlsx')),
      encoding text,
      file_bytes integer not null,
      headers jsonb not null default '[]',
      mapping jsonb,
      full_import boolean not null default false,
      mark_missing_ineligible boolean not null default false,
      rows_total integer,
      rows_done integer not null default 0,
      rows_created integer not null default 0,
      rows_updated integer not null default 0,
      rows_rejected integer not null default 0,
      missing_count integer,
      error text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index resident_imports_municipality on resident_imports (municipality_code, id);
    -- One import at a time per municipality: two would race for the same residents.
    create unique index resident_imports_one_running on resident_imports (municipality_code) where status in ('queued', 'running');
    create index residents_last_import on residents (municipality_code, last_import_id);

    create table resident_import_chunks (
      import_id integer not null references resident_imports(id) on delete cascade,
      seq integer not null,
      bytes bytea not null,
      primary key (import_id, seq)
    );

    create table resident_import_rejects (
      import_id integer not null references resident_imports(id) on delete cascade,
      row_number integer not null,
      voucher_number text,
      problems jsonb not null,
      primary key (import_id, row_number)
    );

    create table resident_import_missing (
      import_id integer not null references resident_imports(id) on delete cascade,
      resident_id integer not null references residents(id),
      primary key (import_id, resident_id)
    );

    create table resident_import_mappings (
      municipality_code char(6) primary key references municipalities(code),
      mapping jsonb not null,
      updated_at timestamptz not null default now()
    );
  `,
  );
}
