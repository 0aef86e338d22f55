import { describe, expect, it } from 'vitest';
import { defineJob, failedQueueOf } from './define-job.js';

const valid = {
  name: 'holds.release-expired',
  retryLimit: 1,
  retryDelaySeconds: 5,
  retryBackoff: false,
  expireInSeconds: 60,
  handler: async () => {},
};

describe('defineJob', () => {
  it('fills in the defaults: standard policy, one at a time, nothing summarised, no municipality', () => {
    const job = defineJob(valid);
    expect(job).toMatchObject({ policy: 'standard', concurrency: 1 });
    expect(job.summarize(undefined)).toEqual({});
    expect(job.municipalityOf(undefined)).toBeUndefined();
    expect(Object.isFrozen(job)).toBe(true);
  });

  it.each([
    [{ name: 'Holds' }, /lower case/],
    [{ name: 'holds..sweep' }, /lower case/],
    [{ name: 'holds_sweep' }, /lower case/],
    [{ retryLimit: -1 }, /retryLimit/],
    [{ retryLimit: 1.5 }, /retryLimit/],
    [{ retryBackoff: true, retryDelaySeconds: 0 }, /retryDelaySeconds must be a whole number from 1/],
    [{ expireInSeconds: 0 }, /expireInSeconds/],
    [{ expireInSeconds: 86_400 - 5 }, /expireInSeconds/],
    [{ concurrency: 0 }, /concurrency/],
  ])('refuses %j', (change, message) => {
    expect(() => defineJob({ ...valid, ...change })).toThrow(message);
  });

  it('names the dead-letter queue so that no job name can collide with it', () => {
    expect(failedQueueOf('holds.release-expired')).toBe('holds.release-expired__failed');
    expect(() => defineJob({ ...valid, name: 'holds.release-expired__failed' })).toThrow(/lower case/);
  });
});
