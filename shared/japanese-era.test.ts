import { describe, expect, it } from 'vitest';
import { eraOf, readNumber, toBirthDate, westernYear, type BirthDateParts } from './japanese-era.js';

const parts = (system: BirthDateParts['system'], year: string, month: string, day: string): BirthDateParts => ({
  system,
  year,
  month,
  day,
});

describe('westernYear', () => {
  it.each([
    ['meiji', 45, 1912],
    ['taisho', 1, 1912],
    ['taisho', 15, 1926],
    ['showa', 1, 1926],
    ['showa', 25, 1950],
    ['showa', 64, 1989],
    ['heisei', 1, 1989],
    ['heisei', 31, 2019],
    ['reiwa', 1, 2019],
  ] as const)('%s %i is %i', (era, year, western) => {
    expect(westernYear(era, year)).toBe(western);
  });
});

describe('toBirthDate', () => {
  it('reads each era, including the first and last days of an era', () => {
    expect(toBirthDate(parts('showa', '25', '4', '1'))).toEqual({ ok: true, date: '1950-04-01' });
    expect(toBirthDate(parts('taisho', '15', '12', '24'))).toEqual({ ok: true, date: '1926-12-24' });
    expect(toBirthDate(parts('showa', '1', '12', '25'))).toEqual({ ok: true, date: '1926-12-25' });
    expect(toBirthDate(parts('showa', '64', '1', '7'))).toEqual({ ok: true, date: '1989-01-07' });
    expect(toBirthDate(parts('heisei', '1', '1', '8'))).toEqual({ ok: true, date: '1989-01-08' });
    expect(toBirthDate(parts('heisei', '31', '4', '30'))).toEqual({ ok: true, date: '2019-04-30' });
    expect(toBirthDate(parts('reiwa', '元', '5', '1'))).toEqual({ ok: true, date: '2019-05-01' });
    expect(toBirthDate(parts('meiji', '45', '7', '29'))).toEqual({ ok: true, date: '1912-07-29' });
  });

  it('refuses a date the chosen era never had', () => {
    expect(toBirthDate(parts('showa', '64', '1', '8'))).toEqual({ ok: false, reason: 'outside-era' });
    expect(toBirthDate(parts('showa', '1', '12', '24'))).toEqual({ ok: false, reason: 'outside-era' });
    expect(toBirthDate(parts('heisei', '31', '5', '1'))).toEqual({ ok: false, reason: 'outside-era' });
    expect(toBirthDate(parts('taisho', '0', '1', '1'))).toEqual({ ok: false, reason: 'outside-era' });
  });

  it('takes Western years, full-width digits and spaces', () => {
    expect(toBirthDate(parts('western', '1950', '4', '1'))).toEqual({ ok: true, date: '1950-04-01' });
    expect(toBirthDate(parts('western', '１９５０', ' ４ ', '０１'))).toEqual({ ok: true, date: '1950-04-01' });
  });

  it('says what is wrong: missing, not a number, or no such day', () => {
    expect(toBirthDate(parts('western', '', '4', '1'))).toEqual({ ok: false, reason: 'missing' });
    expect(toBirthDate(parts('western', '1950', 'four', '1'))).toEqual({ ok: false, reason: 'not-a-number' });
    expect(toBirthDate(parts('western', '1950', '2', '29'))).toEqual({ ok: false, reason: 'no-such-date' });
    expect(toBirthDate(parts('western', '1952', '2', '29'))).toEqual({ ok: true, date: '1952-02-29' });
    expect(toBirthDate(parts('western', '1950', '13', '1'))).toEqual({ ok: false, reason: 'no-such-date' });
    expect(toBirthDate(parts('western', '1800', '1', '1'))).toEqual({ ok: false, reason: 'no-such-date' });
  });
});

describe('eraOf and readNumber', () => {
  it('names the era of a date, switching on the first day', () => {
    expect(eraOf('1950-04-01')).toMatchObject({ era: { id: 'showa' }, year: 25 });
    expect(eraOf('1989-01-07')).toMatchObject({ era: { id: 'showa' }, year: 64 });
    expect(eraOf('1989-01-08')).toMatchObject({ era: { id: 'heisei' }, year: 1 });
    expect(eraOf('2019-05-01')).toMatchObject({ era: { id: 'reiwa' }, year: 1 });
    expect(eraOf('1868-01-01')).toBeUndefined();
  });

  it('reads 元 as 1 and nothing else that is not a number', () => {
    expect(readNumber('元')).toBe(1);
    expect(readNumber('２５')).toBe(25);
    expect(readNumber('2x')).toBeUndefined();
    expect(readNumber('12345')).toBeUndefined();
  });
});
