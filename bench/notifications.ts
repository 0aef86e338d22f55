/**
 * npm run bench:notifications — how fast the job worker sends messages (issue 11), written to the
 * "Notifications: send rate (issue 11, <database>)" section of docs/benchmarks.md.
 *
 * The provider is the signed webhook pointed at a local gateway on 127.0.0.1 that checks each
 * signature and answers at once. In the same run: (1) the provider called directly in a loop, one
 * at a time and 8 at a time (the worker's concurrency), the ceiling; (2) BENCH_MESSAGES outbox rows
 * and their send jobs written in one transaction, then one worker started and timed until every
 * row is `sent` (claim, send, mark: three statements per message besides pg-boss's own).
 *
 * PostgreSQL when DATABASE_URL is set (schema `bench_notifications`, made afresh), else PGlite.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../server/db/database.js';
import { insertMunicipality, insertResidents } from '../server/demo/seed.js';
import { createNotifications, createWebhookSmsSender, verifyWebhookSignature } from '../server/modules/notifications/index.js';
import { systemClock } from '../server/platform/clock.js';
import { createJobEngine, createJobQueue } from '../server/platform/jobs/index.js';
import { createLogger } from '../server/platform/logger.js';
import { machineLine, writeSection } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const SCHEMA = 'bench_notifications';
const MESSAGES = Number(process.env.BENCH_MESSAGES || 1000);
const DIRECT = Number(process.env.BENCH_DIRECT || 1000);
const SECRET = 'bench-webhook-secret-of-at-least-32-chars';
const logger = createLogger('silent');

async function startGateway() {
  let received = 0;
  let refused = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verdict = verifyWebhookSignature(
        SECRET,
        { signature: req.headers['x-yoyaku-signature'] as string, timestamp: req.headers['x-yoyaku-timestamp'] as string },
        body,
        Math.floor(Date.now() / 1000),
      );
      if (verdict !== 'ok') {
        refused++;
        return void res.writeHead(401).end();
      }
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"gw-${received}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/sms`, stats: () => ({ received, refused }), close: () => new Promise((r) => server.close(r)) };
}

async function openBenchDatabase() {
  if (DATABASE_URL) {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.query(`drop schema if exists ${SCHEMA}_pgboss cascade`);
    await admin.end();
    return {
      db: await openDatabase({ url: DATABASE_URL, dataDir: os.tmpdir(), schema: SCHEMA, poolMax: 10 }),
      kind: 'PostgreSQL',
      jobs: `${SCHEMA}_pgboss`,
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-notifications-'));
  return { db: await openDatabase({ url: undefined, dataDir, schema: 'public', poolMax: 1 }), kind: 'PGlite (embedded)', jobs: 'pgboss' };
}

const message = (i: number) => ({
  to: `+8190${String(i).padStart(8, '0')}`,
  text: `予約確定 ${i}`,
  idempotencyKey: randomUUID(),
  purpose: 'booking-confirmed' as const,
});

async function main() {
  const gateway = await startGateway();
  const provider = createWebhookSmsSender({ url: gateway.url, secret: SECRET });
  for (let i = 0; i < 50; i++) await provider.send(message(i)); // warm-up

  let t0 = performance.now();
  for (let i = 0; i < DIRECT; i++) await provider.send(message(i));
  const directSerial = DIRECT / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < DIRECT) await provider.send(message(next++));
    }),
  );
  const directParallel = DIRECT / ((performance.now() - t0) / 1000);

  const { db, kind, jobs: jobsSchema } = await openBenchDatabase();
  await insertMunicipality(db, { code: '131016', nameJa: '千代田区', nameEn: 'Chiyoda City' });
  const [residentId] = await insertResidents(db, '131016', [
    {
      voucherNumber: '3000000001',
      birthDate: '1970-01-01',
      nameKanji: '計測 太郎',
      nameKana: 'ケイソク タロウ',
      sex: 'M',
      phone: null,
      doses: [],
    },
  ]);
  const notifications = createNotifications({
    db,
    clock: systemClock,
    logger,
    providers: { sms: provider, email: undefined },
    publicUrl: 'https://yoyaku.example.jp',
  });
  const boss = createJobEngine({
    url: DATABASE_URL,
    db,
    schema: jobsSchema,
    poolMax: 4,
    work: true,
    maintenanceSeconds: 60,
    cronCheckSeconds: 30,
    pollMs: 500,
    logger,
  });
  const queue = createJobQueue({ boss, db, logger, pollMs: 500, stopGraceMs: 5000 });
  notifications.registerJobs(queue, { sweepSeconds: 3600, reminderCron: '0 0 1 1 *' });
  // Jobs are written first by a queue that does not work; the worker starts once all are in.
  await queue.start({ work: false });
  const before = gateway.stats().received;
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < MESSAGES; i += 500) {
      const rows = Array.from({ length: Math.min(500, MESSAGES - i) }, (_, k) => ({
        idempotency_key: randomUUID(),
        municipality_code: '131016',
        resident_id: residentId!,
        kind: 'booking-confirmed' as const,
        channel: 'sms' as const,
        delivery: 'at-least-once' as const,
        recipient: message(i + k).to,
        language: 'ja',
        body: message(i + k).text,
        segments: 1,
        encoding: 'ucs2' as const,
      }));
      const ids = (await tx.insertInto('notification_outbox').values(rows).returning('id').execute()).map((r) => r.id);
      for (const id of ids)
        await queue.send({ name: 'notifications.send' } as never, { outboxId: id, municipalityCode: '131016' } as never, { tx });
    }
  });
  await queue.stop();

  const worker = createJobQueue({
    boss: createJobEngine({
      url: DATABASE_URL,
      db,
      schema: jobsSchema,
      poolMax: 4,
      work: true,
      maintenanceSeconds: 60,
      cronCheckSeconds: 30,
      pollMs: 500,
      logger,
    }),
    db,
    logger,
    pollMs: 500,
    stopGraceMs: 5000,
  });
  const workerNotifications = createNotifications({
    db,
    clock: systemClock,
    logger,
    providers: { sms: provider, email: undefined },
    publicUrl: 'https://yoyaku.example.jp',
  });
  workerNotifications.registerJobs(worker, { sweepSeconds: 3600, reminderCron: '0 0 1 1 *' });
  t0 = performance.now();
  await worker.start({ work: true });
  for (;;) {
    const left = await db
      .selectFrom('notification_outbox')
      .select(db.fn.countAll<number>().as('n'))
      .where('status', '!=', 'sent')
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  const viaWorker = MESSAGES / seconds;
  const delivered = gateway.stats().received - before;
  await worker.stop();
  await db.destroy();
  await gateway.close();

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const body = `
Machine: ${machineLine()}, ${date} UTC. Database: ${kind}. Provider: the signed webhook (HMAC-SHA256 per request) to a local gateway on 127.0.0.1 that verifies each signature and answers at once.

| how | messages | messages/s |
| --- | ---: | ---: |
| provider called directly, one at a time | ${DIRECT} | ${directSerial.toFixed(0)} |
| provider called directly, 8 at a time | ${DIRECT} | ${directParallel.toFixed(0)} |
| through the outbox and one job worker (8 concurrent sends, claim → send → mark sent) | ${MESSAGES} | ${viaWorker.toFixed(0)} |

The worker sent ${delivered} requests for ${MESSAGES} rows (one each) in ${seconds.toFixed(1)} s, from its start (including pg-boss's first poll). It reaches ${((viaWorker / directParallel) * 100).toFixed(0)}% of the provider's own rate at the same concurrency: the rest is the database work per message (pg-boss's fetch and complete, our claim and mark)${kind.startsWith('PGlite') ? ', which on the embedded database waits its turn on its one connection with every other statement' : ''}. A real provider answers in tens to hundreds of milliseconds, so the provider, not the worker, sets the pace: at 8 concurrent sends of 200 ms each, 40 messages/s; raise the send job's concurrency for more.
Re-run: \`npm run bench:notifications\` (PostgreSQL: \`DATABASE_URL=postgres://… npm run bench:notifications\`).
`;
  await writeSection(`Notifications: send rate (issue 11, ${kind})`, body);
  console.log(body);
}

await main();
