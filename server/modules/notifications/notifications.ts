import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { createDeliveryService, RetryLater, type Providers } from './delivery.service.js';
import { messageLanguage, renderSms } from './messages/templates.js';
import { outboxRepository as repo, type Executor, type Inserted } from './outbox.repository.js';
import { createOwedMessages } from './owed-messages.js';
import { purgeOldMessages } from './purge.js';
import { queueDueReminders } from './reminders.js';

/** Told by the reservations module after each change to bookings committed (its notifier port). */
export interface BookingNotifier {
  committed(): void;
}

/** Sends of one message: pg-boss retries with back-off, 30 s doubling to about half an hour, 7 tries in all. */
export const SEND_RETRY_LIMIT = 6;
const SEND_EXPIRE_SECONDS = 60;
/** A row claimed this long ago and still `sending` was left by a sender that died. */
const STALE_SECONDS = SEND_EXPIRE_SECONDS * 2;

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  providers: Providers;
  publicUrl: string;
  /** Overrides for tests: how long before a row in `sending` counts as abandoned… */
  staleSeconds?: number;
  /** …and the first retry's delay (doubled each time). */
  sendRetryDelaySeconds?: number;
  /** Days after which a sent or failed message's recipient and text are blanked (NOTIFY_PURGE_AFTER_DAYS, default 90). */
  purgeAfterDays?: number;
}

