import { AppError } from '../errors.js';
import type { RateLimitStore } from './rate-limiter.js';

export interface AttemptLimit {
  key: string;
  max: number;
}

/**
 * Locks out a voucher, an IP or a challenge after too many failures within a window.
 * Only failures count, so a resident who signs in correctly is never slowed down.
 */
export function createAttemptGuard(store: RateLimitStore, windowSeconds: number) {
  /**
   * The counters live in Redis when several processes share them. If it cannot be reached the
   * answer is a clear "try again shortly" (503), never a 500, and never an unlimited pass: a
   * lockout that fails open would invite guessing exactly when nobody is watching.
   */
  async function counted<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new AppError('unavailable', { retryAfterSeconds: 10, reason: 'rate-limit-store-unavailable' });
    }
  }

  return {
    /** Throws too-many-attempts if any of the keys is already at its limit. */
    async assertAllowed(limits: AttemptLimit[]): Promise<void> {
      const counts = await counted(() => Promise.all(limits.map((limit) => store.peek(limit.key))));
      const blocked = counts.findIndex((count, i) => count.count >= limits[i]!.max);
      if (blocked >= 0) {
        throw new AppError('too-many-attempts', { retryAfterSeconds: counts[blocked]!.resetInSeconds || windowSeconds });
      }
    },

    async recordFailure(limits: AttemptLimit[]): Promise<void> {
      await counted(() => Promise.all(limits.map((limit) => store.hit(limit.key, windowSeconds))));
    },

    /** Counts one use and throws rate-limited past the limit (for anonymous look-ups). */
    async consume(limit: AttemptLimit): Promise<void> {
      const count = await counted(() => store.hit(limit.key, windowSeconds));
      if (count.count > limit.max) throw new AppError('rate-limited', { retryAfterSeconds: count.resetInSeconds });
    },
  };
}

export type AttemptGuard = ReturnType<typeof createAttemptGuard>;
