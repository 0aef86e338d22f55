import { describe, expect, it } from 'vitest';
import { createCoalescedReads } from './coalesced-reads.js';

describe('coalesced reads', () => {
  it('sends one request at once, and those arriving meanwhile together, each answered with its own result', async () => {
    const batches: number[][] = [];
    const reads = createCoalescedReads(
      async (requests: number[]) => {
        batches.push(requests);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return requests.map((n) => n * 10);
      },
      { maxBatch: 3, maxInFlight: 1 },
    );
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => reads.read(n)));
    expect(answers).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    expect(reads.counts()).toEqual({ reads: 3, requests: 7 });
  });

  it('fails only the requests of a read that failed, and goes on with the next', async () => {
    const reads = createCoalescedReads(
      async (requests: number[]) => {
        if (requests.includes(2)) throw new Error('database unavailable');
        return requests;
      },
      { maxBatch: 2, maxInFlight: 1 },
    );
    const answers = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => reads.read(n)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await reads.read(6)).toBe(6);
  });
});
