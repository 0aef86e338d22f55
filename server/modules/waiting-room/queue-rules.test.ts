import { describe, expect, it } from 'vitest';
import {
  admissionCredit,
  drawSpreadSeconds,
  estimateWaitSeconds,
  isRoomActive,
  measuredRatePerMinute,
  parseOpeningPlan,
  splitRate,
  tuneRate,
  waveFor,
} from './queue-rules.js';

describe('admissionCredit', () => {
  it('admits whole people at the rate and carries the fraction to the next tick', () => {
    let carry = 0;
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const credit = admissionCredit({ ratePerMinute: 90, elapsedMs: 1000, carry });
      carry = credit.carry;
      total += credit.count;
    }
    expect(total).toBe(90);
  });

  it('never makes up for more than 5 seconds and never goes backwards', () => {
    expect(admissionCredit({ ratePerMinute: 600, elapsedMs: 3_600_000, carry: 0 }).count).toBe(50);
    expect(admissionCredit({ ratePerMinute: 600, elapsedMs: -5000, carry: 0 }).count).toBe(0);
  });
});

describe('estimateWaitSeconds', () => {
  it('uses the measured rate and admits it does not know when nothing moves', () => {
    expect(estimateWaitSeconds(1200, 600)).toBe(120);
    expect(estimateWaitSeconds(0, 0)).toBe(0);
    expect(estimateWaitSeconds(10, 0)).toBeUndefined();
  });
});

describe('drawSpreadSeconds', () => {
  it('spreads a drawn lobby over a window that grows with its size, within half the grace period', () => {
    expect(drawSpreadSeconds(30, 300_000)).toBe(5);
    expect(drawSpreadSeconds(50_000, 300_000)).toBe(50);
    expect(drawSpreadSeconds(200_000, 300_000)).toBe(150); // number 1 keeps half the grace to take the turn
    expect(drawSpreadSeconds(200_000, 10_000)).toBe(5);
    // Monotone in the number of people drawn.
    const sizes = [0, 1, 999, 1000, 1001, 10_000, 100_000, 1_000_000];
    const windows = sizes.map((n) => drawSpreadSeconds(n, 600_000));
    expect([...windows].sort((a, b) => a - b)).toEqual(windows);
  });
});

describe('measuredRatePerMinute', () => {
  it('measures admissions over the recent window only', () => {
    const samples = [
      { at: 0, admittedThrough: 0 },
      { at: 50_000, admittedThrough: 100 },
      { at: 80_000, admittedThrough: 400 },
      { at: 110_000, admittedThrough: 700 },
    ];
    expect(measuredRatePerMinute(samples, 110_000, 60_000)).toBe(600);
    expect(measuredRatePerMinute(samples.slice(0, 1), 0, 60_000)).toBe(0);
  });
});

describe('tuneRate', () => {
  const policy = { minPerMinute: 60, maxPerMinute: 6000, minRequests: 20 };
  it('cuts by 30% when the back end fails or slows down', () => {
    expect(tuneRate(1000, { requests: 100, slow: 0, errors: 2 }, policy)).toBe(700);
    expect(tuneRate(1000, { requests: 100, slow: 10, errors: 0 }, policy)).toBe(700);
  });
  it('raises by 5% when healthy, holds in between, and stays within bounds', () => {
    expect(tuneRate(1000, { requests: 100, slow: 0, errors: 0 }, policy)).toBe(1050);
    expect(tuneRate(1000, { requests: 100, slow: 3, errors: 0 }, policy)).toBe(1000);
    expect(tuneRate(6000, { requests: 100, slow: 0, errors: 0 }, policy)).toBe(6000);
    expect(tuneRate(70, { requests: 100, slow: 50, errors: 0 }, policy)).toBe(60);
  });
  it('does nothing without enough evidence', () => {
    expect(tuneRate(1000, { requests: 5, slow: 5, errors: 5 }, policy)).toBe(1000);
  });
});

describe('waves', () => {
  const plan = parseOpeningPlan({
    waves: [
      { id: 'age50s', opensAt: '2021-07-20T11:00:00Z', ages: [50, 59] },
      { id: 'day9', opensAt: '2021-08-09T11:00:00Z', birthDayDigits: [9] },
      { id: 'bad id!', opensAt: '2021-08-10T11:00:00Z' },
    ],
  })!;
  it('keeps only valid waves', () => {
    expect(plan.waves.map((w) => w.id)).toEqual(['age50s', 'day9']);
    expect(parseOpeningPlan({ waves: 'no' })).toBeUndefined();
  });
  it.each([
    ['ages as a string', { ages: '50-59' }],
    ['ages the wrong way round', { ages: [59, 50] }],
    ['ages with a fraction', { ages: [49.5, 59] }],
    ['one age', { ages: [50] }],
    ['digits out of range', { birthDayDigits: [10] }],
    ['digits as a number', { birthDayDigits: 9 }],
    ['no digits', { birthDayDigits: [] }],
    ['a share of zero', { share: 0 }],
    ['a share as text', { share: '2' }],
    ['an opening that is no date', { opensAt: 'tonight' }],
  ])('leaves out a wave with %s rather than read it as "everyone"', (_, wrong) => {
    const good = { id: 'good', opensAt: '2021-07-20T11:00:00Z', ages: [60, 64] };
    const bad = { id: 'bad', opensAt: '2021-07-20T11:00:00Z', ...wrong };
    expect(parseOpeningPlan({ waves: [bad, good] })?.waves.map((w) => w.id)).toEqual(['good']);
  });
  it('puts people in the first wave whose cohort matches, counting age on the opening day', () => {
    expect(waveFor(plan, '1971-07-20')?.id).toBe('age50s'); // 50 that day
    expect(waveFor(plan, '1971-07-21')).toBeUndefined(); // still 49 that day, and born on a 1
    expect(waveFor(plan, '1990-03-19')?.id).toBe('day9');
    expect(waveFor(plan, '1990-03-18')).toBeUndefined();
  });
});

describe('splitRate', () => {
  it('splits by share between queues with people waiting', () => {
    const rates = splitRate(900, [
      { queueId: 'a', share: 2, waiting: 10 },
      { queueId: 'b', waiting: 5 },
      { queueId: 'c', share: 5, waiting: 0 },
    ]);
    expect(Object.fromEntries(rates)).toEqual({ a: 600, b: 300, c: 0 });
  });
});

describe('isRoomActive', () => {
  const base = { now: 10_000_000, openings: [], leadMs: 3_600_000, waiting: 0, busyUntil: 0 };
  it('follows the mode', () => {
    expect(isRoomActive('off', { ...base, waiting: 9 })).toBe(false);
    expect(isRoomActive('always', base)).toBe(true);
    expect(isRoomActive('auto', base)).toBe(false);
    expect(isRoomActive('auto', { ...base, busyUntil: base.now + 1 })).toBe(true);
  });
  it('scheduled: on from the lead time before an opening, and while anyone waits after it', () => {
    const opensAt = base.now + 1_000_000;
    expect(isRoomActive('scheduled', { ...base, openings: [opensAt + 3_600_000] })).toBe(false);
    expect(isRoomActive('scheduled', { ...base, openings: [opensAt] })).toBe(true);
    const later = opensAt + 2 * 3_600_000;
    expect(isRoomActive('scheduled', { ...base, now: later, openings: [opensAt] })).toBe(false);
    expect(isRoomActive('scheduled', { ...base, now: later, openings: [opensAt], waiting: 3 })).toBe(true);
  });
});
