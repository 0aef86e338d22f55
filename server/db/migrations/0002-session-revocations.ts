import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Ended sessions (docs/adr/0004): one row per logout (session_id) or per "sign out everywhere"
 * (account_id + issued_before). A row is needed only until the sessions it ends would have
 * expired anyway (keep_until); every server process keeps the live rows in memory.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table session_revocations (
      id bigint generated always as identity primary key,
      realm text not null,
      session_id text,
      account_id integer,
      issued_before timestamptz,
      keep_until timestamptz not null,
      created_at timestamptz not null default clock_timestamp(),
      check ((session_id is null) <> (account_id is null)),
      check ((account_id is null) = (issued_before is null))
    );
    create index session_revocations_created on session_revocations (realm, created_at);
    create index session_revocations_keep_until on session_revocations (keep_until);
  `,
  );
}
