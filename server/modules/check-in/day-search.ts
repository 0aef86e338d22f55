import { normaliseReservationNumber } from '../reservations/index.js';
import { normaliseKana, normaliseVoucherNumber, parseVoucherCode } from '../residents/index.js';

/** What venue staff typed or scanned into the one search box, read as the thing it can only be. */
export type DaySearch =
  | { by: 'reservationNumber'; number: string }
  | { by: 'voucherNumber'; voucherNumber: string }
  | { by: 'name'; kanji: string; kanaKey: string };

const KATAKANA_KEY = /^[\u30a1-\u30fa\u30fd\u30fe]+$/;
const spaceless = (value: string) => value.normalize('NFKC').replace(/\s/g, '');

/**
 * A reservation number (its check character must agree), a voucher number (10 digits) or the 18
 * digits of the voucher's QR code, or else a part of the name in kanji or kana, folded the way the
 * call centre folds it (width, hiragana/katakana, small kana, long vowels). Undefined: nothing typed.
 */
export function readDaySearch(input: string): DaySearch | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const number = normaliseReservationNumber(text);
  if (number) return { by: 'reservationNumber', number };
  const qr = parseVoucherCode(text);
  if (qr) return { by: 'voucherNumber', voucherNumber: qr.voucherNumber };
  const digits = normaliseVoucherNumber(text);
  if (/^\d{10}$/.test(digits)) return { by: 'voucherNumber', voucherNumber: digits };
  const kana = normaliseKana(text);
  return { by: 'name', kanji: spaceless(text), kanaKey: KATAKANA_KEY.test(kana) ? kana : '' };
}

export interface Searchable {
  number: string;
  voucherNumber: string;
  nameKanji: string;
  /** The resident's stored kana key (residents.name_kana_key, folded by normaliseKana). */
  nameKanaKey: string;
}

/** Whether a row of the day's list is what was searched for: the whole number, or any part of the name. */
export function matchesDaySearch(row: Searchable, search: DaySearch): boolean {
  switch (search.by) {
    case 'reservationNumber':
      return row.number === search.number;
    case 'voucherNumber':
      return row.voucherNumber === search.voucherNumber;
    case 'name':
      return (
        (search.kanji !== '' && spaceless(row.nameKanji).includes(search.kanji)) ||
        (search.kanaKey !== '' && row.nameKanaKey.includes(search.kanaKey))
      );
  }
}
