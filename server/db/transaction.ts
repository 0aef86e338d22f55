import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/** Postgres says these mean "nothing happened, run the transaction again". */
const RETRYABLE = new Set(['40001', '40P01']);

export function pgErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { constraint?: unknown; detail?: unknown; message?: unknown };
  if (typeof record.constraint === 'string') return record.constraint;
  // PGlite puts the constraint name in the message only.
  const match = /constraint "([^"]+)"/.exec(String(record.message ?? ''));
  return match?.[1];
}

/**
 * Runs work in one transaction; all of it commits or none of it does. Deadlocks and
 * serialization failures are retried a few times, since they leave nothing behind.
 */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Transaction<Database>) => Promise<T>,
  options: { attempts?: number; retryOn?: (error: unknown) => boolean } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const retry = RETRYABLE.has(pgErrorCode(error) ?? '') || options.retryOn?.(error) === true;
      if (!retry || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
