import { toBirthDate, type EraId } from '../../../shared/japanese-era.js';
import { normaliseKana, normaliseVoucherNumber, parseVoucherCode } from '../residents/index.js';
import { MAX_IMPORTED_DOSES, type ImportField } from './columns.js';

/** A cell as the file readers give it: text, or a date an .xlsx stored as one. */
export type Cell = string | Date | undefined;

export interface ImportedDose {
  dose: number;
  date: string;
  vaccine: string;
}

export interface ImportedResident {
  voucherNumber: string;
  birthDate: string;
  nameKanji: string;
  nameKana: string;
  nameKanaKey: string;
  sex: 'M' | 'F' | 'X';
  postcode: string | null;
  address: string | null;
  phone: string | null;
  doses: ImportedDose[];
}

/** What is wrong with one field of a row: `rule` is stable (the report translates it). */
export interface RowProblem {
  field: ImportField | 'row';
  rule:
    | 'required'
    | 'digits'
    | 'other-municipality'
    | 'no-such-date'
    | 'in-future'
    | 'format'
    | 'not-kana'
    | 'unknown-vaccine'
    | 'dose-order'
    | 'duplicate-voucher'
    | 'too-long';
}

export type RowResult = { ok: true; resident: ImportedResident } | { ok: false; voucherNumber: string | null; problems: RowProblem[] };

export interface RowContext {
  municipalityCode: string;
  /** Today in the municipality ('YYYY-MM-DD'): no birth or dose after it. */
  today: string;
  /** The municipality's vaccines: id → names people write. */
  vaccines: Record<string, { nameJa: string; nameEn: string }>;
}

const ERA_LETTERS: Record<string, EraId> = {
  明治: 'meiji',
  明: 'meiji',
  m: 'meiji',
  大正: 'taisho',
  大: 'taisho',
  t: 'taisho',
  昭和: 'showa',
  昭: 'showa',
  s: 'showa',
  平成: 'heisei',
  平: 'heisei',
  h: 'heisei',
  令和: 'reiwa',
  令: 'reiwa',
  r: 'reiwa',
};
const WESTERN = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const ERA = /^(明治|大正|昭和|平成|令和|[明大昭平令mtshr])(\d{1,2}|元)[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?$/;

function isoOfDate(value: Date): string {
  // exceljs gives a date cell as midnight UTC of the day it shows.
  return value.toISOString().slice(0, 10);
}

/** A date written the Western way (1950-04-01, 1950/4/1, 19500401, 1950年4月1日) or by era (昭和25年4月1日, S25.4.1, 令和元年5月1日). */
export function readDate(cell: Cell): { ok: true; date: string } | { ok: false; rule: 'required' | 'no-such-date' | 'format' } {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? { ok: false, rule: 'format' } : { ok: true, date: isoOfDate(cell) };
  const text = (cell ?? '').normalize('NFKC').replace(/\s/g, '').toLowerCase();
  if (!text) return { ok: false, rule: 'required' };
  const western = WESTERN.exec(text) ?? COMPACT.exec(text);
  const era = ERA.exec(text);
  const parts = western
    ? { system: 'western' as const, year: western[1]!, month: western[2]!, day: western[3]! }
    : era
      ? { system: ERA_LETTERS[era[1]!]!, year: era[2]!, month: era[3]!, day: era[4]! }
      : undefined;
  if (!parts) return { ok: false, rule: 'format' };
  const result = toBirthDate(parts);
  return result.ok ? { ok: true, date: result.date } : { ok: false, rule: result.reason === 'missing' ? 'required' : 'no-such-date' };
}

function text(cell: Cell): string {
  if (cell instanceof Date) return isoOfDate(cell);
  return (cell ?? '').normalize('NFKC').trim();
}

const SEXES: Record<string, 'M' | 'F' | 'X'> = {
  男: 'M',
  男性: 'M',
  m: 'M',
  male: 'M',
  '1': 'M',
  女: 'F',
  女性: 'F',
  f: 'F',
  female: 'F',
  '2': 'F',
  その他: 'X',
  x: 'X',
  other: 'X',
  '3': 'X',
  '9': 'X',
};
/** Katakana, hiragana (NFKC has made half-width kana full width), spaces and long-vowel marks. */
const KANA = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe\s・]+$/u;

function toKatakana(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\u3041-\u3096\u309d\u309e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/\s+/g, ' ')
    .trim();
}

