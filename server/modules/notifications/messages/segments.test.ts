import { describe, expect, it } from 'vitest';
import { countSegments, preferGsm } from './segments.js';

describe('SMS segments', () => {
  it('counts GSM-7 texts: 160 septets in one segment, 153 a segment beyond', () => {
    expect(countSegments('')).toEqual({ encoding: 'gsm7', segments: 1, units: 0 });
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'gsm7', segments: 1, units: 160 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'gsm7', segments: 2, units: 161 });
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSegments('Your code is 123456. @yoyaku.example #123456').encoding).toBe('gsm7');
    // Accented letters of the default alphabet stay GSM-7.
    expect(countSegments('Évora à Müller Ñandù ¿qué? £5 ¥9 @ÅØ').encoding).toBe('gsm7');
  });

  it('counts the extension table as two septets and never splits one between segments', () => {
    expect(countSegments('€').units).toBe(2);
    expect(countSegments('[]{}~^|\\€').units).toBe(18);
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'gsm7', segments: 1, units: 160 });
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
    // 152 septets, then a two-septet character: it goes whole into the second segment.
    expect(countSegments('a'.repeat(152) + '€' + 'a'.repeat(10)).segments).toBe(2);
    expect(countSegments('a'.repeat(152) + '€' + 'a'.repeat(152)).segments).toBe(3);
  });

  it('counts UCS-2 texts: 70 units in one segment, 67 a segment beyond', () => {
    expect(countSegments('あ'.repeat(70))).toEqual({ encoding: 'ucs2', segments: 1, units: 70 });
    expect(countSegments('あ'.repeat(71))).toEqual({ encoding: 'ucs2', segments: 2, units: 71 });
    expect(countSegments('あ'.repeat(134)).segments).toBe(2);
    expect(countSegments('あ'.repeat(135)).segments).toBe(3);
    // One character outside GSM-7 makes the whole text UCS-2.
    expect(countSegments('a'.repeat(100) + 'ç').encoding).toBe('ucs2'); // ç (lower case) is not in GSM-7
    expect(countSegments('Hello ’world’').encoding).toBe('ucs2');
  });

  it('counts a character outside the BMP as two units and keeps its pair together', () => {
    expect(countSegments('😀').units).toBe(2);
    expect(countSegments('😀'.repeat(35)).segments).toBe(1);
    expect(countSegments('あ'.repeat(66) + '😀' + 'あ').segments).toBe(1); // 69 units
    // 71 units: the emoji cannot join the first 66 (68 > 67), so it starts the second segment.
    expect(countSegments('あ'.repeat(66) + '😀' + 'あ'.repeat(3))).toEqual({ encoding: 'ucs2', segments: 2, units: 71 });
    expect(countSegments('あ'.repeat(66) + '😀'.repeat(34)).segments).toBe(3); // 66 | 33 pairs | 1 pair
  });

  it('counts the languages of the site', () => {
    for (const [text, encoding] of [
      ['予約が確定しました', 'ucs2'],
      ['预约已确认', 'ucs2'],
      ['예약이 확정되었습니다', 'ucs2'],
      ['Đặt lịch đã được xác nhận', 'ucs2'],
      ['Sua reserva está confirmada', 'ucs2'], // á is not in GSM-7
      ['Your booking is confirmed', 'gsm7'],
      ['Ihre Buchung ist bestätigt', 'gsm7'], // ä is
    ] as const) {
      expect(countSegments(text).encoding, text).toBe(encoding);
    }
  });

  it('replaces look-alike punctuation in a Latin text so that it stays GSM-7', () => {
    expect(preferGsm('It’s – “booked”…')).toBe('It\'s - "booked"...');
    expect(countSegments(preferGsm('It’s booked')).encoding).toBe('gsm7');
    // A Japanese text keeps its own punctuation: it is UCS-2 anyway.
    expect(preferGsm('予約“確定”')).toBe('予約“確定”');
  });
});
