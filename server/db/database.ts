import fs from 'node:fs/promises';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { preparePooledStatements } from './prepared.js';
import { migrationProvider } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import { claimDataDir } from './pglite-lock.js';

export { DatabaseInUseError } from './pglite-lock.js';
export { prepared } from './prepared.js';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  /** postgres://… for a real PostgreSQL; undefined for the embedded PGlite under dataDir. */
  url: string | undefined;
  dataDir: string;
  schema: string;
  poolMax: number;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Calendar dates stay strings: a JS Date would shift them by the server's time zone. */
const parsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
  [NUMERIC_OID]: (value: string) => Number(value),
};

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  if (options.url) await createDatabaseIfMissing(options.url);
  const db = options.url ? openPostgres(options) : await openPGlite(options);
  await migrate(db, options.schema);
  return db;
}

/**
 * A fresh PostgreSQL server has no database for Yoyaku yet; asking people to run createdb first
 * is one more step to get wrong, so the server creates the one DATABASE_URL names (when the role
 * may) through the server's maintenance database.
 */
async function createDatabaseIfMissing(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    // 3D000: invalid_catalog_name, the database does not exist. Anything else is for the caller.
    if ((error as { code?: string }).code !== '3D000') throw error;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // 42P04: another process created it first.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await admin.end();
  }
}

function openPostgres(options: DatabaseOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    options: options.schema === 'public' ? undefined : `-c search_path=${options.schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        (parsers as Record<number, (v: string) => unknown>)[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  preparePooledStatements(pool);
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

async function openPGlite(options: DatabaseOptions): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = path.join(options.dataDir, 'pglite');
  await fs.mkdir(dir, { recursive: true });
  const release = claimDataDir(dir);
  try {
    const pglite = await PGlite.create({ dataDir: dir, parsers });
    if (options.schema !== 'public') {
      await pglite.exec(`create schema if not exists ${options.schema}; set search_path to ${options.schema}`);
    }
    return new Kysely<Database>({ dialect: new PGliteDialect(pglite, release) });
  } catch (error) {
    release();
    throw error;
  }
}

async function migrate(db: Db, schema: string): Promise<void> {
  if (schema !== 'public') await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    migrationTableSchema: schema === 'public' ? undefined : schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
