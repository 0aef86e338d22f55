import { isIsoDate, type IsoDate } from './dates.js';

/**
 * Japanese eras (和暦). Many elderly residents know their birth date as 昭和25年4月1日, so the
 * birth-date field accepts an era and its year and always echoes the Western date back.
 * First days are the Gregorian dates each era began (Meiji counted from its proclamation).
 */
export const ERAS = [
  { id: 'meiji', nameJa: '明治', nameEn: 'Meiji', firstDay: '1868-10-23' },
  { id: 'taisho', nameJa: '大正', nameEn: 'Taishō', firstDay: '1912-07-30' },
  { id: 'showa', nameJa: '昭和', nameEn: 'Shōwa', firstDay: '1926-12-25' },
  { id: 'heisei', nameJa: '平成', nameEn: 'Heisei', firstDay: '1989-01-08' },
  { id: 'reiwa', nameJa: '令和', nameEn: 'Reiwa', firstDay: '2019-05-01' },
] as const;

export type EraId = (typeof ERAS)[number]['id'];
/** 'western' means the year is a Western (Gregorian) year. */
export type YearSystem = 'western' | EraId;

export type BirthDateParts = { system: YearSystem; year: string; month: string; day: string };

export type BirthDateResult =
  { ok: true; date: IsoDate } | { ok: false; reason: 'missing' | 'not-a-number' | 'no-such-date' | 'outside-era' };

/** Reads a typed number: full-width digits are fine, and 元 (the first year of an era) is 1. */
export function readNumber(text: string): number | undefined {
  const value = text.normalize('NFKC').trim();
  if (value === '元') return 1;
  if (!/^\d{1,4}$/.test(value)) return undefined;
  return Number(value);
}

/** The Western year of year `eraYear` of an era (e.g. 昭和25年 → 1950). */
export function westernYear(era: EraId, eraYear: number): number {
  const first = ERAS.find((e) => e.id === era)!;
  return Number(first.firstDay.slice(0, 4)) + eraYear - 1;
}

/** The era a date falls in (for echoing 1950-04-01 as 昭和25年). */
export function eraOf(date: IsoDate): { era: (typeof ERAS)[number]; year: number } | undefined {
  const era = [...ERAS].reverse().find((e) => date >= e.firstDay);
  if (!era) return undefined;
  return { era, year: Number(date.slice(0, 4)) - Number(era.firstDay.slice(0, 4)) + 1 };
}

/** Turns the three fields (and the chosen year system) into a date, or says what is wrong. */
export function toBirthDate(parts: BirthDateParts): BirthDateResult {
  if (!parts.year.trim() || !parts.month.trim() || !parts.day.trim()) return { ok: false, reason: 'missing' };
  const year = readNumber(parts.year);
  const month = readNumber(parts.month);
  const day = readNumber(parts.day);
  if (year === undefined || month === undefined || day === undefined) return { ok: false, reason: 'not-a-number' };
  if (parts.system !== 'western' && year === 0) return { ok: false, reason: 'outside-era' };
  const western = parts.system === 'western' ? year : westernYear(parts.system, year);
  const date = `${String(western).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (western < 1868 || !isIsoDate(date)) return { ok: false, reason: 'no-such-date' };
  if (parts.system !== 'western') {
    const index = ERAS.findIndex((e) => e.id === parts.system);
    const next = ERAS[index + 1];
    if (date < ERAS[index]!.firstDay || (next && date >= next.firstDay)) return { ok: false, reason: 'outside-era' };
  }
  return { ok: true, date };
}
