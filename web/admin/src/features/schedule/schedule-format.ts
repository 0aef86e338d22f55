import { localeOf } from '../../i18n';

/** Slot times are the municipality's wall-clock times, whatever zone the staff member's device is in. */
export function formatTime(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDateTime(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Doses and the extra places of the allowance, side by side: "20 + 1", never one folded number. */
export function placesText(capacity: number, extraPlaces: number): string {
  return extraPlaces > 0 ? `${capacity} + ${extraPlaces}` : String(capacity);
}

/** Today in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