export function createNotifications(deps: NotificationsDeps) {
  const { db, logger, publicUrl } = deps;
  const purgeAfterDays = deps.purgeAfterDays ?? 90;
  const host = new URL(publicUrl).hostname;
  const delivery = createDeliveryService({ db, providers: deps.providers, logger, staleSeconds: deps.staleSeconds ?? STALE_SECONDS });
  let queue: JobQueue | undefined;

  const sendJob = defineJob<{ outboxId: number; municipalityCode: string }>({
    name: 'notifications.send',
    retryLimit: SEND_RETRY_LIMIT,
    retryDelaySeconds: deps.sendRetryDelaySeconds ?? 30,
    retryBackoff: true,
    expireInSeconds: SEND_EXPIRE_SECONDS,
    concurrency: 8,
    summarize: ({ outboxId }) => ({ outboxId }),
    municipalityOf: ({ municipalityCode }) => municipalityCode,
    handler: async ({ outboxId }, context) => {
      const outcome = await delivery.deliver(outboxId, { finalAttempt: context.attempt > SEND_RETRY_LIMIT, signal: context.signal });
      if (outcome === 'retry') throw new RetryLater(`message ${outboxId} will be tried again`);
    },
  });

  /** One send job per row, in the transaction that wrote the rows (none when no queue runs, e.g. tests). */
  async function enqueue(tx: Executor, rows: Inserted[]): Promise<void> {
    if (!queue) return;
    const payloads = rows.map((row) => ({ outboxId: row.id, municipalityCode: row.municipality_code }));
    await queue.sendMany(sendJob, payloads, { tx: tx as Transaction<Database> });
  }

  const owed = createOwedMessages({ db, logger, publicUrl, enqueue });

  /** Enqueues a send for rows whose job may be lost; returns how many. */
  async function sweepStranded(): Promise<number> {
    const ids = await repo.stranded(db, 600, 500);
    await db.transaction().execute((tx) => enqueue(tx, ids));
    return ids.length;
  }

  const bookingNotifier: BookingNotifier = { committed: () => owed.soon() };

  return {
    bookingNotifier,
    delivery,

    /**
     * For the staff slot editor, in the transaction that cancelled (closed) or moved these
     * reservations: each person's message becomes a notice that staff closed or moved the slot,
     * instead of a plain cancellation or change. Tell bookingNotifier.committed() after the commit.
     */
    slotNotices: {
      async closed(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void> {
        await owed.relabel(tx, input.reservationNumbers, 'slot-closed');
      },
      async moved(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void> {
        await owed.relabel(tx, input.reservationNumbers, 'slot-moved');
      },
    },

    /** Writes every message owed now to the outbox (the sweep, the tests); returns how many events. */
    writeOwed: () => owed.writeAll(),
    /** Once this resolves, the messages of every change that committed before the call are written. */
    settled: () => owed.settled(),
    /** Waits until this process's writer of owed messages has stopped (before closing the database). */
    idle: () => owed.idle(),

    /**
     * A sign-in code, sent now (the resident is waiting for it) and at most once: never retried by
     * the worker, as a second code arriving late would confuse more than help; the resident asks
     * for another. The row keeps the count and cost, with the code itself blanked out.
     */
    async sendSignInCode(input: {
      residentId: number;
      municipalityCode: string;
      phone: string;
      code: string;
      language: string;
    }): Promise<void> {
      const municipality = await db
        .selectFrom('municipalities')
        .select(['name_ja', 'name_en'])
        .where('code', '=', input.municipalityCode)
        .executeTakeFirstOrThrow();
      const language = messageLanguage(input.language);
      const name = language.startsWith('ja') ? municipality.name_ja : municipality.name_en;
      const sms = renderSms('sign-in-code', language, { municipality: name, code: input.code, host });
      const key = randomUUID();
      const [inserted] = await repo.insert(db, [
        {
          idempotency_key: key,
          municipality_code: input.municipalityCode,
          resident_id: input.residentId,
          kind: 'sign-in-code',
          channel: 'sms',
          delivery: 'at-most-once',
          recipient: input.phone,
          language,
          body: sms.text.split(input.code).join('######'),
          segments: sms.segments,
          encoding: sms.encoding,
          status: 'sending',
          attempts: 1,
          claimed_at: new Date(),
        },
      ]);
      const id = inserted!.id;
      const provider = deps.providers.sms;
      try {
        const receipt = await provider.send({ to: input.phone, text: sms.text, idempotencyKey: key, purpose: 'sign-in-code' });
        await repo.markSent(db, id, provider.name, receipt.providerMessageId);
      } catch (error) {
        await repo.markFailed(db, id, provider.name, error instanceof Error ? error.message : 'send failed');
        // The resident sees "try again shortly"; the reason is in the row (and the log), for staff.
        logger.warn({ outboxId: id, error: error instanceof Error ? error.message : 'send failed' }, 'sign-in code not sent');
        throw new AppError('unavailable', { retryAfterSeconds: 60, reason: 'sms-unavailable' });
      }
      // The language they read the site in is the one they get their messages in, unless they chose one.
      await db
        .insertInto('notification_preferences')
        .values({ resident_id: input.residentId, language: input.language })
        .onConflict((oc) =>
          oc
            .column('resident_id')
            .doUpdateSet({ language: input.language, updated_at: new Date() })
            .where('notification_preferences.language_chosen', '=', false),
        )
        .execute();
    },

    /** The number a sign-in code was just confirmed on is where messages go from now on. */
    async phoneConfirmed(residentId: number, phone: string): Promise<void> {
      await db
        .insertInto('notification_preferences')
        .values({ resident_id: residentId, phone })
        .onConflict((oc) => oc.column('resident_id').doUpdateSet({ phone, updated_at: new Date() }))
        .execute();
    },

    /** The send, sweep and reminder jobs; the notifier enqueues sends on this queue from now on. */
    registerJobs(
      jobs: JobQueue,
      options: { reminderCron?: string; sweepSeconds?: number; owedSeconds?: number; purgeCron?: string } = {},
    ): void {
      queue = jobs;
      const sweep = defineJob({
        name: 'notifications.sweep',
        retryLimit: 1,
        retryDelaySeconds: 30,
        retryBackoff: false,
        expireInSeconds: 120,
        // A row whose job was lost (written without a queue, or its job failed for good while the
        // row was stuck in `sending`) gets a new one; the claim keeps it once.
        handler: async () => {
          await sweepStranded();
        },
      });
      const reminders = defineJob({
        name: 'notifications.reminders',
        retryLimit: 3,
        retryDelaySeconds: 60,
        retryBackoff: true,
        expireInSeconds: 600,
        handler: async () => {
          const queued = await queueDueReminders(db, deps.clock.now(), publicUrl, enqueue);
          if (queued > 0) logger.info({ queued }, 'reminders queued');
        },
      });
      const writeOwed = defineJob({
        name: 'notifications.write-owed',
        retryLimit: 1,
        retryDelaySeconds: 10,
        retryBackoff: false,
        expireInSeconds: 120,
        // The process that made a change writes its messages at once; this is for those a
        // process left owed when it stopped (or whose writing failed), found within seconds.
        handler: async () => {
          const events = await owed.writeAll();
          if (events > 0) logger.info({ events }, 'owed messages written by the sweep');
        },
      });
      // Personal data in the outbox is kept only as long as it helps (docs/notifications.md).
      const purge = defineJob({
        name: 'notifications.purge',
        retryLimit: 3,
        retryDelaySeconds: 300,
        retryBackoff: true,
        expireInSeconds: 1800,
        handler: async () => {
          const purged = await purgeOldMessages(db, deps.clock.now(), purgeAfterDays);
          if (purged > 0) logger.info({ purged }, 'old messages blanked');
        },
      });
      jobs.register(sendJob, sweep, reminders, writeOwed, purge);
      jobs.every(sweep, options.sweepSeconds ?? 300);
      jobs.every(writeOwed, options.owedSeconds ?? 15);
      jobs.schedule(reminders, options.reminderCron ?? '*/10 * * * *', 'UTC');
      // Once a night, Japan's small hours (18:40 UTC is 03:40 JST), away from booking peaks.
      jobs.schedule(purge, options.purgeCron ?? '40 18 * * *', 'UTC');
    },

    /** For tests and the purge job: blank the personal data of messages done with before `now` − N days. */
    purgeOldMessages: (now: Date) => purgeOldMessages(db, now, purgeAfterDays),

    sweepStranded,

    /** For tests and the reminder job: queue the reminders due at `now`. */
    queueDueReminders: (now: Date) => queueDueReminders(db, now, publicUrl, enqueue),
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
