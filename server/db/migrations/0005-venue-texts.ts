import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * A venue's name, address and access notes in other languages (issue 13), given by staff:
 * `texts` maps a language code of shared/i18n/languages.ts to any of { name, address,
 * accessNotes }. What is missing falls back (shared/i18n/venue-words.ts): Japanese
 * variants to the Japanese columns, every other language to its own text, then English, then
 * the columns. Kept in the venue's row, not a table: it is read with the venue, a few per town.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    alter table venues add column texts jsonb not null default '{}'::jsonb;
    alter table venues add constraint venues_texts_object check (jsonb_typeof(texts) = 'object');
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table venues drop column texts;`);
}