function vaccineOf(cell: Cell, vaccines: RowContext['vaccines']): string | undefined {
  const wanted = text(cell).toLowerCase();
  if (!wanted) return undefined;
  for (const [id, names] of Object.entries(vaccines)) {
    const candidates = [id, names.nameJa, names.nameEn].map((n) => n.normalize('NFKC').toLowerCase());
    // "ファイザー" names ファイザー(コミナティ); "Pfizer" names Pfizer/BioNTech (Comirnaty).
    if (candidates.some((c) => c === wanted || c.startsWith(wanted) || c.split(/[(/ ]/)[0] === wanted)) return id;
  }
  return undefined;
}

const LIMITS: Partial<Record<ImportField, number>> = { nameKanji: 100, nameKana: 100, address: 300 };

/** Checks one row of an import and turns it into a resident, or lists everything wrong with it. */
export function readRow(cells: ReadonlyMap<ImportField, Cell>, context: RowContext): RowResult {
  const problems: RowProblem[] = [];
  const get = (field: ImportField) => cells.get(field);
  for (const [field, limit] of Object.entries(LIMITS) as [ImportField, number][]) {
    if (text(get(field)).length > limit) problems.push({ field, rule: 'too-long' });
  }

  let voucherNumber = normaliseVoucherNumber(text(get('voucherNumber')));
  if (/^\d{18}$/.test(voucherNumber)) {
    // The 18 digits of the voucher's OCR line: kind, dose count, municipality code, number.
    const code = parseVoucherCode(voucherNumber);
    if (!code) problems.push({ field: 'voucherNumber', rule: 'digits' });
    else if (code.municipalityCode !== context.municipalityCode) problems.push({ field: 'voucherNumber', rule: 'other-municipality' });
    voucherNumber = code?.voucherNumber ?? voucherNumber;
  } else if (!voucherNumber) problems.push({ field: 'voucherNumber', rule: 'required' });
  else if (!/^\d{10}$/.test(voucherNumber)) problems.push({ field: 'voucherNumber', rule: 'digits' });

  const birth = readDate(get('birthDate'));
  if (!birth.ok) problems.push({ field: 'birthDate', rule: birth.rule });
  else if (birth.date > context.today) problems.push({ field: 'birthDate', rule: 'in-future' });

  const nameKanji = text(get('nameKanji')).replace(/\s+/g, ' ');
  if (!nameKanji) problems.push({ field: 'nameKanji', rule: 'required' });
  const nameKana = toKatakana(text(get('nameKana')));
  if (!nameKana) problems.push({ field: 'nameKana', rule: 'required' });
  else if (!KANA.test(nameKana)) problems.push({ field: 'nameKana', rule: 'not-kana' });

  const sexText = text(get('sex')).toLowerCase();
  const sex = SEXES[sexText];
  if (!sexText) problems.push({ field: 'sex', rule: 'required' });
  else if (!sex) problems.push({ field: 'sex', rule: 'format' });

  const postcodeText = text(get('postcode')).replace(/[〒\s]/g, '');
  const postcodeMatch = /^(\d{3})-?(\d{4})$/.exec(postcodeText);
  if (postcodeText && !postcodeMatch) problems.push({ field: 'postcode', rule: 'format' });
  const phoneText = text(get('phone')).replace(/[\s\-‐()（）]/g, '');
  if (phoneText && !/^0\d{9,10}$/.test(phoneText)) problems.push({ field: 'phone', rule: 'format' });

  const doses: ImportedDose[] = [];
  for (let dose = 1; dose <= MAX_IMPORTED_DOSES; dose++) {
    const dateField = `dose${dose}.date` as const;
    const vaccineField = `dose${dose}.vaccine` as const;
    const dateCell = get(dateField);
    const vaccineCell = get(vaccineField);
    if (!text(dateCell) && !text(vaccineCell)) continue;
    const date = readDate(dateCell);
    if (!date.ok) problems.push({ field: dateField, rule: date.rule });
    else if (date.date > context.today) problems.push({ field: dateField, rule: 'in-future' });
    const vaccine = vaccineOf(vaccineCell, context.vaccines);
    if (!vaccine) problems.push({ field: vaccineField, rule: text(vaccineCell) ? 'unknown-vaccine' : 'required' });
    if (date.ok && vaccine) doses.push({ dose, date: date.date, vaccine });
  }
  // Doses are numbered in order: a second without a first, or a second before the first, is a typo.
  for (const [i, entry] of doses.entries()) {
    const previous = doses[i - 1];
    if (entry.dose !== i + 1 || (previous && previous.date > entry.date)) {
      problems.push({ field: `dose${entry.dose}.date`, rule: 'dose-order' });
      break;
    }
  }

  if (problems.length > 0 || !birth.ok || !sex) {
    return { ok: false, voucherNumber: /^\d{10}$/.test(voucherNumber) ? voucherNumber : null, problems };
  }
  return {
    ok: true,
    resident: {
      voucherNumber,
      birthDate: birth.date,
      nameKanji,
      nameKana,
      nameKanaKey: normaliseKana(nameKana),
      sex,
      postcode: postcodeMatch ? `${postcodeMatch[1]}-${postcodeMatch[2]}` : null,
      address: text(get('address')).replace(/\s+/g, ' ') || null,
      phone: phoneText || null,
      doses,
    },
  };
}
