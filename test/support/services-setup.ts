import pg from 'pg';
import { openDatabase } from '../../server/db/database.js';
import { TEST_JOBS_SCHEMA, TEST_SCHEMA, TEST_WORKERS_JOBS_SCHEMA } from './target.js';

/** Starts each services run from an empty schema of its own, so test data never meets real data. */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of [TEST_SCHEMA, TEST_JOBS_SCHEMA, TEST_WORKERS_JOBS_SCHEMA])
    await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  const db = await openDatabase({ url, dataDir: '/tmp', schema: TEST_SCHEMA, poolMax: 1 });
  await db.destroy();
}
