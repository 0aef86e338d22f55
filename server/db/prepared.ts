import type pg from 'pg';

/**
 * Statements of the hot paths, sent to PostgreSQL as named prepared statements: each connection
 * parses and plans one once and then only executes it. For the booking context read, planning
 * took 2 ms where executing took 0.3 (EXPLAIN ANALYZE, bench_booking): most of what the database
 * did per booking was planning the same text again. Repositories keep writing plain SQL text;
 * naming it here is the only difference, and PGlite runs the same text unnamed.
 */
const names = new Map<string, string>();

/** Registers `text` under `name` and returns it unchanged. Call at module load, for constant texts only. */
export function prepared(name: string, text: string): string {
  const known = names.get(text);
  if (known !== undefined && known !== name) throw new Error(`statement ${name} is already prepared as ${known}`);
  if ([...names.values()].includes(name) && known === undefined) throw new Error(`two statements are prepared as ${name}`);
  names.set(text, name);
  return text;
}

/**
 * Makes a pool's connections send registered texts as named statements. Kysely's driver calls
 * `client.query(text, values)`; the same call with a name is pg's prepared statement.
 */
export function preparePooledStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof config === 'string' ? names.get(config) : undefined;
      if (name !== undefined && Array.isArray(values)) return query({ name, text: config, values }, callback);
      return query(config, values, callback);
    };
  });
}
