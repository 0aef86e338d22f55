import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.js';
import { createNotifications, createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createJobEngine, createJobQueue, type JobQueue } from '../../server/platform/jobs/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

/**
 * The reminder job runs exactly once per reservation although the server restarts around the
 * scheduled time and two workers run: instance A starts the run and loses its database mid-run
 * (its pool destroyed, as when the process is killed: its open transaction rolls back), then a
 * restarted A and a second instance B take the next two firings at once. Every reservation ends up
 * with one reminder row and one SMS on the phone. PostgreSQL only: each instance has its own pool
 * and pg-boss, as separate processes would (PGlite serves one connection).
 */
const { databaseUrl } = serviceUrls();
const jobsSchema = `${TEST_SCHEMA}_pgboss_rr`;
const logger = createLogger('silent');
const PEOPLE = 240;

/** An Etc/GMT zone where it is now about noon, so the run is inside the reminder hours whenever the test runs. */
function noonZone(now = new Date()): string {
  let offset = (12 - now.getUTCHours() + 24) % 24;
  if (offset > 12) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

interface Instance {
  db: Db;
  notifications: ReturnType<typeof createNotifications>;
  boss: PgBoss;
  jobs: JobQueue;
  dataDir: string;
}

describe.runIf(databaseUrl)('reminders across a restart and two workers', () => {
  let db: Db;
  let town: TestMunicipality;
  let server: TestServer;
  const instances: Instance[] = [];

  async function startInstance(): Promise<Instance> {
    const own = await openDatabase({ url: databaseUrl, dataDir: os.tmpdir(), schema: TEST_SCHEMA, poolMax: 4 });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-reminders-'));
    const notifications = createNotifications({
      db: own,
      clock: systemClock,
      logger,
      providers: { sms: createOutboxSmsSender(dataDir, logger), email: undefined },
      publicUrl: 'https://yoyaku.example.jp',
      // The sends A gave back when it stopped are tried again in a second, not half a minute.
      sendRetryDelaySeconds: 1,
    });
    const boss = createJobEngine({
      url: databaseUrl,
      db: own,
      schema: jobsSchema,
      poolMax: 3,
      work: true,
      maintenanceSeconds: 1,
      cronCheckSeconds: 1,
      pollMs: 200,
      logger,
    });
    const jobs = createJobQueue({ boss, db: own, logger, pollMs: 200, stopGraceMs: 500 });
    // The schedule itself is far away: the test fires the job, as the cron would, when it wants.
    notifications.registerJobs(jobs, { reminderCron: '0 0 1 1 *', sweepSeconds: 3600, purgeCron: '0 0 1 1 *' });
    await jobs.start({ work: true });
    const instance = { db: own, notifications, boss, jobs, dataDir };
    instances.push(instance);
    return instance;
  }

  const reminderRows = () =>
    db
      .selectFrom('notification_outbox')
      .select(['reservation_id', 'recipient', 'status'])
      .where('municipality_code', '=', town.code)
      .where('kind', '=', 'reminder')
      .execute();

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    db = await testDatabase();
    // Slots tomorrow and the day after (the default reminder is 2 days before, at 10:00 local).
    town = await createTestMunicipality(db, { residents: PEOPLE, slots: 2, capacity: PEOPLE, timeZone: noonZone() });
    server = await startTestServer(db, { redisPrefix: 'reminder-restart' });
    for (const [i, r] of town.residents.entries()) {
      await db
        .insertInto('notification_preferences')
        .values({ resident_id: r.id, phone: `+8180${String(r.id).padStart(8, '0')}`, language: 'ja' })
        .execute();
      const booked = await server.request('POST', '/api/v1/reservations', {
        session: server.sessionFor(r.id, town.code),
        body: { slotId: town.slotIds[i % 2] },
      });
      expect(booked.status).toBe(201);
    }
    // Booked days ago, before the reminder time (a booking made after it gets none).
    const ids = town.residents.map((r) => r.id);
    await sql`update reservations set created_at = now() - interval '5 days' where resident_id = any(${ids})`.execute(db);
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) {
      await instance.jobs.stop().catch(() => undefined);
      await instance.db.destroy().catch(() => undefined);
    }
    await server?.close();
  });

  it('writes and sends one reminder per reservation', async () => {
    const a = await startInstance();
    await a.boss.send('notifications.reminders', {});
    // A has committed some reminders and is still writing the others: it dies here.
    const atCrash = await waitFor('the first reminders', async () => {
      const n = (await reminderRows()).length;
      return n > 0 ? n : undefined;
    });
    await a.db.destroy();
    await a.jobs.stop().catch(() => undefined);
    expect(atCrash).toBeLessThan(PEOPLE);
    // A's send worker may have claimed some of its rows before it died (under load it does): those
    // stay in `sending` until the sweep finds them stranded, ten minutes on. Here those minutes pass
    // at once; a reminder is at-least-once, so such a row may reach its phone twice.
    const stuck = await sql<{ recipient: string }>`
      update notification_outbox set claimed_at = now() - interval '11 minutes', created_at = now() - interval '11 minutes'
      where municipality_code = ${town.code} and kind = 'reminder' and status = 'sending'
      returning recipient`.execute(db);
    const interrupted = new Set(stuck.rows.map((r) => r.recipient));

    // The restarted A and a second instance B; the schedule fires on both around the hour.
    const [restarted, b] = [await startInstance(), await startInstance()];
    await Promise.all([restarted.boss.send('notifications.reminders', {}), b.boss.send('notifications.reminders', {})]);
    if (interrupted.size > 0) await restarted.notifications.sweepStranded();

    const rows = await waitFor(
      'every reminder sent',
      async () => {
        const all = await reminderRows();
        return all.length >= PEOPLE && all.every((r) => r.status === 'sent') ? all : undefined;
      },
      90_000,
    );
    // Let any straggling run finish, then count again: still one each.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const final = await reminderRows();
    expect(final).toHaveLength(PEOPLE);
    expect(new Set(final.map((r) => r.reservation_id)).size).toBe(PEOPLE);
    expect(rows.length).toBe(PEOPLE);

    // Each phone got one reminder, whichever instance sent it.
    const texts = instances
      .map((i) => path.join(i.dataDir, 'outbox', 'sms.jsonl'))
      .filter((file) => fs.existsSync(file))
      .flatMap((file) => fs.readFileSync(file, 'utf8').trim().split('\n'))
      .map((line) => JSON.parse(line) as { to: string; purpose: string })
      .filter((m) => m.purpose === 'reminder' && final.some((r) => r.recipient === m.to));
    expect(new Set(texts.map((m) => m.to)).size).toBe(PEOPLE);
    const seen = new Map<string, number>();
    for (const m of texts) seen.set(m.to, (seen.get(m.to) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).map(([to]) => to);
    // Only a send A was in the middle of may repeat, and only once.
    expect(twice.filter((to) => !interrupted.has(to))).toEqual([]);
    expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
    console.log(
      `reminder restart: ${atCrash} of ${PEOPLE} reminders written when instance A died, ${interrupted.size} mid-send, ${twice.length} sent twice`,
    );
  }, 180_000);
});
