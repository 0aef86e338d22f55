import { formatReservationNumber } from '../../reservations/index.js';

/** The Intl locale a message's dates are written in. */
const LOCALES: Record<string, string> = { ja: 'ja-JP', en: 'en-GB' };

/** "12月1日(火) 10:00" / "Tue 1 Dec 10:00", in the municipality's time zone. */
export function formatWhen(at: Date, language: string, timeZone: string): string {
  const locale = LOCALES[language] ?? LOCALES[language.split('-')[0] ?? ''] ?? 'en-GB';
  const parts = new Intl.DateTimeFormat(locale, {
    timeZone,
    month: language.startsWith('ja') ? 'numeric' : 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  if (language.startsWith('ja')) return `${get('month')}月${get('day')}日(${get('weekday')}) ${get('hour')}:${get('minute')}`;
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('hour')}:${get('minute')}`;
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
  previousStartsAt?: Date;
}

/** Japanese names in a Japanese message; the English ones otherwise (they keep a Latin SMS in GSM-7). */
export function bookingValues(facts: BookingFacts, language: string, publicUrl: string): Record<string, string> {
  const japanese = language.startsWith('ja');
  return {
    municipality: japanese ? facts.municipalityNameJa : facts.municipalityNameEn,
    number: formatReservationNumber(facts.number),
    person: facts.personName,
    when: formatWhen(facts.startsAt, language, facts.timeZone),
    previous: facts.previousStartsAt ? formatWhen(facts.previousStartsAt, language, facts.timeZone) : '',
    venue: japanese ? facts.venueNameJa : facts.venueNameEn,
    link: `${publicUrl}/m/${facts.municipalityCode}/reservations/${facts.number}`,
  };
}
