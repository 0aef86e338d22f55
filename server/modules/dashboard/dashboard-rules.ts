import { addDays, type IsoDate } from '../../../shared/dates.js';
import type { CountsRow, SlotDayRow } from './dashboard.repository.js';

/** How far ahead the dashboard looks: today and the 13 days after it. */
export const DASHBOARD_DAYS = 14;

export interface DayFill {
  date: IsoDate;
  capacity: number;
  taken: number;
  free: number;
  /** taken / capacity, 0…1; null on a day without places. */
  fillRate: number | null;
}

export interface VenueFill {
  venueId: number;
  days: DayFill[];
}

export interface Totals {
  /** Every booking not cancelled: still to come, attended or missed. */
  bookings: number;
  bookingsToday: number;
  active: number;
  holds: number;
  cancelled: number;
  attended: number;
  noShows: number;
  /** no-shows / (attended + no-shows); null before anyone was due. */
  noShowRate: number | null;
}

/** The days of the window, starting today. */
export function windowDays(today: IsoDate, days = DASHBOARD_DAYS): IsoDate[] {
  return Array.from({ length: days }, (_, i) => addDays(today, i));
}

function fill(date: IsoDate, capacity: number, taken: number): DayFill {
  return { date, capacity, taken, free: Math.max(0, capacity - taken), fillRate: capacity > 0 ? taken / capacity : null };
}

/** Per venue, every day of the window (a day without slots is there with nothing), in venue order. */
export function venueFills(venueIds: number[], days: IsoDate[], rows: SlotDayRow[]): VenueFill[] {
  const byKey = new Map(rows.map((r) => [`${r.venue_id}/${r.day}`, r]));
  return venueIds.map((venueId) => ({
    venueId,
    days: days.map((date) => {
      const row = byKey.get(`${venueId}/${date}`);
      return fill(date, row?.capacity ?? 0, row?.taken ?? 0);
    }),
  }));
}

/** All venues together, per day: the free capacity of the next days. */
export function dailyTotals(days: IsoDate[], rows: SlotDayRow[]): DayFill[] {
  return days.map((date) => {
    const ofDay = rows.filter((r) => r.day === date);
    return fill(
      date,
      ofDay.reduce((sum, r) => sum + r.capacity, 0),
      ofDay.reduce((sum, r) => sum + r.taken, 0),
    );
  });
}

/**
 * `slots.taken` counts the places used: bookings still to come, attended and missed ones (check-in
 * leaves a used place counted), and live holds. Bookings are those places without the holds.
 */
export function totals(counts: CountsRow): Totals {
  const due = counts.attended + counts.no_show;
  const bookings = Math.max(0, counts.taken - counts.held);
  const active = Math.max(0, bookings - due);
  return {
    bookings,
    bookingsToday: counts.made_today,
    active,
    holds: counts.held,
    cancelled: counts.cancelled,
    attended: counts.attended,
    noShows: counts.no_show,
    noShowRate: due > 0 ? counts.no_show / due : null,
  };
}
