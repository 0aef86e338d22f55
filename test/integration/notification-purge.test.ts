import { randomUUID } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import type { NotificationOutboxTable } from '../../server/db/schema.js';
import { createJobEngine, createJobQueue, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

/**
 * The nightly purge: sent and failed messages older than NOTIFY_PURGE_AFTER_DAYS lose their
 * recipient, text and subject; the staff figures (through HTTP) stay exactly as they were, and
 * pending or recent messages are untouched. The job is on pg-boss's schedule.
 */
const { databaseUrl } = serviceUrls();
const jobsSchema = databaseUrl ? `${TEST_SCHEMA}_pgboss_purge` : 'pgboss_purge';
let db: Db;
let town: TestMunicipality;
let server: TestServer;
let staff: StaffSession;
let jobs: JobQueue | undefined;

const DAY = 86_400_000;
const now = new Date();
/** The 10th of the month before last (local dates do not matter: every row is of that month). */
const oldMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 10, 3));
const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 2, slots: 1, capacity: 5 });
  server = await startTestServer(db, { redisPrefix: 'notification-purge', env: { NOTIFY_PURGE_AFTER_DAYS: '30' } });
  staff = (await (await staffTeam(server, db)).member(town.code, ['staff'])).session;
});

afterAll(async () => {
  await jobs?.stop();
  await server?.close();
});

type Row = Omit<Insertable<NotificationOutboxTable>, 'idempotency_key' | 'municipality_code' | 'delivery' | 'language'>;
async function insert(rows: Partial<Row>[]) {
  return db
    .insertInto('notification_outbox')
    .values(
      rows.map((r) => ({
        idempotency_key: randomUUID(),
        municipality_code: town.code,
        delivery: 'at-least-once' as const,
        language: 'ja',
        kind: 'booking-confirmed' as const,
        channel: 'sms' as const,
        recipient: '+819011112222',
        body: '千代田区:予約確定 番号K7PM-2X9QDT 山田 花子様',
        ...r,
      })),
    )
    .returning('id')
    .execute();
}

describe('the purge of old personal data', () => {
  it('blanks recipient, text and subject of old sent and failed messages, keeps counts and segments', async () => {
    const old = oldMonthStart;
    const [sentSms, failed, sentEmail, pending, recent, signInCode] = await insert([
      { status: 'sent', segments: 2, encoding: 'ucs2', created_at: old, sent_at: old },
      {
        status: 'failed',
        segments: 2,
        encoding: 'ucs2',
        kind: 'reminder',
        created_at: old,
        failed_at: old,
        attempts: 7,
        last_error: 'HTTP 400: invalid number',
        provider: 'twilio',
      },
      { status: 'sent', channel: 'email', recipient: 'hanako@example.jp', subject: '予約が確定しました', created_at: old, sent_at: old },
      { status: 'pending', created_at: old },
      {
        status: 'sent',
        segments: 1,
        encoding: 'ucs2',
        created_at: new Date(now.getTime() - 20 * DAY),
        sent_at: new Date(now.getTime() - 20 * DAY),
      },
      { status: 'sent', kind: 'sign-in-code', body: 'サインイン ######', segments: 1, encoding: 'ucs2', created_at: old, sent_at: old },
    ]);
    const usagePath = `/api/v1/staff/municipalities/${town.code}/notifications/usage?month=${monthOf(old)}`;
    const failuresPath = `/api/v1/staff/municipalities/${town.code}/notifications/failures`;
    const usageBefore = await staffCall(server, 'GET', usagePath, { session: staff });
    expect(usageBefore.status).toBe(200);
    expect(
      usageBefore.body.totals.find((t: { kind: string; channel: string }) => t.kind === 'booking-confirmed' && t.channel === 'sms'),
    ).toMatchObject({
      messages: 1,
      segments: 2,
      costYen: 20,
    });

    // The app's own purge, with the configured 30 days; a second run finds nothing more.
    expect(await server.app.notifications.purgeOldMessages(new Date())).toBeGreaterThanOrEqual(4);
    expect(await server.app.notifications.purgeOldMessages(new Date())).toBe(0);

    const rows = await db
      .selectFrom('notification_outbox')
      .select(['id', 'recipient', 'body', 'subject', 'segments', 'encoding', 'status', 'last_error', 'attempts'])
      .where('municipality_code', '=', town.code)
      .orderBy('id')
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { id } of [sentSms!, failed!, sentEmail!, signInCode!]) {
      expect(byId.get(id), `row ${id}`).toMatchObject({ recipient: '', body: '', subject: null });
    }
    expect(byId.get(sentSms!.id)).toMatchObject({ segments: 2, encoding: 'ucs2', status: 'sent' });
    expect(byId.get(failed!.id)).toMatchObject({ status: 'failed', last_error: 'HTTP 400: invalid number', attempts: 7 });
    expect(byId.get(pending!.id)).toMatchObject({ recipient: '+819011112222', status: 'pending' });
    expect(byId.get(recent!.id)!.body).toContain('山田');

    // Staff see the same figures as before, and the failure with its reason.
    const usageAfter = await staffCall(server, 'GET', usagePath, { session: staff });
    expect(usageAfter.body).toEqual(usageBefore.body);
    const failures = await staffCall(server, 'GET', failuresPath, { session: staff });
    const listed = failures.body.items.find((f: { id: number }) => f.id === failed!.id);
    expect(listed).toMatchObject({ reason: 'HTTP 400: invalid number', recipient: '…' });
  });

  it('is on pg-boss’s schedule, once a night', async () => {
    const logger = createLogger('silent');
    const boss = createJobEngine({
      url: databaseUrl,
      db,
      schema: jobsSchema,
      poolMax: 2,
      work: true,
      maintenanceSeconds: 60,
      cronCheckSeconds: 1,
      pollMs: 500,
      logger,
    });
    jobs = createJobQueue({ boss, db, logger, pollMs: 500, stopGraceMs: 2000 });
    server.app.notifications.registerJobs(jobs, { sweepSeconds: 3600 });
    await jobs.start({ work: true });
    const schedules = await sql<{ name: string; cron: string; timezone: string }>`
      select name, cron, timezone from ${sql.table(`${jobsSchema}.schedule`)} where name = 'notifications.purge'`.execute(db);
    expect(schedules.rows).toEqual([{ name: 'notifications.purge', cron: '40 18 * * *', timezone: 'UTC' }]);
  });
});
