/**
 * Calendar dates as 'YYYY-MM-DD' strings. Arithmetic is done in UTC on the date alone, so the
 * server's own time zone never shifts a birth date or a dose date by a day.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Adds calendar months; the 31st plus one month is the last day of the next month. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return fromUtc(target);
}

/** Completed years of age on a date (a person born on 29 Feb turns a year older on 1 Mar). */
export function ageOn(birthDate: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

// Building an Intl.DateTimeFormat is costly (it showed in the booking profile): keep one per use and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: () => Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(key.startsWith('date:') ? 'en-CA' : 'en-US', options());
    formatters.set(key, format);
  }
  return format;
}

/** The calendar date of an instant in a time zone (formatting only; never parse with Intl). */
export function localDate(instant: Date, timeZone: string): IsoDate {
  const parts = formatter(`date:${timeZone}`, () => ({ timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(
    instant,
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which a local wall-clock time occurs in a time zone. Around a DST change it
 * answers like Temporal's 'compatible': a time that occurred twice is the first of the two, and a
 * time the clocks skipped is moved forward by the gap (02:30 → 03:30), never back before it.
 */
export function zonedTimeToUtc(date: IsoDate, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // The offsets a day either side: equal (always in Tokyo and Seoul) unless a transition is near.
  const before = zoneOffsetMs(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(wall + DAY_MS), timeZone);
  if (before === after) return new Date(wall - before);
  const readsBack = (instant: number) => instant + zoneOffsetMs(new Date(instant), timeZone) === wall;
  const earliest = [wall - before, wall - after].filter(readsBack).sort((a, b) => a - b)[0];
  return new Date(earliest ?? wall - before);
}

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = formatter(`offset:${timeZone}`, () => ({
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
