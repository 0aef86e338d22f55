import { describe, expect, it } from 'vitest';
import { isValidMunicipalityCode, municipalityCheckDigit } from './municipality-code.js';

describe('municipalityCheckDigit', () => {
  it('weights digits 1–5 by 6,5,4,3,2 and takes the last digit of 11 − (sum mod 11)', () => {
    // Chiyoda 13101: 6 + 15 + 4 + 0 + 2 = 27, 27 mod 11 = 5, 11 − 5 = 6.
    expect(municipalityCheckDigit('13101')).toBe(6);
    // Sapporo 01100: 0 + 5 + 4 + 0 + 0 = 9, 11 − 9 = 2.
    expect(municipalityCheckDigit('01100')).toBe(2);
  });

  it('writes 11 and 10 as their last digit', () => {
    // Sum 0 → 11 → 1; sum 12 (remainder 1) → 10 → 0.
    expect(municipalityCheckDigit('00000')).toBe(1);
    expect(municipalityCheckDigit('20000')).toBe(0);
  });
});

describe('isValidMunicipalityCode', () => {
  it('accepts real codes', () => {
    for (const code of ['131016', '011002', '141003', '271004', '472018']) expect(isValidMunicipalityCode(code), code).toBe(true);
  });

  it('refuses Chiyoda with any other check digit', () => {
    for (let digit = 0; digit <= 9; digit++) {
      if (digit !== 6) expect(isValidMunicipalityCode(`13101${digit}`), `13101${digit}`).toBe(false);
    }
  });

  it('refuses anything that is not exactly six ASCII digits', () => {
    for (const code of ['', '13101', '1310160', '13101a', ' 131016', '131016 ', '１３１０１６', '13-1016']) {
      expect(isValidMunicipalityCode(code), code).toBe(false);
    }
  });
});
