import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../reservations/index.js';
import { availabilityMark, dayMark, isInsideBookingWindow, slotCounts } from './availability.js';
import { planSlots } from './slot-schedule.js';

/** The defaults of docs/domain.md: △ when remaining ≤ 20% of capacity or ≤ 3. */
const policy = { fewLeftRatio: defaultPolicy.fewLeftRatio, fewLeftAbsolute: defaultPolicy.fewLeftAbsolute };

describe('availabilityMark', () => {
  it('keeps the defaults docs/domain.md gives', () => {
    expect(policy).toEqual({ fewLeftRatio: 0.2, fewLeftAbsolute: 3 });
  });

  it('turns △ when 20% of a large slot is left, not one place earlier', () => {
    expect(availabilityMark(100, 79, true, policy)).toBe('free');
    expect(availabilityMark(100, 80, true, policy)).toBe('few');
    expect(availabilityMark(100, 99, true, policy)).toBe('few');
  });

  it('turns △ when 3 places are left, though that is more than 20% of a small slot', () => {
    expect(availabilityMark(10, 6, true, policy)).toBe('free');
    expect(availabilityMark(10, 7, true, policy)).toBe('few');
    // A slot of two is never more than "few left".
    expect(availabilityMark(2, 0, true, policy)).toBe('few');
  });

  it('is × when full, overfull or of no capacity', () => {
    expect(availabilityMark(10, 10, true, policy)).toBe('full');
    expect(availabilityMark(10, 12, true, policy)).toBe('full');
    expect(availabilityMark(0, 0, true, policy)).toBe('full');
  });

  it('is × when the slot is not bookable, even with every place free', () => {
    expect(availabilityMark(100, 0, false, policy)).toBe('full');
  });

  it('follows a municipality’s own thresholds', () => {
    const generous = { fewLeftRatio: 0.5, fewLeftAbsolute: 0 };
    expect(availabilityMark(10, 4, true, generous)).toBe('free');
    expect(availabilityMark(10, 5, true, generous)).toBe('few');
    expect(availabilityMark(10, 9, true, { fewLeftRatio: 0, fewLeftAbsolute: 0 })).toBe('free');
  });
});

describe('dayMark', () => {
  it('is the best mark of the day', () => {
    expect(dayMark(['full', 'few', 'free'])).toBe('free');
    expect(dayMark(['full', 'few'])).toBe('few');
    expect(dayMark(['full', 'full'])).toBe('full');
  });

  it('is × for a day without slots', () => {
    expect(dayMark([])).toBe('full');
  });
});

describe('isInsideBookingWindow', () => {
  const window = { opensAt: new Date('2021-06-21T00:00:00Z'), closesAt: new Date('2021-07-03T08:00:00Z') };

  it('opens at opensAt exactly', () => {
    expect(isInsideBookingWindow(window, new Date('2021-06-20T23:59:59.999Z'))).toBe(false);
    expect(isInsideBookingWindow(window, new Date('2021-06-21T00:00:00.000Z'))).toBe(true);
  });

  it('is already closed at closesAt exactly', () => {
    expect(isInsideBookingWindow(window, new Date('2021-07-03T07:59:59.999Z'))).toBe(true);
    expect(isInsideBookingWindow(window, new Date('2021-07-03T08:00:00.000Z'))).toBe(false);
  });

  it('closes "2 days before at 17:00" on Tokyo time, whatever the server’s clock zone', () => {
    const [slot] = planSlots({
      from: '2021-07-05',
      to: '2021-07-05',
      weekdays: [1],
      times: ['09:00'],
      durationMinutes: 30,
      capacity: 10,
      opensDaysBefore: 14,
      opensAtTime: '09:00',
      closesDaysBefore: 2,
      closesAtTime: '17:00',
      timeZone: 'Asia/Tokyo',
    });
    // Saturday 2021-07-03 16:59:59 JST is 07:59:59 UTC.
    expect(isInsideBookingWindow(slot!, new Date('2021-07-03T16:59:59+09:00'))).toBe(true);
    expect(isInsideBookingWindow(slot!, new Date('2021-07-03T17:00:00+09:00'))).toBe(false);
    expect(isInsideBookingWindow(slot!, new Date('2021-06-21T08:59:59+09:00'))).toBe(false);
    expect(isInsideBookingWindow(slot!, new Date('2021-06-21T09:00:00+09:00'))).toBe(true);
  });
});

describe('slotCounts', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  const later = new Date('2026-05-02T00:00:00Z');
  const share = (phonePlaces: number, phoneTaken: number, phoneReleaseAt: Date | null = later) => ({
    phonePlaces,
    phoneTaken,
    phoneReleaseAt,
  });

  it('keeps the unused phone places from the web until the release', () => {
    expect(slotCounts(10, 4, share(3, 1), now)).toMatchObject({
      webPlaces: 7,
      webTaken: 3,
      webRemaining: 4,
      phonePlaces: 3,
      phoneTaken: 1,
      operatorRemaining: 6,
    });
  });

  it('lets an operator past the phone places take web places, counted in the web part', () => {
    // 3 phone places used, a 4th operator booking took a web place: the web has 10 - 5 left.
    expect(slotCounts(10, 5, share(3, 4), now)).toMatchObject({ webPlaces: 7, webTaken: 2, webRemaining: 5, phoneTaken: 3 });
  });

  it('gives the web everything once released, or when no place is kept', () => {
    expect(slotCounts(10, 4, share(3, 1), later)).toMatchObject({ webPlaces: 10, webRemaining: 6, released: true, phonePlaces: 0 });
    expect(slotCounts(10, 4, share(0, 0, null), now)).toMatchObject({ webPlaces: 10, webRemaining: 6, released: true });
  });

  it('keeps phone places for ever without a release time', () => {
    expect(slotCounts(10, 7, share(3, 0, null), later)).toMatchObject({ webRemaining: 0, operatorRemaining: 3, released: false });
  });
});
