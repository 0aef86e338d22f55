import { describe, expect, it } from 'vitest';
import { dailyTotals, totals, venueFills, windowDays } from './dashboard-rules.js';

describe('the dashboard window', () => {
  it('is 14 days from today, across a month end', () => {
    const days = windowDays('2026-01-25');
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2026-01-25');
    expect(days[7]).toBe('2026-02-01');
    expect(days[13]).toBe('2026-02-07');
  });
});

describe('fill rates', () => {
  const days = ['2026-05-01', '2026-05-02', '2026-05-03'];
  const rows = [
    { venue_id: 1, day: '2026-05-01', capacity: 10, taken: 5 },
    { venue_id: 2, day: '2026-05-01', capacity: 30, taken: 30 },
    { venue_id: 1, day: '2026-05-03', capacity: 20, taken: 1 },
  ];

  it('lists every day of every venue, a day without slots as empty with no rate', () => {
    const fills = venueFills([1, 2], days, rows);
    expect(fills.map((f) => f.venueId)).toEqual([1, 2]);
    expect(fills[0]!.days).toEqual([
      { date: '2026-05-01', capacity: 10, taken: 5, free: 5, fillRate: 0.5 },
      { date: '2026-05-02', capacity: 0, taken: 0, free: 0, fillRate: null },
      { date: '2026-05-03', capacity: 20, taken: 1, free: 19, fillRate: 0.05 },
    ]);
    expect(fills[1]!.days[0]).toMatchObject({ free: 0, fillRate: 1 });
  });

  it('adds the venues up per day', () => {
    expect(dailyTotals(days, rows).map((d) => [d.capacity, d.taken, d.free])).toEqual([
      [40, 35, 5],
      [0, 0, 0],
      [20, 1, 19],
    ]);
  });
});

describe('totals', () => {
  it('take the holds out of the places used, of which doses given and missed are part', () => {
    expect(totals({ taken: 140, held: 4, made_today: 7, cancelled: 9, attended: 30, no_show: 10 })).toEqual({
      bookings: 136,
      bookingsToday: 7,
      active: 96,
      holds: 4,
      cancelled: 9,
      attended: 30,
      noShows: 10,
      noShowRate: 0.25,
    });
  });

  it('have no no-show rate before anyone was due', () => {
    expect(totals({ taken: 0, held: 0, made_today: 0, cancelled: 0, attended: 0, no_show: 0 }).noShowRate).toBeNull();
  });
});
