import { describe, expect, it } from 'vitest';
import { readVoucherQr } from './voucher-qr.js';

describe('readVoucherQr', () => {
  const chiyoda = '131016';

  it('splits the 18 digits into kind, dose count, municipality and voucher number', () => {
    expect(readVoucherQr('1' + '3' + chiyoda + '1000000001', chiyoda)).toEqual({
      ok: true,
      ticketKind: '1',
      doseCount: 3,
      municipalityCode: chiyoda,
      voucherNumber: '1000000001',
    });
  });

  it('accepts full-width digits and spaces, as some scanners give them', () => {
    const reading = readVoucherQr('１２ １３１０１６ １０００ ０００ ００２', chiyoda);
    expect(reading).toMatchObject({ ok: true, voucherNumber: '1000000002', doseCount: 2 });
  });

  it("refuses another municipality's voucher, so the page can say so instead of filling a number that will fail", () => {
    expect(readVoucherQr('12' + '271004' + '1000000001', chiyoda)).toEqual({ ok: false, reason: 'other-municipality' });
  });

  it.each([
    ['too short', '12131016100000000'],
    ['too long', '1213101610000000012'],
    ['letters', '12131016100000000A'],
    ['a URL (the letter’s own QR)', 'https://yoyaku.example/m/131016'],
    ['empty', ''],
  ])('refuses %s', (_, raw) => {
    expect(readVoucherQr(raw, chiyoda)).toEqual({ ok: false, reason: 'not-a-voucher' });
  });
});
