import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { executeSql } from '../../db/raw-sql.js';

export interface JobEngineOptions {
  /** postgres://…: pg-boss gets a small pool of its own. Undefined: the embedded PGlite, through `db`. */
  url: string | undefined;
  db: Db;
  /** pg-boss's own schema (its tables never mix with ours). */
  schema: string;
  poolMax: number;
  /** This process runs workers: it also runs pg-boss's maintenance and cron clock. */
  work: boolean;
  maintenanceSeconds: number;
  cronCheckSeconds: number;
  pollMs: number;
  logger: Logger;
}

/** Completed jobs leave pg-boss's job table after an hour (its default: 12 h) and its archive after a week. */
const ARCHIVE_COMPLETED_SECONDS = 3600;

/**
 * pg-boss, configured for this process (docs/adr/0005). On PostgreSQL it opens its own pool; on
 * PGlite, which has one connection, it runs its SQL through ours (its `db` option), so its
 * queries queue with everyone else's and its transactions never interleave with ours.
 */
export function createJobEngine(options: JobEngineOptions): PgBoss {
  const connection: PgBoss.DatabaseOptions = options.url
    ? { connectionString: options.url, max: options.poolMax, application_name: 'yoyaku-jobs' }
    : { db: { executeSql: (text, values) => executeSql(options.db, text, values) } };
  const boss = new PgBoss({
    ...connection,
    schema: options.schema,
    migrate: true,
    supervise: options.work,
    schedule: options.work,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
    cronMonitorIntervalSeconds: options.cronCheckSeconds,
    cronWorkerIntervalSeconds: Math.max(1, Math.round(options.pollMs / 1000)),
    archiveCompletedAfterSeconds: ARCHIVE_COMPLETED_SECONDS,
  });
  // An EventEmitter without an error listener would throw; these are maintenance and cron
  // rounds that failed (the database away) and are tried again on the next round.
  boss.on('error', (error: unknown) => options.logger.warn({ err: error }, 'job engine: a maintenance or cron round failed'));
  return boss;
}

/** pg-boss's SQL in a caller's transaction, so that a job is enqueued only if the transaction commits. */
export function inTransactionOf(tx: Db): PgBoss.Db {
  return { executeSql: (text, values) => executeSql(tx, text, values) };
}
