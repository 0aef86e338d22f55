import { AppError } from '../errors.js';
import type { CounterLimit, RateLimitStore } from './rate-limiter.js';

export type AttemptLimit = CounterLimit;

/** One attempt counted on each of its limits. */
export interface Reservation {
  /**
   * The attempt was not a wrong answer (the identity or code was right, or it was never
   * checked): it no longer counts. Only wrong answers stay counted, so a resident who signs in
   * correctly is never slowed down.
   */
  giveBack(): Promise<void>;
}

/**
 * Locks out a voucher, an address, an account or a challenge after too many attempts in a
 * window. The attempt is reserved before anything is checked (all of its limits at once, or
 * none), so a burst of parallel guesses gets exactly `max` of them evaluated, never more.
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

  async function take(limits: readonly AttemptLimit[], refusal: 'too-many-attempts' | 'rate-limited'): Promise<void> {
    const result = await counted(() => store.reserve(limits, windowSeconds));
    if (!result.reserved) throw new AppError(refusal, { retryAfterSeconds: result.resetInSeconds || windowSeconds });
  }

  /**
   * Counts one attempt on every limit, or throws too-many-attempts (with the wait of the
   * limit that refused) and counts none. Check the identity or code only after this.
   */
  async function reserve(limits: readonly AttemptLimit[]): Promise<Reservation> {
    await take(limits, 'too-many-attempts');
    let given = false;
    return {
      async giveBack() {
        if (given) return;
        given = true;
        // Best effort: if the store has gone meanwhile, the attempt stays counted, which errs
        // on the side of the limit; the caller's right answer must not turn into a 503.
        await store.release(limits.map((limit) => limit.key)).catch(() => undefined);
      },
    };
  }

  return {
    reserve,

    /**
     * Runs `work` as one reserved attempt: the failures `isWrongAnswer` recognises stay counted,
     * anything else (a success, another refusal) gives the attempt back.
     */
    async attempt<T>(limits: readonly AttemptLimit[], isWrongAnswer: (error: unknown) => boolean, work: () => Promise<T>): Promise<T> {
      const reservation = await reserve(limits);
      try {
        const result = await work();
        await reservation.giveBack();
        return result;
      } catch (error) {
        if (!isWrongAnswer(error)) await reservation.giveBack();
        throw error;
      }
    },

    /** Counts one use that is never given back, or throws rate-limited (look-ups, texts sent). */
    async consume(limits: readonly AttemptLimit[]): Promise<void> {
      await take(limits, 'rate-limited');
    },
  };
}

export type AttemptGuard = ReturnType<typeof createAttemptGuard>;
