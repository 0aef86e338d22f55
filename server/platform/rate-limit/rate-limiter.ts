/**
 * Counters for "how many times in the current window", shared by every server process when
 * they use Redis. Used for sign-in failures, SMS sends and anonymous look-ups.
 */
export interface RateLimitStore {
  /** Adds one to the key's counter and returns the new count; the window starts at the first hit. */
  hit(key: string, windowSeconds: number): Promise<RateLimitCount>;
  /** Current count without adding to it. */
  peek(key: string): Promise<RateLimitCount>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitCount {
  count: number;
  /** Seconds until the window ends and the counter starts again from zero. */
  resetInSeconds: number;
}
