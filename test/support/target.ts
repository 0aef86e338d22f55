/**
 * Which back ends this test run uses: 'embedded' (PGlite in a temporary folder, in-process
 * stores) or 'services' (DATABASE_URL and/or REDIS_URL, set by .ci/run or by you).
 */
export const testTarget = process.env.YOYAKU_TEST_TARGET === 'services' ? 'services' : 'embedded';
export const TEST_SCHEMA = 'yoyaku_test';

export function serviceUrls(): { databaseUrl?: string; redisUrl?: string } {
  if (testTarget !== 'services') return {};
  return { databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
}
