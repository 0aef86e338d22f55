import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createJobEngine, createJobQueue, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { serviceUrls, TEST_SCHEMA, TEST_WORKERS_JOBS_SCHEMA } from '../support/target.js';
import { registerTestJobs, type JobRun } from '../support/test-jobs.js';

const { databaseUrl } = serviceUrls();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface JobProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  /** What it printed, for the message of a failing test. */
  output: () => string;
  exited: Promise<number | null>;
}

/** test/support/job-process.ts (server/run.ts with the tests' jobs) as a process of its own, so SIGKILL really kills it. */
async function startJobProcess(script: string, env: Record<string, string>): Promise<JobProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-jobs-'));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: dataDir,
      SESSION_SECRET: 'job-workers-test-secret-long-enough-0000',
      DEMO: 'false',
      LOG_LEVEL: 'warn',
      JOBS_POLL_MS: '500',
      JOBS_MAINTENANCE_SECONDS: '1',
      JOBS_CRON_CHECK_SECONDS: '1',
      JOBS_STOP_GRACE_SECONDS: '5',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started: JobProcess = { child, port, dataDir, output: () => output, exited };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`job process did not start:\n${output}`);
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  said: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${said()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(databaseUrl)('worker processes on PostgreSQL', () => {
  let db: Db;
  let sender: JobQueue;
  let sendable: ReturnType<typeof registerTestJobs>;
  const workers: JobProcess[] = [];
  let startedAt = 0;

  /** What the workers logged (warnings and worse), for the message of a failing timing check. */
  const workersSaid = () => workers.map((w) => `worker ${w.child.pid}:\n${w.output().slice(-1500)}`).join('\n');

  const runs = async (job: string) =>
    (
      await sql<
        JobRun & { job_id: string }
      >`select job, key, job_id, attempt, pid, phase from job_runs where job = ${job} order by id`.execute(db)
    ).rows;

  beforeAll(async () => {
    db = await testDatabase();
    await sql`create table if not exists job_runs (
      id bigint generated always as identity primary key,
      job text not null, key text not null, job_id uuid not null, attempt integer not null, pid integer not null, phase text not null,
      at timestamptz not null default clock_timestamp())`.execute(db);
    // The tests' own sender, as an api process would be (it sends, runs nothing); started
    // first, so the queues exist before the two workers race to create them.
    const logger = createLogger('silent');
    sender = createJobQueue({
      boss: createJobEngine({
        url: databaseUrl,
        db,
        schema: TEST_WORKERS_JOBS_SCHEMA,
        poolMax: 4,
        work: false,
        maintenanceSeconds: 1,
        cronCheckSeconds: 1,
        pollMs: 500,
        logger,
      }),
      db,
      logger,
      pollMs: 500,
      stopGraceMs: 1000,
    });
    sendable = registerTestJobs(sender, async () => undefined);
    await sender.start({ work: false });
    const env = {
      ROLE: 'worker',
      DATABASE_URL: databaseUrl!,
      // Few connections: the suite's files share one PostgreSQL (100 connections) and run two at a time.
      DATABASE_POOL_MAX: '5',
      DATABASE_SCHEMA: TEST_SCHEMA,
      JOBS_SCHEMA: TEST_WORKERS_JOBS_SCHEMA,
      REDIS_URL: '',
    };
    workers.push(
      ...(await Promise.all([startJobProcess('test/support/job-process.ts', env), startJobProcess('test/support/job-process.ts', env)])),
    );
    startedAt = Date.now();
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await sender?.stop();
  });

  it('two workers race over 1,000 jobs: each runs exactly once, and both take part', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `race-${i}`);
    await Promise.all(keys.map((key) => sender.send(sendable.recordJob, { key })));
    await waitFor('1,000 runs', async () => (await runs('test.record')).length >= 1000, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a duplicate would show by now
    const rows = await runs('test.record');
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.key)).size).toBe(1000);
    const pids = new Set(rows.map((r) => r.pid));
    expect(pids).toEqual(new Set(workers.map((w) => w.child.pid)));
    for (const pid of pids) expect(rows.filter((r) => r.pid === pid).length).toBeGreaterThan(50);
  });

  it('a job repeated every 2 s runs once per window across both workers', async () => {
    await waitFor('several windows', async () => (await runs('test.every')).length >= 4, 30_000);
    const { rows } = await sql<{ job_id: string; slot: Date }>`
      select r.job_id, j.singleton_on as slot from job_runs r
      join ${sql.table(`${TEST_WORKERS_JOBS_SCHEMA}.job`)} j on j.id = r.job_id
      where r.job = 'test.every'`.execute(db);
    const seconds = (Date.now() - startedAt) / 1000;
    expect(rows.length, workersSaid()).toBeGreaterThanOrEqual(Math.floor(seconds / 2) - 2);
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.slot.getTime())).size).toBe(rows.length);
  });

  it('a cron job runs once per minute across both workers', async () => {
    // Every-minute cron: the first run comes within seconds of the start, the next after the minute turns.
    const rows = await waitFor(
      'two minutes of cron runs',
      async () => {
        const found = await runs('test.cron');
        return found.length >= 2 ? found : undefined;
      },
      Math.max(5_000, startedAt + 75_000 - Date.now()),
      workersSaid,
    );
    const { rows: slots } = await sql<{ slot: Date }>`
      select j.singleton_on as slot from job_runs r join ${sql.table(`${TEST_WORKERS_JOBS_SCHEMA}.job`)} j on j.id = r.job_id
      where r.job = 'test.cron'`.execute(db);
    expect(slots).toHaveLength(rows.length);
    const minutes = slots.map((s) => s.slot.getTime());
    expect(new Set(minutes).size).toBe(minutes.length);
    expect(minutes.every((ms) => ms % 60_000 === 0)).toBe(true);
  }, 90_000);

  it('a worker killed with SIGKILL mid-job leaves the job to the other, which runs it: nothing lost', async () => {
    await sender.send(sendable.hangJob, { key: 'killed' });
    const first = await waitFor(
      'the first run',
      async () => (await runs('test.hang')).find((r) => r.key === 'killed' && r.phase === 'started'),
      20_000,
    );
    const victim = workers.find((w) => w.child.pid === first.pid)!;
    const survivor = workers.find((w) => w !== victim)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The job stays active until its expiry (4 s) and the take-over margin (5 s) pass; pg-boss's maintenance then retries it.
    const done = await waitFor(
      'the retry on the other worker',
      async () => (await runs('test.hang')).find((r) => r.key === 'killed' && r.phase === 'done'),
      30_000,
    );
    expect(done.pid).toBe(survivor.child.pid);
    expect(done.attempt).toBe(2);
    const starts = (await runs('test.hang')).filter((r) => r.key === 'killed' && r.phase === 'started');
    expect(starts.map((r) => [r.pid, r.attempt])).toEqual([
      [victim.child.pid, 1],
      [survivor.child.pid, 2],
    ]);
  }, 60_000);

  it('a worker stops gracefully on SIGTERM', async () => {
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited, survivor.output()).toBe(0);
  });
});

