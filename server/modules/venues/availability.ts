/** ○ free, △ few left, × full or closed: what a resident sees beside each time. */
export type AvailabilityMark = 'free' | 'few' | 'full';

export interface AvailabilityPolicy {
  /** △ when the remaining places are at most this share of the capacity… */
  fewLeftRatio: number;
  /** …or at most this many. */
  fewLeftAbsolute: number;
}

export interface SlotWindow {
  opensAt: Date;
  closesAt: Date;
}

export function isInsideBookingWindow(slot: SlotWindow, now: Date): boolean {
  return slot.opensAt.getTime() <= now.getTime() && now.getTime() < slot.closesAt.getTime();
}

/** Always computed from the real count, never stored, so it cannot drift. */
export function availabilityMark(capacity: number, taken: number, bookable: boolean, policy: AvailabilityPolicy): AvailabilityMark {
  const remaining = Math.max(capacity - taken, 0);
  if (!bookable || remaining === 0) return 'full';
  if (remaining <= policy.fewLeftAbsolute || remaining <= capacity * policy.fewLeftRatio) return 'few';
  return 'free';
}

/** A day's mark in the calendar: the best mark among its bookable slots. */
export function dayMark(marks: AvailabilityMark[]): AvailabilityMark {
  if (marks.includes('free')) return 'free';
  if (marks.includes('few')) return 'few';
  return 'full';
}
