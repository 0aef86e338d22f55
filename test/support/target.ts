/**
 * Which back ends this test run uses: 'embedded' (PGlite in a temporary folder, in-process
 * stores) or 'services' (DATABASE_URL and/or REDIS_URL, set by .ci/run or by you).
 */
export const testTarget = process.env.YOYAKU_TEST_TARGET === 'services' ? 'services' : 'embedded';
/**
 * The PostgreSQL schema a services run owns (dropped and made afresh at its start). Set
 * YOYAKU_TEST_SCHEMA to give two checkouts on one machine a schema each.
 */
export const TEST_SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/.test(process.env.YOYAKU_TEST_SCHEMA ?? '')
  ? process.env.YOYAKU_TEST_SCHEMA!
  : 'yoyaku_test';

export function serviceUrls(): { databaseUrl?: string; redisUrl?: string } {
  if (testTarget !== 'services') return {};
  return { databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
}

/**
 * pg-boss's schemas of a services run: the one server processes derive from DATABASE_SCHEMA
 * (JobsConfig), and one for the worker-process races alone, so that the servers other test
 * files start never take their jobs.
 */
export const TEST_JOBS_SCHEMA = `${TEST_SCHEMA}_pgboss`;
export const TEST_WORKERS_JOBS_SCHEMA = `${TEST_SCHEMA}_pgboss_w`;
