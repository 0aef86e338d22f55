import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** Postgres says these mean "nothing happened, run it again": serialisation failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

export function pgErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * The database is there but cannot take us now (too many connections, starting or shutting down,
 * the connection refused or cut): nothing was done, and the same request will work in a moment.
 */
const UNAVAILABLE = new Set(['53300', '53400', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']);

export function isDatabaseUnavailable(error: unknown): boolean {
  return UNAVAILABLE.has(pgErrorCode(error) ?? '');
}

export function pgConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { constraint?: unknown; detail?: unknown; message?: unknown };
  if (typeof record.constraint === 'string') return record.constraint;
  // PGlite puts the constraint name in the message only.
  const match = /constraint "([^"]+)"/.exec(String(record.message ?? ''));
  return match?.[1];
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** Other failures that left nothing behind (e.g. a random number that was taken). */
  retryOn?: (error: unknown) => boolean;
}

/**
 * Runs work (one statement or a whole transaction) again when the database refused it for a
 * reason that left nothing behind. The wait before each new try is random ("full jitter") and
 * doubles each time, so requests that collided once do not collide again in step.
 */
export async function withRetries<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retry = RETRYABLE.has(pgErrorCode(error) ?? '') || options.retryOn?.(error) === true;
      if (!retry || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
    }
  }
}

/** Runs work in one transaction; all of it commits or none of it does. Retried as `withRetries` says. */
export async function inTransaction<T>(db: Db, work: (tx: Transaction<Database>) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return withRetries(() => db.transaction().execute(work), options);
}
