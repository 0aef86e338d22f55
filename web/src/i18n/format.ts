import { useTranslation } from 'react-i18next';

import { localeOf } from '../../../shared/i18n/languages';

export { localeOf };

/** やさしい日本語 says 午前10:00 / 午後2:30: a 24-hour 14:30 is one more thing to work out. */
function hourCycleOf(language: string): 'h23' | 'h12' {
  return language === 'ja-x-easy' ? 'h12' : 'h23';
}

/**
 * Dates and times shown in the municipality's time zone, whatever the phone's own zone is.
 * Formatting only: dates are never parsed with Intl.
 */
export function useFormat(timeZone: string) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const dateOf = (iso: string) => new Date(`${iso}T12:00:00Z`);
  /**
   * A browser without this language's calendar data (Chromium has none for Nepali and Burmese)
   * would write the month in English: such a browser gets numbers, 2026/12/3, which every reader
   * of that language reads. Weekdays then come in its fallback.
   */
  const named = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  const day = named
    ? ({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' } as const)
    : ({ year: 'numeric', month: 'numeric', day: 'numeric' } as const);
  const dayLocale = named ? locale : 'ja-JP';
  return {
    /** 2026年12月3日(木) / Thu, 3 December 2026 / 2026年12月3日周四 / qui., 3 de dezembro de 2026, from YYYY-MM-DD. */
    date: (iso: string) => new Intl.DateTimeFormat(dayLocale, { timeZone: 'UTC', ...day }).format(dateOf(iso)),
    /** The same for an instant, in the municipality's zone. */
    dayOf: (instant: string) => new Intl.DateTimeFormat(dayLocale, { timeZone, ...day }).format(new Date(instant)),
    time: (instant: string) =>
      new Intl.DateTimeFormat(locale, {
        timeZone,
        hour: hourCycleOf(i18n.language) === 'h12' ? 'numeric' : '2-digit',
        minute: '2-digit',
        hourCycle: hourCycleOf(i18n.language),
      }).format(new Date(instant)),
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    monthTitle: (iso: string) =>
      new Intl.DateTimeFormat(dayLocale, { timeZone: 'UTC', year: 'numeric', month: named ? 'long' : 'numeric' }).format(dateOf(iso)),
    weekdayShort: (iso: string) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(dateOf(iso)),
  };
}

/** Reservation numbers are shown in two groups so they can be read out: ABCD-EFGH. */
export { formatReservationNumber } from '../../shared/reservation-number';
