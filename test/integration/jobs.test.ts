import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { registerMaintenanceJobs } from '../../server/maintenance-jobs.js';
import { createFailedJobsService, createJobEngine, createJobQueue, defineJob, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, freshMunicipalityCode, slotCountsMismatches } from '../support/fixtures.js';
import { startTestServer } from '../support/server.js';
import { serviceUrls, TEST_JOBS_SCHEMA } from '../support/target.js';

const { databaseUrl } = serviceUrls();
/** On PGlite pg-boss lives in the test database's own `pgboss` schema, reached through our connection. */
const jobsSchema = databaseUrl ? TEST_JOBS_SCHEMA : 'pgboss';
const POLL_MS = 500;
const queues: JobQueue[] = [];

/** A job queue as run.ts makes one, on the test database; `work: false` sends only (ROLE=api). */
async function startQueue(db: Db, register: (jobs: JobQueue) => void, options: { work?: boolean; stopGraceMs?: number } = {}) {
  const work = options.work ?? true;
  const logger = createLogger('silent');
  const boss = createJobEngine({
    url: databaseUrl,
    db,
    schema: jobsSchema,
    poolMax: 2,
    work,
    maintenanceSeconds: 1,
    cronCheckSeconds: 1,
    pollMs: POLL_MS,
    logger,
  });
  const jobs = createJobQueue({ boss, db, logger, pollMs: POLL_MS, stopGraceMs: options.stopGraceMs ?? 5000 });
  register(jobs);
  await jobs.start({ work });
  queues.push(jobs);
  return jobs;
}

/** A job name no other test (or run sharing the schema) uses. */
const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function jobState(db: Db, id: string): Promise<{ state: string; output: any } | undefined> {
  const { rows } = await sql<{
    state: string;
    output: any;
  }>`select state, output from ${sql.table(`${jobsSchema}.job`)} where id = ${id}`.execute(db);
  return rows[0];
}

afterAll(async () => {
  await Promise.all(queues.map((jobs) => jobs.stop()));
});

