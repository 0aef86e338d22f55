import { afterEach, describe, expect, it } from 'vitest';
import { addDays, addMonths, ageOn, isIsoDate, localDate, zonedTimeToUtc } from './dates.js';

const processZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = processZone;
});

/**
 * Zones where local-midnight arithmetic classically breaks: +14 and −11 (the date differs from
 * UTC's most of the day) and São Paulo, whose clocks skipped midnight when DST began (2018-11-04).
 */
const awkwardProcessZones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Sao_Paulo', 'Asia/Tokyo'];

describe('isIsoDate', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2021-07-01')).toBe(true);
    expect(isIsoDate('2020-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-04-31')).toBe(false);
    expect(isIsoDate('2021-13-01')).toBe(false);
    expect(isIsoDate('2021-00-10')).toBe(false);
  });

  it('refuses other spellings', () => {
    for (const value of ['2021-7-1', '2021/07/01', '20210701', ' 2021-07-01', '2021-07-01T00:00', '２０２１-０７-０１', '']) {
      expect(isIsoDate(value), value).toBe(false);
    }
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2021-01-31', 1)).toBe('2021-02-01');
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(addDays('2021-07-01', 21)).toBe('2021-07-22');
    expect(addDays('2021-07-01', 0)).toBe('2021-07-01');
  });

  it('gives the same answer whatever the process time zone', () => {
    for (const zone of awkwardProcessZones) {
      process.env.TZ = zone;
      expect(addDays('2018-11-03', 1), zone).toBe('2018-11-04');
      expect(addDays('2018-11-04', 1), zone).toBe('2018-11-05');
      expect(addDays('2021-03-14', 1), zone).toBe('2021-03-15');
    }
  });
});

describe('addMonths', () => {
  it('keeps the day of the month when it exists', () => {
    expect(addMonths('2021-12-15', 6)).toBe('2022-06-15');
    expect(addMonths('2021-01-15', -2)).toBe('2020-11-15');
    expect(addMonths('2021-05-10', 13)).toBe('2022-06-10');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2021-08-31', 6)).toBe('2022-02-28');
    expect(addMonths('2021-03-31', 6)).toBe('2021-09-30');
    expect(addMonths('2021-03-31', -1)).toBe('2021-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('gives the same answer whatever the process time zone', () => {
    for (const zone of awkwardProcessZones) {
      process.env.TZ = zone;
      expect(addMonths('2018-05-04', 6), zone).toBe('2018-11-04');
      expect(addMonths('2021-08-31', 6), zone).toBe('2022-02-28');
    }
  });
});

describe('ageOn', () => {
  it('adds a year on the birthday itself, not the day after', () => {
    expect(ageOn('2009-07-01', '2021-06-30')).toBe(11);
    expect(ageOn('2009-07-01', '2021-07-01')).toBe(12);
    expect(ageOn('2009-07-01', '2009-07-01')).toBe(0);
    expect(ageOn('1950-12-31', '2021-12-30')).toBe(70);
    expect(ageOn('1950-12-31', '2021-12-31')).toBe(71);
  });

  it('counts a 29 February birthday from 1 March in common years', () => {
    expect(ageOn('2008-02-29', '2021-02-28')).toBe(12);
    expect(ageOn('2008-02-29', '2021-03-01')).toBe(13);
    expect(ageOn('2008-02-29', '2020-02-29')).toBe(12);
  });
});

describe('localDate', () => {
  it('is the calendar date at the place, not in UTC', () => {
    expect(localDate(new Date('2021-07-01T14:59:59Z'), 'Asia/Tokyo')).toBe('2021-07-01');
    expect(localDate(new Date('2021-07-01T15:00:00Z'), 'Asia/Tokyo')).toBe('2021-07-02');
    expect(localDate(new Date('2021-07-01T15:00:00Z'), 'Asia/Seoul')).toBe('2021-07-02');
    expect(localDate(new Date('2021-07-01T03:59:59Z'), 'America/New_York')).toBe('2021-06-30');
    expect(localDate(new Date('2021-01-01T04:59:59Z'), 'America/New_York')).toBe('2020-12-31');
  });
});

describe('zonedTimeToUtc', () => {
  it('reads a wall-clock time in DST-free Tokyo and Seoul (UTC+9)', () => {
    expect(zonedTimeToUtc('2021-07-01', '10:00', 'Asia/Tokyo').toISOString()).toBe('2021-07-01T01:00:00.000Z');
    expect(zonedTimeToUtc('2021-07-01', '00:00', 'Asia/Tokyo').toISOString()).toBe('2021-06-30T15:00:00.000Z');
    expect(zonedTimeToUtc('2022-01-01', '08:30', 'Asia/Seoul').toISOString()).toBe('2021-12-31T23:30:00.000Z');
  });

  it('follows the offset in force on the day in a DST zone', () => {
    expect(zonedTimeToUtc('2021-03-13', '10:00', 'America/New_York').toISOString()).toBe('2021-03-13T15:00:00.000Z');
    expect(zonedTimeToUtc('2021-03-14', '10:00', 'America/New_York').toISOString()).toBe('2021-03-14T14:00:00.000Z');
    expect(zonedTimeToUtc('2021-03-14', '01:59', 'America/New_York').toISOString()).toBe('2021-03-14T06:59:00.000Z');
    expect(zonedTimeToUtc('2021-03-14', '03:00', 'America/New_York').toISOString()).toBe('2021-03-14T07:00:00.000Z');
    expect(zonedTimeToUtc('2021-07-01', '10:00', 'Asia/Kathmandu').toISOString()).toBe('2021-07-01T04:15:00.000Z');
  });

  it('moves a time the clocks skipped forward by the gap, never back before it', () => {
    // New York skipped 02:00–03:00 on 2021-03-14; London 01:00–02:00 on 2021-03-28; São Paulo midnight on 2018-11-04.
    expect(zonedTimeToUtc('2021-03-14', '02:30', 'America/New_York').toISOString()).toBe('2021-03-14T07:30:00.000Z');
    expect(zonedTimeToUtc('2021-03-28', '01:30', 'Europe/London').toISOString()).toBe('2021-03-28T01:30:00.000Z');
    const midnight = zonedTimeToUtc('2018-11-04', '00:00', 'America/Sao_Paulo');
    expect(midnight.toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(localDate(midnight, 'America/Sao_Paulo')).toBe('2018-11-04');
  });

  it('takes the first of a time the clocks went through twice', () => {
    // 01:30 happened twice in New York on 2021-11-07 (EDT, then EST) and in London on 2021-10-31 (BST, then GMT).
    expect(zonedTimeToUtc('2021-11-07', '01:30', 'America/New_York').toISOString()).toBe('2021-11-07T05:30:00.000Z');
    expect(zonedTimeToUtc('2021-10-31', '01:30', 'Europe/London').toISOString()).toBe('2021-10-31T00:30:00.000Z');
  });

  it('does not depend on the process time zone', () => {
    for (const zone of awkwardProcessZones) {
      process.env.TZ = zone;
      expect(zonedTimeToUtc('2021-07-01', '10:00', 'Asia/Tokyo').toISOString(), zone).toBe('2021-07-01T01:00:00.000Z');
      expect(localDate(new Date('2018-11-04T02:30:00Z'), 'Asia/Tokyo'), zone).toBe('2018-11-04');
    }
  });
});
