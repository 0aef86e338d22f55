import { describe, expect, it } from 'vitest';
import { parseSpokenBirthDate } from './spoken-birth-date.js';

describe('parseSpokenBirthDate', () => {
  it('reads the era as callers say it and operators type it', () => {
    const said: [typed: string, date: string][] = [
      ['昭和25年4月1日', '1950-04-01'],
      ['昭和２５年４月１日', '1950-04-01'],
      ['S25.4.1', '1950-04-01'],
      ['s25/4/1', '1950-04-01'],
      ['Ｓ２５．４．１', '1950-04-01'],
      ['S 25 . 4 . 1', '1950-04-01'],
      ['平成元年1月8日', '1989-01-08'],
      ['H1.1.8', '1989-01-08'],
      ['大正15年12月24日', '1926-12-24'],
      ['昭和元年12月25日', '1926-12-25'],
      ['R1.5.1', '2019-05-01'],
      ['M45.7.29', '1912-07-29'],
    ];
    for (const [typed, date] of said) expect(parseSpokenBirthDate(typed), typed).toBe(date);
  });

  it('reads Western dates in the usual spellings', () => {
    for (const typed of ['1950-04-01', '1950/4/1', '1950.4.1', '1950年4月1日', '19500401', '１９５０－０４－０１']) {
      expect(parseSpokenBirthDate(typed), typed).toBe('1950-04-01');
    }
  });

  it('refuses what is not a date, or not one of its era, rather than guessing', () => {
    for (const typed of ['', 'S25', '25.4.1', '昭和65年1月1日', 'H31.5.1', '1950-02-30', 'S25.13.1', 'X25.4.1', '昭和二十五年']) {
      expect(parseSpokenBirthDate(typed), typed).toBeUndefined();
    }
  });
});