describe.concurrent('background jobs (pg-boss)', () => {
  it('runs a job sent inside a committed transaction and never one whose transaction rolled back', async () => {
    const db = await testDatabase();
    const runs: string[] = [];
    const job = defineJob<{ key: string }>({
      name: uniqueName('test.tx'),
      retryLimit: 0,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 30,
      handler: async ({ key }) => void runs.push(key),
    });
    const jobs = await startQueue(db, (q) => q.register(job));

    const rolledBack = await db
      .transaction()
      .execute(async (tx) => {
        const id = await jobs.send(job, { key: 'rolled-back' }, { tx });
        // Written in the transaction: it sees the job…
        expect(await jobState(tx, id!)).toMatchObject({ state: 'created' });
        // …and, on PostgreSQL where another connection can look, nobody else does yet.
        if (databaseUrl) expect(await jobState(db, id!)).toBeUndefined();
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(rolledBack).toBe('roll back');
    await db.transaction().execute(async (tx) => {
      await jobs.send(job, { key: 'committed' }, { tx });
    });
    await jobs.send(job, { key: 'alone' });

    await waitFor('both jobs', () => runs.length >= 2);
    // Time enough for a job wrongly left behind by the rollback to run as well.
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    expect(runs.sort()).toEqual(['alone', 'committed']);
  });

  it('retries with exponential back-off, then records the permanent failure for staff without personal data', async () => {
    const db = await testDatabase();
    const municipalityCode = await freshMunicipalityCode(db);
    const attempts: number[] = [];
    const job = defineJob<{ municipalityCode: string; reservationId: number; phone: string }>({
      name: uniqueName('test.backoff'),
      retryLimit: 3,
      retryDelaySeconds: 1,
      retryBackoff: true,
      expireInSeconds: 30,
      summarize: ({ reservationId }) => ({ reservationId }),
      municipalityOf: (payload) => payload.municipalityCode,
      handler: async () => {
        attempts.push(Date.now());
        throw Object.assign(new Error('the provider refused the message'), { code: 'provider-refused' });
      },
    });
    const jobs = await startQueue(db, (q) => q.register(job));
    await jobs.send(job, { municipalityCode, reservationId: 42, phone: '+819012345678' });

    const failures = createFailedJobsService(db);
    const failure = await waitFor('the failure record', async () =>
      (await failures.list({ all: true }, { limit: 200 })).find((f) => f.name === job.name),
    );
    expect(attempts).toHaveLength(4);
    // pg-boss waits delay × 2^(n-1) to delay × 2^n before retry n (randomised), plus our polling.
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(1000 * 2 ** i - 50);
      expect(gap).toBeLessThan(1000 * 2 ** (i + 1) + POLL_MS + 3000);
    });
    expect(failure).toMatchObject({
      municipalityCode,
      summary: { reservationId: 42 },
      lastError: 'provider-refused: the provider refused the message',
      attempts: 4,
    });
    expect(JSON.stringify(failure)).not.toContain('12345678');
    // An administrator of that municipality sees it; one of another does not.
    expect((await failures.list({ municipalityCode })).map((f) => f.id)).toEqual([failure.id]);
    const elsewhere = await failures.list({ municipalityCode: await freshMunicipalityCode(db) });
    expect(elsewhere.map((f) => f.name)).not.toContain(job.name);
    // Exactly one record, however many workers saw the dead letter.
    const rows = await db.selectFrom('failed_jobs').select('id').where('name', '=', job.name).execute();
    expect(rows).toHaveLength(1);
  });

  it('aborts a run that passes its expiry and fails it', async () => {
    const db = await testDatabase();
    const job = defineJob({
      name: uniqueName('test.expiry'),
      retryLimit: 0,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 1,
      handler: (_payload, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const jobs = await startQueue(db, (q) => q.register(job));
    await jobs.send(job, undefined);
    const failures = createFailedJobsService(db);
    const failure = await waitFor('the failure record', async () =>
      (await failures.list({ all: true }, { limit: 200 })).find((f) => f.name === job.name),
    );
    expect(failure).toMatchObject({ lastError: 'the run took longer than its 1 s', attempts: 1, municipalityCode: undefined });
  });

  it('stops gracefully: a job that finishes within the grace completes, one that does not is given back and run again', async () => {
    const db = await testDatabase();
    const started = new Set<string>();
    const quick = defineJob<{ key: string }>({
      name: uniqueName('test.quick'),
      retryLimit: 1,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 30,
      handler: async ({ key }) => {
        started.add(key);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      },
    });
    const stuck = defineJob<{ key: string }>({
      name: uniqueName('test.stuck'),
      retryLimit: 1,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 60,
      // Ignores the abort: only being given back frees its job.
      handler: async ({ key }, { attempt }) => {
        started.add(`${key}:${attempt}`);
        if (attempt === 1) await new Promise(() => undefined);
      },
    });
    const first = await startQueue(db, (q) => q.register(quick, stuck), { stopGraceMs: 2500 });
    const quickId = (await first.send(quick, { key: 'quick' }))!;
    const stuckId = (await first.send(stuck, { key: 'stuck' }))!;
    await waitFor('both running', () => started.has('quick') && started.has('stuck:1'));
    await first.stop();
    expect(await jobState(db, quickId)).toMatchObject({ state: 'completed' });
    expect(await jobState(db, stuckId)).toMatchObject({
      state: 'retry',
      output: { message: 'the worker stopped before the job finished' },
    });

    await startQueue(db, (q) => q.register(quick, stuck));
    await waitFor('the stuck job run again', async () => (await jobState(db, stuckId))?.state === 'completed');
    expect(started.has('stuck:2')).toBe(true);
  });

  it('a process that only sends (ROLE=api) runs nothing; a worker runs what it sent', async () => {
    const db = await testDatabase();
    const runs: string[] = [];
    const job = defineJob<{ key: string }>({
      name: uniqueName('test.roles'),
      retryLimit: 0,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 30,
      handler: async ({ key }) => void runs.push(key),
    });
    const api = await startQueue(db, (q) => q.register(job), { work: false });
    const id = (await api.send(job, { key: 'from the api' }))!;
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    expect(runs).toEqual([]);
    expect(await jobState(db, id)).toMatchObject({ state: 'created' });
    await startQueue(db, (q) => q.register(job));
    await waitFor('the worker to run it', () => runs.length === 1);
    expect(runs).toEqual(['from the api']);
  });

  it('refuses to send a job nobody registered (pg-boss would drop it silently)', async () => {
    const db = await testDatabase();
    const known = defineJob({
      name: uniqueName('test.known'),
      retryLimit: 0,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 5,
      handler: async () => {},
    });
    const unknown = defineJob({
      name: uniqueName('test.unknown'),
      retryLimit: 0,
      retryDelaySeconds: 0,
      retryBackoff: false,
      expireInSeconds: 5,
      handler: async () => {},
    });
    const jobs = await startQueue(db, (q) => q.register(known), { work: false });
    await expect(jobs.send(unknown, undefined)).rejects.toThrow(/not registered/);
  });

  it('gives back the places of expired holds on the job worker, every few seconds', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3, capacity: 5 });
    const server = await startTestServer(db);
    try {
      const slotId = town.slotIds[0]!;
      for (const resident of town.residents) {
        const held = await server.request('POST', '/api/v1/holds', {
          session: server.sessionFor(resident.id, town.code),
          body: { slotId },
        });
        expect(held.status).toBe(201);
      }
      await db
        .updateTable('holds')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('slot_id', '=', slotId)
        .execute();
      await startQueue(db, (q) => registerMaintenanceJobs(q, server.app, { holdSweepSeconds: 2 }));
      await waitFor('the sweep', async () => {
        const left = await db.selectFrom('holds').select('id').where('slot_id', '=', slotId).execute();
        return left.length === 0;
      });
      const slot = await db.selectFrom('slots').select('taken').where('id', '=', slotId).executeTakeFirstOrThrow();
      expect(slot.taken).toBe(0);
      expect(await slotCountsMismatches(db, [slotId])).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('SQL text run for pg-boss (server/db/raw-sql.ts)', () => {
  it('runs several statements at once, and a failed script leaves no aborted transaction behind', async () => {
    const db = await testDatabase();
    const { executeSql } = await import('../../server/db/raw-sql.js');
    const { rows } = await executeSql<{ n: number }>(db, 'select 1; select 2 as n');
    // PGlite answers with the last statement's rows; pg through Kysely with none (pg-boss reads none).
    expect(rows).toEqual(databaseUrl ? [] : [{ n: 2 }]);
    await expect(executeSql(db, 'begin; select 1 / 0; commit;')).rejects.toThrow(/division by zero/);
    // On PGlite this is the one connection; on PostgreSQL the pool's.
    for (let i = 0; i < 3; i++) expect((await executeSql<{ ok: number }>(db, 'select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });
});
