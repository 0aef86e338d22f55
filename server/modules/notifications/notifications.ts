import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import { eventRows } from './booking-messages.js';
import { createDeliveryService, RetryLater, type Providers } from './delivery.service.js';
import { messageLanguage, renderSms } from './messages/templates.js';
import { outboxRepository as repo, type Executor, type Inserted } from './outbox.repository.js';
import { purgeOldMessages } from './purge.js';
import { queueDueReminders } from './reminders.js';

/** What a booking use case tells the notifier, inside its transaction, before it commits. */
export type BookingEvent =
  | { kind: 'booked'; numbers: string[] }
  | { kind: 'changed'; number: string; previousStartsAt: Date }
  | { kind: 'cancelled'; numbers: string[] };

/**
 * The port the reservations module calls with its transaction: the messages of the event are
 * written there, so they exist if and only if the booking commits.
 */
export interface BookingNotifier {
  inTransaction(tx: Transaction<Database>, event: BookingEvent): Promise<void>;
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
    for (const row of rows) {
      await queue.send(sendJob, { outboxId: row.id, municipalityCode: row.municipality_code }, { tx: tx as Transaction<Database> });
    }
  }

  async function writeEvent(tx: Executor, kind: Parameters<typeof eventRows>[1], numbers: string[], previous?: Map<string, Date>) {
    const rows = await eventRows(tx, kind, numbers, publicUrl, previous);
    await enqueue(tx, await repo.insert(tx, rows));
  }

  /** Enqueues a send for rows whose job may be lost; returns how many. */
  async function sweepStranded(): Promise<number> {
    const ids = await repo.stranded(db, 600, 500);
    await db.transaction().execute((tx) => enqueue(tx, ids));
    return ids.length;
  }

  const bookingNotifier: BookingNotifier = {
    async inTransaction(tx, event) {
      if (event.kind === 'booked') await writeEvent(tx, 'booking-confirmed', event.numbers);
      else if (event.kind === 'cancelled') await writeEvent(tx, 'booking-cancelled', event.numbers);
      else await writeEvent(tx, 'booking-changed', [event.number], new Map([[event.number, event.previousStartsAt]]));
    },
  };

  return {
    bookingNotifier,
    delivery,

    /**
     * For the staff slot editor: a notice to everyone booked in a slot that was closed (their
     * bookings cancelled in the same transaction) or moved, written in the caller's transaction.
     */
    slotNotices: {
      async closed(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void> {
        await writeEvent(tx, 'slot-closed', input.reservationNumbers);
      },
      async moved(tx: Transaction<Database>, input: { reservationNumbers: string[]; previousStartsAt: Date }): Promise<void> {
        await writeEvent(
          tx,
          'slot-moved',
          input.reservationNumbers,
          new Map(input.reservationNumbers.map((n) => [n, input.previousStartsAt])),
        );
      },
    },

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
    registerJobs(jobs: JobQueue, options: { reminderCron?: string; sweepSeconds?: number; purgeCron?: string } = {}): void {
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
      jobs.register(sendJob, sweep, reminders, purge);
      jobs.every(sweep, options.sweepSeconds ?? 300);
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
