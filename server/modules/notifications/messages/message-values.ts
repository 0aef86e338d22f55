import { localeOf } from '../../../../shared/i18n/languages.js';
import { formatReservationNumber } from '../../reservations/index.js';

/**
 * "12月1日(火) 10:00" / "Tue 1 Dec 10:00" / "12월 1일 (화) 10:00", in the municipality's time zone
 * and the message's language (its Intl locale from shared/i18n/languages.ts), always with Latin
 * digits: Burmese and Nepali would otherwise get their own, and the reservation number and the
 * link are Latin anyway.
 */
export function formatWhen(at: Date, language: string, timeZone: string): string {
  const japanese = language.startsWith('ja');
  const options: Intl.DateTimeFormatOptions = {
    timeZone,
    numberingSystem: 'latn',
    month: japanese ? 'numeric' : 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  if (japanese || language === 'en') {
    const parts = new Intl.DateTimeFormat(japanese ? 'ja-JP' : 'en-GB', options).formatToParts(at);
    const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    if (japanese) return `${get('month')}月${get('day')}日(${get('weekday')}) ${get('hour')}:${get('minute')}`;
    return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
  }
  // A narrow no-break space (some locales put one before the time) would make a Latin text UCS-2.
  return new Intl.DateTimeFormat(localeOf(language), options).format(at).replace(/[\u202F\u00A0]/g, ' ');
}

export interface BookingFacts {
  municipalityCode: string;
  municipalityNameJa: string;
  municipalityNameEn: string;
  timeZone: string;
  number: string;
  personName: string;
  startsAt: Date;
  venueNameJa: string;
  venueNameEn: string;
  /** The venue's names per language, as staff wrote them for the residents' site (venues.texts). */
  venueTexts?: Record<string, { name?: string }>;
  previousStartsAt?: Date;
}

/**
 * Japanese names in a Japanese message; the venue's own name in the message's language where staff
 * wrote one (as the residents' site shows it); the English ones otherwise (they keep a Latin SMS in GSM-7).
 */
export function bookingValues(facts: BookingFacts, language: string, publicUrl: string): Record<string, string> {
  const japanese = language.startsWith('ja');
  return {
    municipality: japanese ? facts.municipalityNameJa : facts.municipalityNameEn,
    number: formatReservationNumber(facts.number),
    person: facts.personName,
    when: formatWhen(facts.startsAt, language, facts.timeZone),
    previous: facts.previousStartsAt ? formatWhen(facts.previousStartsAt, language, facts.timeZone) : '',
    venue: facts.venueTexts?.[language]?.name || (japanese ? facts.venueNameJa : facts.venueNameEn),
    link: `${publicUrl}/m/${facts.municipalityCode}/reservations/${facts.number}`,
  };
}
