import { describe, expect, it } from 'vitest';
import { dayFigures, type DayEntry } from './no-show-rate.js';

const now = new Date('2026-12-02T03:00:00Z');
const at = (iso: string) => new Date(iso);

describe('dayFigures', () => {
  it('has no rate before anyone was due', () => {
    expect(dayFigures([], now)).toEqual({ attended: 0, noShow: 0, expected: 0, overdue: 0, noShowRate: null });
    expect(dayFigures([{ status: 'booked', endsAt: at('2026-12-02T05:00:00Z') }], now).noShowRate).toBeNull();
  });

  it('divides the no-shows by everyone whose time came: attended, no-show, and booked past their time', () => {
    const entries: DayEntry[] = [
      { status: 'attended', endsAt: at('2026-12-02T01:00:00Z') },
      { status: 'attended', endsAt: at('2026-12-02T06:00:00Z') },
      { status: 'no_show', endsAt: at('2026-12-02T01:00:00Z') },
      { status: 'booked', endsAt: at('2026-12-02T02:30:00Z') },
      { status: 'booked', endsAt: at('2026-12-02T05:00:00Z') },
    ];
    expect(dayFigures(entries, now)).toEqual({ attended: 2, noShow: 1, expected: 1, overdue: 1, noShowRate: 1 / 4 });
  });

  it('counts a booking whose slot ends exactly now as due', () => {
    expect(dayFigures([{ status: 'booked', endsAt: now }], now)).toMatchObject({ overdue: 1, expected: 0, noShowRate: 0 });
  });
});
