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
}

export function useBookingParams(me: Me): BookingParams {
  const search = new URLSearchParams(useSearch());
  const forId = Number(search.get('for'));
  const person = [me.account, ...me.family].find((p) => p.id === forId) ?? me.account;
  const change = search.get('change') ?? undefined;
  const window = change ? person.changes.find((c) => c.number === change) : (person.nextDose ?? undefined);
  return { person, change, window };
}

export function bookingQuery(params: BookingParams): string {
  const query = new URLSearchParams({ for: String(params.person.id) });
  if (params.change) query.set('change', params.change);
  return `?${query.toString()}`;
}
