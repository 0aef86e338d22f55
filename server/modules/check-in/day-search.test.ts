import { describe, expect, it } from 'vitest';
import { formatReservationNumber, generateReservationNumber } from '../reservations/index.js';
import { normaliseKana } from '../residents/index.js';
import { matchesDaySearch, readDaySearch, type Searchable } from './day-search.js';

const number = generateReservationNumber();
const row: Searchable = { number, voucherNumber: '0123456789', nameKanji: '佐藤 花子', nameKanaKey: normaliseKana('サトウ ハナコ') };

describe('readDaySearch', () => {
  it('reads a reservation number however it is typed', () => {
    const typed = formatReservationNumber(number).toLowerCase().replace('-', 'ー');
    expect(readDaySearch(` ${typed} `)).toEqual({ by: 'reservationNumber', number });
  });

  it('reads a voucher number, grouped or in full width, and the 18 digits of its QR code', () => {
    expect(readDaySearch('0123-456-789')).toEqual({ by: 'voucherNumber', voucherNumber: '0123456789' });
    expect(readDaySearch('０１２３４５６７８９')).toEqual({ by: 'voucherNumber', voucherNumber: '0123456789' });
    expect(readDaySearch('11' + '131016' + '0123456789')).toEqual({ by: 'voucherNumber', voucherNumber: '0123456789' });
  });

  it('reads anything else as part of a name, and nothing as no search', () => {
    expect(readDaySearch('  ')).toBeUndefined();
    expect(readDaySearch('さとー')).toMatchObject({ by: 'name', kanaKey: normaliseKana('サトウ') });
    expect(readDaySearch('佐藤')).toEqual({ by: 'name', kanji: '佐藤', kanaKey: '' });
  });
});

describe('matchesDaySearch', () => {
  const matches = (typed: string) => matchesDaySearch(row, readDaySearch(typed)!);

  it('finds by the whole number only', () => {
    expect(matches(formatReservationNumber(number))).toBe(true);
    expect(matches('0123456789')).toBe(true);
    expect(matches('0123456788')).toBe(false);
  });

  it('finds by any part of the name, in kanji (spaces ignored) or in kana as the call centre folds it', () => {
    for (const typed of ['佐藤', '佐藤花子', '花子', 'さとう', 'ｻﾄｰ ﾊﾅｺ', 'はなこ']) expect(matches(typed), typed).toBe(true);
    for (const typed of ['鈴木', 'すずき', 'Sato']) expect(matches(typed), typed).toBe(false);
  });
});
