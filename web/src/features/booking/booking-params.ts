import { useSearch } from 'wouter';
import type { DoseWindow, Me, Person } from '../../api/types';

/**
 * Who the booking is for, and which reservation it replaces when it is a change. Kept in the
 * address so that Back, reload and a shared link all keep the choice.
 */
export interface BookingParams {
  person: Person;
  change?: string;
  /** The dose being booked (or moved) and the dates and vaccine the dose rules allow it. */
  window?: DoseWindow;
  /** Everyone coming, when several people are booked into one slot together (person first). */
  together?: Person[];
}

export function useBookingParams(me: Me): BookingParams {
  const search = new URLSearchParams(useSearch());
  const forId = Number(search.get('for'));
  const person = [me.account, ...me.family].find((p) => p.id === forId) ?? me.account;
  const change = search.get('change') ?? undefined;
  const window = change ? person.changes.find((c) => c.number === change) : (person.nextDose ?? undefined);
  const people = [me.account, ...me.family];
  const others = (search.get('with') ?? '')
    .split(',')
    .map(Number)
    .map((id) => people.find((p) => p.id === id && p.id !== person.id && p.nextDose))
    .filter((p): p is Person => p !== undefined);
  const together = !change && others.length > 0 ? [person, ...others] : undefined;
  return { person, change, window, together };
}

export function bookingQuery(params: BookingParams): string {
  const query = new URLSearchParams({ for: String(params.person.id) });
  if (params.change) query.set('change', params.change);
  if (params.together)
    query.set(
      'with',
      params.together
        .slice(1)
        .map((p) => p.id)
        .join(','),
    );
  return `?${query.toString()}`;
}

const JUST_BOOKED = 'yoyaku.justBooked';

/** Remembers, for this tab, the booking just made, so that Back does not offer it again as a new one. */
export function rememberBooking(personId: number, number: string): void {
  try {
    sessionStorage.setItem(JUST_BOOKED, JSON.stringify({ personId, number }));
  } catch {
    // Without storage Back shows the booking pages; the confirm page still finds the booking.
  }
}

/** Forgotten once the person is back on their bookings page (from there, a new booking is meant). */
export function forgetBooking(): void {
  try {
    sessionStorage.removeItem(JUST_BOOKED);
  } catch {
    // nothing remembered
  }
}

/**
 * The booking this person just made in this tab, when the booking pages are reached again by
 * Back: they show that booking instead of offering its slot as a booking of the next dose.
 */
export function useBookingMade(params: BookingParams): string | undefined {
  if (params.change) return undefined;
  try {
    const made = JSON.parse(sessionStorage.getItem(JUST_BOOKED) ?? 'null') as { personId: number; number: string } | null;
    return made && made.personId === params.person.id ? made.number : undefined;
  } catch {
    return undefined;
  }
}
