import { describe, expect, it } from 'vitest';
import { generateReservationNumber, RESERVATION_ALPHABET } from '../reservations/index.js';
import { readBack } from './read-back.js';

describe('readBack', () => {
  it('reads each character of the number with its reading, the halves split by a dash', () => {
    const parts = readBack('2ABZ9K7M');
    expect(parts.map((p) => p.character).join('')).toBe('2ABZ-9K7M');
    expect(parts[0]).toEqual({ character: '2', ja: 'に', en: 'two' });
    expect(parts[2]).toEqual({ character: 'B', ja: 'ビー（ボーイのビー）', en: 'B as in Bravo' });
    expect(parts[4]).toEqual({ character: '-', ja: 'ハイフン', en: 'dash' });
  });

  it('has a distinct reading for every character of the alphabet, in both languages', () => {
    const readings = [...RESERVATION_ALPHABET].map((ch) => readBack(`${ch}2345678`)[0]!);
    expect(new Set(readings.map((r) => r.ja)).size).toBe(RESERVATION_ALPHABET.length);
    expect(new Set(readings.map((r) => r.en)).size).toBe(RESERVATION_ALPHABET.length);
    for (const reading of readings) expect(reading.ja.length * reading.en.length).toBeGreaterThan(0);
  });

  it('reads any generated number in full', () => {
    for (let i = 0; i < 200; i++) expect(readBack(generateReservationNumber())).toHaveLength(9);
  });

  it('refuses a character that is not in the alphabet', () => {
    expect(() => readBack('0OIL2345')).toThrow(/not a reservation number character/);
  });
});
