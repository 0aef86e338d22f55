import { describe, expect, it } from 'vitest';
import { isVoucherNumber, normaliseVoucherNumber, parseVoucherCode } from './voucher.js';

describe('isVoucherNumber', () => {
  it('is exactly ten ASCII digits, leading zeros included', () => {
    expect(isVoucherNumber('1000000001')).toBe(true);
    expect(isVoucherNumber('0000000001')).toBe(true);
    for (const value of ['', '100000000', '10000000011', '100000000a', '1000 00001', '１０００００００01']) {
      expect(isVoucherNumber(value), value).toBe(false);
    }
  });
});

describe('normaliseVoucherNumber', () => {
  it('drops the spaces and hyphens of a number copied from paper and folds full width', () => {
    const spellings = [
      '1000000001',
      '1000 0000 01',
      '1000-0000-01',
      '1000\u30000000\u300001',
      '１０００－００００－０１',
      '1000ー0000ー01',
      '\t1000000001\n',
    ];
    for (const spelling of spellings) expect(normaliseVoucherNumber(spelling), spelling).toBe('1000000001');
  });

  it('leaves other characters for the caller to refuse', () => {
    expect(isVoucherNumber(normaliseVoucherNumber('1000.0000.01'))).toBe(false);
    expect(isVoucherNumber(normaliseVoucherNumber('100000000O'))).toBe(false);
  });
});

describe('parseVoucherCode', () => {
  it('splits the 18 digits: ticket kind, dose count, municipality code, voucher number', () => {
    expect(parseVoucherCode('121310161000000001')).toEqual({
      ticketKind: 1,
      doseCount: 2,
      municipalityCode: '131016',
      voucherNumber: '1000000001',
    });
    expect(parseVoucherCode('300110020000000042')).toEqual({
      ticketKind: 3,
      doseCount: 0,
      municipalityCode: '011002',
      voucherNumber: '0000000042',
    });
  });

  it('reads an OCR line with grouping and full-width digits', () => {
    expect(parseVoucherCode('1 2 131016 1000-0000-01')?.voucherNumber).toBe('1000000001');
    expect(parseVoucherCode('１２１３１０１６１０００００００01')?.municipalityCode).toBe('131016');
  });

  it('refuses a municipality code whose check digit is wrong', () => {
    expect(parseVoucherCode('121310151000000001')).toBeUndefined();
    expect(parseVoucherCode('121310171000000001')).toBeUndefined();
  });

  it('refuses anything but 18 digits', () => {
    for (const value of ['', '12131016100000000', '1213101610000000011', '12131016100000000a', '12131016100000000１x']) {
      expect(parseVoucherCode(value), value).toBeUndefined();
    }
  });
});
