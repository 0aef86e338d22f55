import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createJobEngine, createJobQueue, defineJob, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';
import { serviceUrls, TEST_JOBS_SCHEMA } from '../support/target.js';

/**
 * GET /api/v1/staff/jobs/failed: a job that really fails for good (its one run throws, no retry)
 * shows up for a super-administrator, with its summary and error and never its payload's personal
 * data; an administrator of the job's municipality and a signed-out caller are refused.
 */
const { databaseUrl } = serviceUrls();
let db: Db;
let server: TestServer;
let jobs: JobQueue;
let root: StaffSession;
let admin: StaffSession;
const name = `test.failing-${randomUUID().slice(0, 8)}`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db, { redisPrefix: 'failed-jobs' });
  const town = await createTestMunicipality(db, { residents: 0 });
  const team = await staffTeam(server, db);
  root = team.root.session;
  admin = (await team.member(town.code, ['administrator'])).session;

  const logger = createLogger('silent');
  const boss = createJobEngine({
    url: databaseUrl,
    db,
    schema: databaseUrl ? TEST_JOBS_SCHEMA : 'pgboss',
    poolMax: 2,
    work: true,
    maintenanceSeconds: 1,
    cronCheckSeconds: 1,
    pollMs: 300,
    logger,
  });
  jobs = createJobQueue({ boss, db, logger, pollMs: 300, stopGraceMs: 2000 });
  const failing = defineJob<{ municipalityCode: string; reservationId: number; phone: string }>({
    name,
    retryLimit: 0,
    retryDelaySeconds: 0,
    retryBackoff: false,
    expireInSeconds: 30,
    summarize: ({ reservationId }) => ({ reservationId }),
    municipalityOf: ({ municipalityCode }) => municipalityCode,
    handler: () => Promise.reject(Object.assign(new Error('the provider refused the message'), { code: 'provider-refused' })),
  });
  jobs.register(failing);
  await jobs.start({ work: true });
  await jobs.send(failing, { municipalityCode: town.code, reservationId: 7, phone: '+819087654321' });
}, 120_000);

afterAll(async () => {
  await jobs?.stop();
  await server?.close();
});

describe('the failed jobs of the deployment', () => {
  it('are listed for a super-administrator, newest first, with summary and error but no personal data', async () => {
    const job = await waitFor('the failure on the route', async () => {
      const answer = await staffCall(server, 'GET', '/api/v1/staff/jobs/failed?limit=200', { session: root });
      expect(answer.status, answer.text).toBe(200);
      return (answer.body.jobs as { name: string }[]).find((j) => j.name === name);
    });
    expect(job).toMatchObject({ summary: { reservationId: 7 }, attempts: 1, lastError: expect.stringContaining('provider refused') });
    expect(JSON.stringify(job)).not.toContain('87654321');

    const all = await staffCall(server, 'GET', '/api/v1/staff/jobs/failed?limit=200', { session: root });
    const ids = (all.body.jobs as { id: number }[]).map((j) => j.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
  });

  it('come a page at a time: nextBefore continues where the page ended', async () => {
    const first = await staffCall(server, 'GET', '/api/v1/staff/jobs/failed?limit=1', { session: root });
    expect(first.body.jobs).toHaveLength(1);
    expect(first.body.nextBefore).toBe(first.body.jobs[0].id);
    const next = await staffCall(server, 'GET', `/api/v1/staff/jobs/failed?limit=200&before=${first.body.nextBefore}`, { session: root });
    expect(next.status).toBe(200);
    expect((next.body.jobs as { id: number }[]).every((j) => j.id < first.body.nextBefore)).toBe(true);
    expect(next.body.nextBefore).toBeNull();
  });

  it('are refused to an administrator of a municipality (403) and to someone signed out (401)', async () => {
    const asAdmin = await staffCall(server, 'GET', '/api/v1/staff/jobs/failed', { session: admin });
    expect([asAdmin.status, asAdmin.body.code]).toEqual([403, 'forbidden']);
    const signedOut = await staffCall(server, 'GET', '/api/v1/staff/jobs/failed');
    expect([signedOut.status, signedOut.body.code]).toEqual([401, 'not-signed-in']);
  });
});