describe.runIf(!databaseUrl)('the embedded database (PGlite) runs jobs in its one process', () => {
  it('serves HTTP and runs repeated and cron jobs with ROLE=all, then stops on SIGTERM', async () => {
    // Not the services of a run that has them: this process must open its own PGlite.
    const server = await startJobProcess('test/support/job-process.ts', { DATABASE_URL: '', REDIS_URL: '' });
    try {
      const health = await fetch(`http://127.0.0.1:${server.port}/api/docs/json`);
      expect(health.status).toBe(200); // the API itself, not a worker's health endpoint
      const file = path.join(server.dataDir, 'job-runs.jsonl');
      const lines = await waitFor(
        'a repeated and a cron run',
        async () => {
          const found = fs.existsSync(file)
            ? fs
                .readFileSync(file, 'utf8')
                .trim()
                .split('\n')
                .map((line) => JSON.parse(line) as JobRun)
            : [];
          return found.some((r) => r.job === 'test.every') && found.some((r) => r.job === 'test.cron') ? found : undefined;
        },
        30_000,
      );
      expect(lines.every((r) => r.pid === server.child.pid)).toBe(true);
      server.child.kill('SIGTERM');
      expect(await server.exited, server.output()).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses ROLE=worker or api on the embedded database, saying why', async () => {
    for (const role of ['worker', 'api']) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, NODE_ENV: 'test', ROLE: role, DATABASE_URL: '', REDIS_URL: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`ROLE cannot be "${role}" on the embedded database.*DATABASE_URL`));
    }
  });
});
