import { localeOf } from '../../i18n';

/** An instant as date and time in the reader's language (the staff member's own zone). */
export function formatInstant(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
