import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Reopening a slot staff closed by mistake: closing ends the booking window at once
 * (`closes_at` becomes the moment of closing), so the window's own end is kept here until the
 * slot reopens and gets it back. Null on every open slot, and on slots closed before this column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table slots add column closes_at_before_closing timestamptz;`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table slots drop column closes_at_before_closing;`);
}
