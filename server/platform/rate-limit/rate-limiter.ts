/**
 * Counters for "how many times in the current window", shared by every server process when
 * they use Redis. Used for sign-in failures, SMS sends and look-ups.
 *
 * There is no "read the count" followed by "add one": between the two, every parallel request
 * would read the same count. An attempt is reserved first, in one atomic step, and only then
 * is the identity or code checked (see attempt-guard.ts).
 */
export interface RateLimitStore {
  /**
   * Adds one to every key if every key is below its max, else to none (all or nothing, atomic
   * across processes). A key's window starts at its first reservation.
   */
  reserve(limits: readonly CounterLimit[], windowSeconds: number): Promise<ReserveResult>;
  /** Takes one back from every key (never below zero); the windows keep their end. */
  release(keys: readonly string[]): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface CounterLimit {
  key: string;
  max: number;
}

export type ReserveResult =
  | { reserved: true }
  /** `key` is the first one found at its max; its window ends in `resetInSeconds`. */
  | { reserved: false; key: string; resetInSeconds: number };
