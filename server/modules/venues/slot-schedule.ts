import { addDays, zonedTimeToUtc, type IsoDate } from '../../../shared/dates.js';

/**
 * A schedule template: a venue's opening pattern over a date range. Staff describe the pattern;
 * this pure function turns it into the slots to create.
 */
export interface ScheduleTemplate {
  from: IsoDate;
  to: IsoDate;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Local start times, 'HH:MM'. */
  times: string[];
  durationMinutes: number;
  capacity: number;
  /** Booking opens this many days before the slot's day at opensAtTime (local). */
  opensDaysBefore: number;
  opensAtTime: string;
  /** Booking closes this many days before the slot's day at closesAtTime (local), e.g. 2 days before at 17:00. */
  closesDaysBefore: number;
  closesAtTime: string;
  timeZone: string;
}

export interface PlannedSlot {
  startsAt: Date;
  durationMinutes: number;
  capacity: number;
  opensAt: Date;
  closesAt: Date;
}

function isoWeekday(date: IsoDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function planSlots(template: ScheduleTemplate): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  for (let date = template.from; date <= template.to; date = addDays(date, 1)) {
    if (!template.weekdays.includes(isoWeekday(date))) continue;
    const opensAt = zonedTimeToUtc(addDays(date, -template.opensDaysBefore), template.opensAtTime, template.timeZone);
    const closesAt = zonedTimeToUtc(addDays(date, -template.closesDaysBefore), template.closesAtTime, template.timeZone);
    // On the night clocks skip an hour, two wall times can fall on one instant; a venue has one slot per instant.
    const starts = new Set<number>();
    for (const time of [...template.times].sort()) {
      const startsAt = zonedTimeToUtc(date, time, template.timeZone);
      if (starts.has(startsAt.getTime())) continue;
      starts.add(startsAt.getTime());
      slots.push({
        startsAt,
        durationMinutes: template.durationMinutes,
        capacity: template.capacity,
        opensAt,
        closesAt,
      });
    }
  }
  return slots;
}

/** 'HH:MM' times from start (inclusive) to end (exclusive) every `stepMinutes`. */
export function timesBetween(start: string, end: string, stepMinutes: number): string[] {
  const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const times: string[] = [];
  for (let m = toMinutes(start); m < toMinutes(end); m += stepMinutes) {
    times.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  }
  return times;
}
