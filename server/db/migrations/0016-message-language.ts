import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * A resident may choose the language of their messages on their preferences page. Until they do,
 * it follows the language they read the site in (set with every sign-in code); once chosen, a
 * sign-in in another language no longer changes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table notification_preferences add column language_chosen boolean not null default false`);
}
