import { describe, expect, it } from 'vitest';
import { createFixedClock } from '../clock.js';
import { AppError } from '../errors.js';
import { createAttemptGuard } from './attempt-guard.js';
import { createMemoryRateLimitStore } from './memory-store.js';
import type { RateLimitStore } from './rate-limiter.js';

const unreachable: RateLimitStore = {
  reserve: () => Promise.reject(new Error('connection refused')),
  release: () => Promise.reject(new Error('connection refused')),
  reset: () => Promise.reject(new Error('connection refused')),
  close: async () => undefined,
};

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'passed',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('attempt guard', () => {
  it('fails closed when its store is unreachable: unavailable (503), never a pass', async () => {
    const guard = createAttemptGuard(unreachable, 60);
    expect(await codeOf(guard.reserve([{ key: 'v', max: 5 }]))).toBe('unavailable');
    expect(await codeOf(guard.consume([{ key: 'ip', max: 5 }]))).toBe('unavailable');
    expect(
      await codeOf(
        guard.attempt(
          [{ key: 'v', max: 5 }],
          () => true,
          async () => 'checked',
        ),
      ),
    ).toBe('unavailable');
  });

  it('does not turn a right answer into an error when the store goes away before the attempt is given back', async () => {
    const store = createMemoryRateLimitStore(createFixedClock('2026-07-20T11:00:00Z'));
    const guard = createAttemptGuard({ ...store, release: unreachable.release }, 60);
    const attempt = await guard.reserve([{ key: 'v', max: 5 }]);
    await expect(attempt.giveBack()).resolves.toBeUndefined();
  });

  it('keeps wrong answers counted and gives everything else back', async () => {
    const guard = createAttemptGuard(createMemoryRateLimitStore(createFixedClock('2026-07-20T11:00:00Z')), 60);
    const limits = [{ key: 'n', max: 2 }];
    const isWrong = (error: unknown) => error instanceof AppError && error.code === 'reservation-not-found';
    for (let i = 0; i < 5; i++) expect(await codeOf(guard.attempt(limits, isWrong, async () => 'found'))).toBe('passed');
    for (let i = 0; i < 5; i++)
      expect(await codeOf(guard.attempt(limits, isWrong, () => Promise.reject(new AppError('slot-full'))))).toBe('slot-full');
    expect(await codeOf(guard.attempt(limits, isWrong, () => Promise.reject(new AppError('reservation-not-found'))))).toBe(
      'reservation-not-found',
    );
    expect(await codeOf(guard.attempt(limits, isWrong, () => Promise.reject(new AppError('reservation-not-found'))))).toBe(
      'reservation-not-found',
    );
    expect(await codeOf(guard.attempt(limits, isWrong, async () => 'found'))).toBe('too-many-attempts');
  });
});
