import { describe, expect, it } from 'vitest';
import { planTemplate, type TemplateInput } from './template-input.js';

const weekdays: TemplateInput = {
  from: '2026-12-07',
  to: '2026-12-13',
  weekdays: [1, 3, 5],
  startTime: '09:00',
  endTime: '11:00',
  intervalMinutes: 30,
  durationMinutes: 30,
  capacity: 20,
  opensDaysBefore: 14,
  opensAtTime: '09:00',
  closesDaysBefore: 1,
  closesAtTime: '17:00',
};

describe('planTemplate', () => {
  it('steps times from start to end and plans them on the chosen weekdays, in Tokyo time', () => {
    const planned = planTemplate(weekdays, 'Asia/Tokyo');
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    // Monday, Wednesday, Friday × 09:00, 09:30, 10:00, 10:30.
    expect(planned.slots).toHaveLength(12);
    expect(planned.template.times).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(planned.slots[0]!.startsAt.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(planned.slots[0]!.opensAt.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    // The day before at 17:00 JST.
    expect(planned.slots[0]!.closesAt.toISOString()).toBe('2026-12-06T08:00:00.000Z');
  });

  it('takes an explicit list instead, without duplicates', () => {
    const { startTime, endTime, intervalMinutes, ...rest } = weekdays;
    void [startTime, endTime, intervalMinutes];
    const planned = planTemplate({ ...rest, times: ['14:00', '09:00', '14:00'] }, 'Asia/Tokyo');
    expect(planned.ok && planned.slots.length).toBe(6);
  });

  it('wants one way of giving times, not both nor neither', () => {
    expect(planTemplate({ ...weekdays, times: ['09:00'] }, 'Asia/Tokyo')).toEqual({
      ok: false,
      errors: [{ field: 'body.times', rule: 'oneOf' }],
    });
    const { startTime, endTime, intervalMinutes, ...none } = weekdays;
    void [startTime, endTime, intervalMinutes];
    expect(planTemplate(none, 'Asia/Tokyo')).toMatchObject({ ok: false, errors: [{ field: 'body.times', rule: 'oneOf' }] });
  });

  it('names each wrong field', () => {
    const result = planTemplate(
      { ...weekdays, from: '2026-02-30', endTime: '08:00', opensAtTime: '25:00', times: undefined },
      'Asia/Tokyo',
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'body.from', rule: 'format' },
        { field: 'body.endTime', rule: 'range' },
        { field: 'body.opensAtTime', rule: 'format' },
      ],
    });
    expect(planTemplate({ ...weekdays, to: '2026-12-06' }, 'Asia/Tokyo')).toMatchObject({ errors: [{ field: 'body.to', rule: 'range' }] });
    expect(planTemplate({ ...weekdays, to: '2027-12-31' }, 'Asia/Tokyo')).toMatchObject({
      errors: [{ field: 'body.to', rule: 'maximum' }],
    });
  });

  it('refuses a booking window that closes before it opens', () => {
    expect(planTemplate({ ...weekdays, opensDaysBefore: 1, opensAtTime: '18:00' }, 'Asia/Tokyo')).toEqual({
      ok: false,
      errors: [{ field: 'body.closesAtTime', rule: 'window' }],
    });
    // Opening the day before at 09:00 and closing the same day at 17:00 is fine.
    expect(planTemplate({ ...weekdays, opensDaysBefore: 1, opensAtTime: '09:00' }, 'Asia/Tokyo').ok).toBe(true);
  });

  it('refuses more than 5,000 slots in one template', () => {
    const busy = {
      ...weekdays,
      to: '2027-12-05',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '08:00',
      endTime: '20:00',
      intervalMinutes: 5,
    };
    expect(planTemplate(busy, 'Asia/Tokyo')).toEqual({ ok: false, errors: [{ field: 'body.times', rule: 'maxItems' }] });
  });
});
