import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Background jobs that failed for good (server/platform/jobs), kept for staff to see. pg-boss
 * keeps its own jobs in its own schema and drops them after a week; this table is ours. One
 * row per dead-letter job pg-boss made, so recording one twice (a worker that crashed after
 * writing it) leaves one row. No personal data: the payload is summarised by its definition.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table failed_jobs (
      id bigint generated always as identity primary key,
      dead_job_id uuid not null unique,
      name text not null,
      municipality_code text,
      summary jsonb not null default '{}',
      last_error text not null,
      attempts integer not null,
      failed_at timestamptz not null default clock_timestamp()
    );
    create index failed_jobs_municipality on failed_jobs (municipality_code, id);
  `,
  );
}
