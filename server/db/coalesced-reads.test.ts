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

  it('lets the next read go when one hangs, and still answers the hung one when it ends', async () => {
    let hang: ((value: number[]) => void) | undefined;
    const reads = createCoalescedReads(
      (requests: number[]) =>
        requests[0] === 1 ? new Promise<number[]>((resolve) => (hang = resolve)) : Promise.resolve(requests.map((n) => n * 2)),
      { maxBatch: 10, maxInFlight: 1, releaseAfterMs: 20 },
    );
    const first = reads.read(1);
    // Waits behind the hung read until it stops counting, then goes on its own.
    expect(await reads.read(2)).toBe(4);
    hang!([1]);
    expect(await first).toBe(1);
  });

  it('fails a read that answers a different number of rows than it was asked, or throws before it is sent', async () => {
    const short = createCoalescedReads(async (requests: number[]) => requests.slice(1), { maxBatch: 10, maxInFlight: 1 });
    await expect(short.read(1)).rejects.toThrow(/answered 0 of 1/);
    const throwing = createCoalescedReads(
      (): Promise<number[]> => {
        throw new Error('not sent');
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    await expect(throwing.read(1)).rejects.toThrow('not sent');
    await expect(throwing.read(2)).rejects.toThrow('not sent');
  });
});
