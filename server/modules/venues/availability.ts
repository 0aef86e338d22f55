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

/** A slot's telephone share as its row holds it (migration 0015). */
export interface PhoneShare {
  phonePlaces: number;
  /** Active bookings made by an operator. */
  phoneTaken: number;
  /** When the unused phone places go to the web; null: never. */
  phoneReleaseAt: Date | null;
}

/** A slot as each side counts it: the web its part; operators that and the telephone's. */
export interface SlotCounts {
  /** The places the web may book in all (capacity less the phone places still kept). */
  webPlaces: number;
  /** Booked or held in the web's part. */
  webTaken: number;
  /** What the web may still book: what the database's booking condition leaves (reservations/place-rules.ts). */
  webRemaining: number;
  /** Places kept for the telephone now (0 once released). */
  phonePlaces: number;
  /** Operator bookings counted in those places. */
  phoneTaken: number;
  /** What an operator may still book: any free place. */
  operatorRemaining: number;
  released: boolean;
}

/**
 * The counts of one slot, the same arithmetic as the web's booking condition: the telephone's
 * unused places, `max(phonePlaces - phoneTaken, 0)`, stay out of the web's reach until released.
 * Operator bookings beyond the phone places sit in the web's part (they took web places).
 */
export function slotCounts(capacity: number, taken: number, share: PhoneShare, now: Date): SlotCounts {
  const released = share.phonePlaces === 0 || (share.phoneReleaseAt !== null && now.getTime() >= share.phoneReleaseAt.getTime());
  const phonePlaces = released ? 0 : Math.min(share.phonePlaces, capacity);
  const phoneTaken = released ? 0 : Math.min(share.phoneTaken, phonePlaces);
  const kept = released ? 0 : Math.max(share.phonePlaces - share.phoneTaken, 0);
  const webPlaces = Math.max(capacity - phonePlaces, 0);
  return {
    webPlaces,
    webTaken: Math.max(taken - phoneTaken, 0),
    webRemaining: Math.max(capacity - kept - taken, 0),
    phonePlaces,
    phoneTaken,
    operatorRemaining: Math.max(capacity - taken, 0),
    released,
  };
}
