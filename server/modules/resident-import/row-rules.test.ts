import { describe, expect, it } from 'vitest';
import { detectMapping, fieldOfHeader, missingRequired } from './columns.js';
import { readDate, readRow, type Cell } from './row-rules.js';
import type { ImportField } from './columns.js';

const context = {
  municipalityCode: '131016',
  today: '2026-12-01',
  vaccines: {
    pfizer: { nameJa: 'ファイザー(コミナティ)', nameEn: 'Pfizer/BioNTech (Comirnaty)' },
    moderna: { nameJa: 'モデルナ', nameEn: 'Moderna' },
  },
};

function row(values: Partial<Record<ImportField, Cell>>) {
  return readRow(new Map(Object.entries(values) as [ImportField, Cell][]), context);
}

const good = { voucherNumber: '0123456789', birthDate: '1950-04-01', nameKanji: '山田 太郎', nameKana: 'ヤマダ タロウ', sex: '男' };

describe('readDate', () => {
  it.each([
    ['1950-04-01', '1950-04-01'],
    ['1950/4/1', '1950-04-01'],
    ['19500401', '1950-04-01'],
    ['１９５０年４月１日', '1950-04-01'],
    ['昭和25年4月1日', '1950-04-01'],
    ['S25.4.1', '1950-04-01'],
    ['s25/04/01', '1950-04-01'],
    ['平成元年1月8日', '1989-01-08'],
    ['R1.5.1', '2019-05-01'],
  ])('reads %s', (text, date) => expect(readDate(text)).toEqual({ ok: true, date }));

  it.each([
    ['2023-02-30', 'no-such-date'],
    ['昭和64年2月1日', 'no-such-date'],
    ['平成元年1月7日', 'no-such-date'],
    ['April 1', 'format'],
    ['', 'required'],
  ])('refuses %s', (text, rule) => expect(readDate(text)).toEqual({ ok: false, rule }));

  it('takes a date cell of an .xlsx as the day it shows', () => {
    expect(readDate(new Date(Date.UTC(1948, 10, 3)))).toEqual({ ok: true, date: '1948-11-03' });
  });
});

describe('readRow', () => {
  it('normalises what municipal files hold: half-width kana, full-width digits, hyphens, 18-digit voucher codes', () => {
    const result = row({
      ...good,
      voucherNumber: '11131016' + '0123456789',
      nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ',
      postcode: '〒１００００01',
      phone: '090-1234-5678',
    });
    expect(result).toMatchObject({
      ok: true,
      resident: {
        voucherNumber: '0123456789',
        nameKana: 'ヤマダ タロウ',
        nameKanaKey: 'ヤマダタロ',
        postcode: '100-0001',
        phone: '09012345678',
      },
    });
  });

  it('lists every problem of a row at once', () => {
    const result = row({
      voucherNumber: '123',
      birthDate: '2030-01-01',
      nameKanji: '',
      nameKana: 'Yamada',
      sex: '?',
      postcode: '12',
      phone: '12',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'voucherNumber:digits',
      'birthDate:in-future',
      'nameKanji:required',
      'nameKana:not-kana',
      'sex:format',
      'postcode:format',
      'phone:format',
    ]);
  });

  it('refuses a voucher code of another municipality', () => {
    const result = row({ ...good, voucherNumber: '110110020123456789' });
    expect(result).toMatchObject({ ok: false, problems: [{ field: 'voucherNumber', rule: 'other-municipality' }] });
  });

  it('reads doses with the municipality’s vaccines by id or name, in order', () => {
    const ok = row({
      ...good,
      'dose1.date': '2021-06-01',
      'dose1.vaccine': 'ファイザー',
      'dose2.date': 'R3.7.1',
      'dose2.vaccine': 'Moderna',
    });
    expect(ok).toMatchObject({
      ok: true,
      resident: {
        doses: [
          { dose: 1, date: '2021-06-01', vaccine: 'pfizer' },
          { dose: 2, date: '2021-07-01', vaccine: 'moderna' },
        ],
      },
    });
    const gap = row({ ...good, 'dose2.date': '2021-06-01', 'dose2.vaccine': 'pfizer' });
    expect(gap).toMatchObject({ ok: false, problems: [{ field: 'dose2.date', rule: 'dose-order' }] });
    const unknown = row({ ...good, 'dose1.date': '2021-06-01', 'dose1.vaccine': 'sputnik' });
    expect(unknown).toMatchObject({ ok: false, problems: [{ field: 'dose1.vaccine', rule: 'unknown-vaccine' }] });
  });
});

describe('columns', () => {
  it('finds fields by Japanese or English header, however written', () => {
    expect(
      ['券番号', 'Voucher Number', 'voucher_number', '生年月日', 'Date of birth', 'ﾌﾘｶﾞﾅ', '２回目接種日', 'Dose 3 vaccine'].map(
        fieldOfHeader,
      ),
    ).toEqual(['voucherNumber', 'voucherNumber', 'voucherNumber', 'birthDate', 'birthDate', 'nameKana', 'dose2.date', 'dose3.vaccine']);
  });

  it('prefers what the municipality confirmed last time, and says what is missing', () => {
    const headers = ['番号', '氏名', 'カナ', '誕生日', '性別'];
    const mapping = detectMapping(headers, { voucherNumber: '番号', nameKana: 'ないヘッダ' });
    expect(mapping).toEqual({ voucherNumber: '番号', nameKanji: '氏名', nameKana: 'カナ', birthDate: '誕生日', sex: '性別' });
    expect(missingRequired(detectMapping(['氏名']))).toEqual(['voucherNumber', 'birthDate', 'nameKana', 'sex']);
  });
});
