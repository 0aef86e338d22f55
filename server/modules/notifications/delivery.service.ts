import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { outboxRepository as repo, type OutboxRow } from './outbox.repository.js';
import { DeliveryError, type EmailProvider, type SmsProvider } from './providers/provider.js';

export interface Providers {
  sms: SmsProvider;
  /** None: e-mail rows are failed at once ("no e-mail provider configured"). */
  email: EmailProvider | undefined;
}

export type DeliveryOutcome = 'sent' | 'already-handled' | 'failed' | 'retry';

export interface DeliveryOptions {
  /** The last attempt the job has: a failure then is recorded as permanent. */
  finalAttempt: boolean;
  signal?: AbortSignal;
}

/** A run that must be tried again (thrown to the job, which retries it with back-off). */
export class RetryLater extends Error {
  readonly code = 'retry-later';
}

/**
 * Sends one outbox row, once (docs/notifications.md):
 * 1. claim it (pending → sending): a second worker, or a duplicate job, finds nothing to claim;
 * 2. call the provider with the row's idempotency key;
 * 3. mark it sent, or put it back to pending for a retry, or fail it with the reason.
 * A row found in `sending` after `staleSeconds` was left by a sender that died between 1 and 3.
 * Whether it is sent again is the row's delivery policy: `at-least-once` (reminders,
 * confirmations) sends again, accepting a rare duplicate; `at-most-once` (sign-in codes) does not,
 * unless the provider deduplicates by the key.
 */
export function createDeliveryService(deps: { db: Db; providers: Providers; logger: Logger; staleSeconds: number }) {
  const { db, providers, logger } = deps;

  const mayRepeat = (row: OutboxRow, provider: { deduplicates: boolean }) => row.delivery === 'at-least-once' || provider.deduplicates;

  async function claim(id: number): Promise<OutboxRow | 'already-handled' | 'failed'> {
    const claimed = await repo.claim(db, id);
    if (claimed) return claimed;
    const row = await repo.find(db, id);
    if (!row || row.status !== 'sending') return 'already-handled';
    const provider = row.channel === 'sms' ? providers.sms : providers.email;
    const stale = await repo.claimStale(db, id, deps.staleSeconds);
    if (!stale) return 'already-handled'; // another sender is on it now
    if (provider && mayRepeat(stale, provider)) return stale;
    await repo.markFailed(
      db,
      id,
      provider?.name ?? null,
      'interrupted: the sender stopped during the send, which may or may not have arrived; not sent again (at most once)',
    );
    return 'failed';
  }

  return {
    async deliver(id: number, options: DeliveryOptions): Promise<DeliveryOutcome> {
      const row = await claim(id);
      if (typeof row === 'string') return row;
      const provider = row.channel === 'sms' ? providers.sms : providers.email;
      if (!provider) {
        await repo.markFailed(db, id, null, 'no e-mail provider is configured (EMAIL_PROVIDER)');
        return 'failed';
      }
      try {
        const receipt =
          row.channel === 'sms'
            ? await providers.sms.send(
                { to: row.recipient, text: row.body, idempotencyKey: row.idempotency_key, purpose: row.kind },
                options.signal,
              )
            : await providers.email!.send(
                { to: row.recipient, subject: row.subject ?? '', text: row.body, idempotencyKey: row.idempotency_key, purpose: row.kind },
                options.signal,
              );
        await repo.markSent(db, id, provider.name, receipt.providerMessageId);
        return 'sent';
      } catch (error) {
        const failure =
          error instanceof DeliveryError
            ? error
            : new DeliveryError('unknown', `${provider.name}: ${error instanceof Error ? error.name : 'error'}`);
        const retryable = failure.outcome === 'not-sent' || (failure.outcome === 'unknown' && mayRepeat(row, provider));
        logger.warn(
          { outboxId: id, kind: row.kind, channel: row.channel, outcome: failure.outcome, error: failure.message },
          'message not sent',
        );
        if (retryable && !options.finalAttempt) {
          await repo.release(db, id, failure.message);
          return 'retry';
        }
        const reason =
          failure.outcome === 'unknown' && !retryable
            ? `${failure.message}; the outcome is unknown, so it was not sent again (at most once)`
            : failure.message;
        await repo.markFailed(db, id, provider.name, reason);
        return 'failed';
      }
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
