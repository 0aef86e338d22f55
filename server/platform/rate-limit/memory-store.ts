import type { Clock } from '../clock.js';
import type { RateLimitStore } from './rate-limiter.js';

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Counters in this process's memory: the embedded default for one server process. Each call
 * runs to its end without awaiting, so reserving over several keys is atomic in the process.
 */
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

  return {
    async reserve(limits, windowSeconds) {
      const now = clock.now().getTime();
      sweep(now);
      for (const limit of limits) {
        const window = read(limit.key, now);
        if ((window?.count ?? 0) >= limit.max) {
          return { reserved: false, key: limit.key, resetInSeconds: window ? Math.ceil((window.endsAt - now) / 1000) : 0 };
        }
      }
      for (const limit of limits) {
        const window = read(limit.key, now) ?? { count: 0, endsAt: now + windowSeconds * 1000 };
        window.count += 1;
        windows.set(limit.key, window);
      }
      return { reserved: true };
    },
    async release(keys) {
      const now = clock.now().getTime();
      for (const key of keys) {
        const window = read(key, now);
        if (window && window.count > 0) window.count -= 1;
      }
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {
      windows.clear();
    },
  };
}
