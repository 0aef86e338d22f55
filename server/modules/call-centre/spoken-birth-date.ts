import type { IsoDate } from '../../../shared/dates.js';
import { ERAS, toBirthDate, type YearSystem } from '../../../shared/japanese-era.js';

/** The letters operators type for an era (S25.4.1 is 昭和25年4月1日), and the era names in kanji. */
const ERA_BY_PREFIX = new Map<string, YearSystem>([
  ['M', 'meiji'],
  ['T', 'taisho'],
  ['S', 'showa'],
  ['H', 'heisei'],
  ['R', 'reiwa'],
  ...ERAS.map((era) => [era.nameJa, era.id] as [string, YearSystem]),
]);

/**
 * A birth date as a caller says it and an operator types it, to a calendar date:
 * 昭和25年4月1日, 昭和元年12月25日, S25.4.1, s25/4/1, Ｓ２５．４．１, 1950-04-01, 1950/4/1,
 * 1950年4月1日, 19500401. Undefined when it is not a date (or not one inside its era): the
 * operator then asks again, rather than the search guessing.
 */
export function parseSpokenBirthDate(typed: string): IsoDate | undefined {
  const text = typed.normalize('NFKC').trim().toUpperCase().replace(/\s+/g, '');
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return dateOf('western', compact[1]!, compact[2]!, compact[3]!);
  const match = /^(明治|大正|昭和|平成|令和|[MTSHR])?\.?(\d{1,4}|元)[年./-](\d{1,2})[月./-](\d{1,2})日?$/.exec(text);
  if (!match) return undefined;
  const [, era, year, month, day] = match;
  if (era === undefined) return year!.length === 4 ? dateOf('western', year!, month!, day!) : undefined;
  return dateOf(ERA_BY_PREFIX.get(era)!, year!, month!, day!);
}

function dateOf(system: YearSystem, year: string, month: string, day: string): IsoDate | undefined {
  const result = toBirthDate({ system, year, month, day });
  return result.ok ? result.date : undefined;
}
