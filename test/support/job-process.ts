/**
 * A real Yoyaku process (server/run.ts: the role from ROLE, pg-boss, the maintenance jobs) with
 * a few jobs of the tests' own, so that tests can race worker processes and kill them
 * (test/integration/job-workers.test.ts). Each run of a test job is recorded: on PostgreSQL as a
 * row of `job_runs` in DATABASE_SCHEMA (which the test creates), on PGlite as a line of
 * DATA_DIR/job-runs.jsonl, since nothing outside this process can open its database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../server/config.js';
import type { Db } from '../../server/db/database.js';
import { run, stopOnSignals } from '../../server/run.js';
import { registerTestJobs, type RecordRun } from './test-jobs.js';

function recorder(db: Db, usesPostgres: boolean, dataDir: string): RecordRun {
  return async (run) => {
    if (!usesPostgres) {
      fs.appendFileSync(path.join(dataDir, 'job-runs.jsonl'), JSON.stringify({ ...run, pid: process.pid }) + '\n');
      return;
    }
    await sql`insert into job_runs (job, key, job_id, attempt, pid, phase)
      values (${run.job}, ${run.key}, ${run.jobId}, ${run.attempt}, ${process.pid}, ${run.phase})`.execute(db);
  };
}

const config = loadConfig();
const running = await run(config, {
  registerJobs: (jobs, { db }) => registerTestJobs(jobs, recorder(db, config.databaseUrl !== undefined, config.dataDir)),
});
stopOnSignals(running);
