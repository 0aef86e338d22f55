import { sql, type Kysely } from 'kysely';

/**
 * Runs a block of DDL one statement at a time: PGlite's extended protocol takes one
 * statement per query. Statements are separated by a semicolon at the end of a line.
 */
export async function runStatements(db: Kysely<unknown>, text: string): Promise<void> {
  for (const statement of text.split(/;\s*\n/)) {
    const body = statement.replace(/^\s*--.*$/gm, '').trim();
    if (body) await sql.raw(body).execute(db);
  }
}
