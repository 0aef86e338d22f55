import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Staff accounts (docs/adr/0006): e-mail + argon2id password + TOTP (secret encrypted), roles per
 * municipality, single-use recovery codes and one-time links (both stored as hashes), and
 * server-side sessions checked on every staff request. The audit log learns the municipality and
 * the address of each entry, and refuses UPDATE, DELETE and TRUNCATE from anyone but its owner's
 * migrations (a trigger; the application never needs either).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table staff_accounts (
      id integer generated always as identity primary key,
      email text not null,
      display_name text not null default '',
      language text not null default 'ja' check (language in ('ja', 'en')),
      super_admin boolean not null default false,
      status text not null default 'invited' check (status in ('invited', 'active', 'disabled')),
      password_hash text,
      totp_secret text,
      totp_last_step bigint not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      check (status <> 'active' or (password_hash is not null and totp_secret is not null))
    );
    create unique index staff_accounts_email on staff_accounts (lower(email));

    create table staff_roles (
      account_id integer not null references staff_accounts(id),
      municipality_code char(6) not null references municipalities(code),
      role text not null check (role in ('administrator', 'staff', 'operator', 'venue', 'viewer')),
      granted_at timestamptz not null default now(),
      primary key (account_id, municipality_code, role)
    );
    create index staff_roles_municipality on staff_roles (municipality_code, account_id);

    create table staff_recovery_codes (
      id integer generated always as identity primary key,
      account_id integer not null references staff_accounts(id),
      code_hash text not null,
      used_at timestamptz,
      unique (account_id, code_hash)
    );

    create table staff_links (
      token_hash text primary key,
      account_id integer not null references staff_accounts(id),
      purpose text not null check (purpose in ('enrolment', 'password-reset')),
      pending_totp_secret text,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index staff_links_account on staff_links (account_id);

    create table staff_sessions (
      id_hash text primary key,
      account_id integer not null references staff_accounts(id),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text
    );
    create index staff_sessions_account on staff_sessions (account_id) where revoked_at is null;

    alter table audit_log add column municipality_code char(6);
    alter table audit_log add column ip text;
    create index audit_log_municipality on audit_log (municipality_code, id);
    create index audit_log_actor on audit_log (actor_kind, actor_id, id);
    create index audit_log_subject on audit_log (subject_resident_id, id) where subject_resident_id is not null;

    create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege'; end $$;
    create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();
  `,
  );
}
