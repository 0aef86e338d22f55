import { describe, expect, it } from 'vitest';
import { planSlots, timesBetween, type ScheduleTemplate } from './slot-schedule.js';

/** Weekdays 09:00 and 14:00 in Tokyo, booking from 14 days before at 09:00 until 2 days before at 17:00. */
const tokyoWeekdays: ScheduleTemplate = {
  from: '2021-07-05',
  to: '2021-07-11',
  weekdays: [1, 2, 3, 4, 5],
  times: ['14:00', '09:00'],
  durationMinutes: 30,
  capacity: 20,
  opensDaysBefore: 14,
  opensAtTime: '09:00',
  closesDaysBefore: 2,
  closesAtTime: '17:00',
  timeZone: 'Asia/Tokyo',
};

const iso = (slots: { startsAt: Date }[]) => slots.map((slot) => slot.startsAt.toISOString());

describe('planSlots', () => {
  it('makes one slot per chosen weekday and time, in time order, at the local wall-clock time', () => {
    const slots = planSlots(tokyoWeekdays);
    // 2021-07-05 is a Monday: Monday to Friday, two times each, Saturday and Sunday skipped.
    expect(slots).toHaveLength(10);
    expect(iso(slots.slice(0, 2))).toEqual(['2021-07-05T00:00:00.000Z', '2021-07-05T05:00:00.000Z']);
    expect(iso(slots.slice(-2))).toEqual(['2021-07-09T00:00:00.000Z', '2021-07-09T05:00:00.000Z']);
    expect(slots.every((slot) => slot.capacity === 20 && slot.durationMinutes === 30)).toBe(true);
  });

  it('opens and closes booking the given days before the slot’s day, at local times', () => {
    const [monday] = planSlots(tokyoWeekdays);
    // 2021-06-21 09:00 JST and 2021-07-03 17:00 JST.
    expect(monday!.opensAt.toISOString()).toBe('2021-06-21T00:00:00.000Z');
    expect(monday!.closesAt.toISOString()).toBe('2021-07-03T08:00:00.000Z');
  });

  it('numbers weekdays the ISO way: 7 is Sunday', () => {
    const sundays = planSlots({ ...tokyoWeekdays, from: '2021-07-01', to: '2021-07-31', weekdays: [7], times: ['10:00'] });
    expect(iso(sundays)).toEqual([
      '2021-07-04T01:00:00.000Z',
      '2021-07-11T01:00:00.000Z',
      '2021-07-18T01:00:00.000Z',
      '2021-07-25T01:00:00.000Z',
    ]);
  });

  it('includes both ends of the range, across a year end, and nothing for an empty range', () => {
    const newYear = planSlots({
      ...tokyoWeekdays,
      from: '2021-12-30',
      to: '2022-01-02',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      times: ['10:00'],
    });
    expect(iso(newYear)).toEqual([
      '2021-12-30T01:00:00.000Z',
      '2021-12-31T01:00:00.000Z',
      '2022-01-01T01:00:00.000Z',
      '2022-01-02T01:00:00.000Z',
    ]);
    expect(planSlots({ ...tokyoWeekdays, from: '2021-07-06', to: '2021-07-05' })).toEqual([]);
  });

  it('puts a Seoul slot at the same UTC instant as the same wall time in Tokyo (both UTC+9)', () => {
    const seoul = planSlots({ ...tokyoWeekdays, timeZone: 'Asia/Seoul' });
    expect(iso(seoul)).toEqual(iso(planSlots(tokyoWeekdays)));
  });

  it('keeps 10:00 at 10:00 local across a DST change, so the UTC instant moves', () => {
    const newYork = planSlots({
      ...tokyoWeekdays,
      timeZone: 'America/New_York',
      from: '2021-03-13',
      to: '2021-03-16',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      times: ['10:00'],
    });
    expect(iso(newYork)).toEqual([
      '2021-03-13T15:00:00.000Z',
      '2021-03-14T14:00:00.000Z',
      '2021-03-15T14:00:00.000Z',
      '2021-03-16T14:00:00.000Z',
    ]);
    // Monday's booking closed Saturday 17:00 EST; Tuesday's Sunday 17:00 EDT.
    expect(newYork[2]!.closesAt.toISOString()).toBe('2021-03-13T22:00:00.000Z');
    expect(newYork[3]!.closesAt.toISOString()).toBe('2021-03-14T21:00:00.000Z');
  });

  it('never plans two slots at one instant on the night the clocks skip an hour', () => {
    // 02:00–03:00 did not exist in New York on 2021-03-14; slots are unique per venue and start instant.
    const night = planSlots({
      ...tokyoWeekdays,
      timeZone: 'America/New_York',
      from: '2021-03-14',
      to: '2021-03-14',
      weekdays: [7],
      times: ['01:30', '02:00', '02:30', '03:00'],
    });
    const starts = iso(night);
    expect(new Set(starts).size).toBe(starts.length);
    expect(starts).toEqual([...starts].sort());
    expect(starts).toContain('2021-03-14T06:30:00.000Z');
    expect(starts).toContain('2021-03-14T07:00:00.000Z');
  });
});

describe('timesBetween', () => {
  it('steps from the start (included) to the end (excluded)', () => {
    expect(timesBetween('09:00', '11:00', 30)).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(timesBetween('09:00', '10:00', 25)).toEqual(['09:00', '09:25', '09:50']);
    expect(timesBetween('09:00', '09:00', 30)).toEqual([]);
    expect(timesBetween('23:00', '24:00', 20)).toEqual(['23:00', '23:20', '23:40']);
  });
});
