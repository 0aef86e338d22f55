import type { Clock } from '../clock.js';
import type { RateLimitCount, RateLimitStore } from './rate-limiter.js';

interface Window {
  count: number;
  endsAt: number;
}

/** Counters in this process's memory: the embedded default for one server process. */
export function createMemoryRateLimitStore(clock: Clock): RateLimitStore {
  const windows = new Map<string, Window>();
  let lastSweep = clock.now().getTime();

  function sweep(now: number): void {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }

  function read(key: string, now: number): Window | undefined {
    const window = windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  const toCount = (window: Window | undefined, now: number): RateLimitCount => ({
    count: window?.count ?? 0,
    resetInSeconds: window ? Math.ceil((window.endsAt - now) / 1000) : 0,
  });

  return {
    async hit(key, windowSeconds) {
      const now = clock.now().getTime();
      sweep(now);
      const window = read(key, now) ?? { count: 0, endsAt: now + windowSeconds * 1000 };
      window.count += 1;
      windows.set(key, window);
      return toCount(window, now);
    },
    async peek(key) {
      const now = clock.now().getTime();
      return toCount(read(key, now), now);
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {
      windows.clear();
    },
  };
}
