import type { TFunction } from 'i18next';
import type { OperatorSlot } from '../../api/types';

/** Dates and times as the operator reads them out, in the municipality's time zone. */
export function callFormats(language: string, timeZone: string) {
  const locale = language === 'ja' ? 'ja-JP' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  const western = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });
  const day = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'long', day: 'numeric' });
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    timeZone: 'UTC',
    era: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  return {
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    time: (iso: string) => time.format(new Date(iso)),
    /** The municipality's date of an instant (YYYY-MM-DD). */
    localDate: (iso: string) => local.format(new Date(iso)),
    /** A local date (YYYY-MM-DD) as a day to choose. */
    dayLabel: (date: string) => day.format(new Date(`${date}T00:00:00Z`)),
    /** A birth date both ways: 1950年4月1日（昭和25年4月1日）, as callers give it either way. */
    birthDate: (date: string) => {
      const day = new Date(`${date}T00:00:00Z`);
      return `${western.format(day)} (${era.format(day)})`;
    },
  };
}

/** `3/5 (phone 1/3)`: the web's part booked of its places, then the telephone's. */
export function slotCountsText(t: TFunction, slot: OperatorSlot): string {
  const { webTaken, webPlaces, phoneTaken, phonePlaces, released } = slot.counts;
  const web = t('callCentre.book.counts', { taken: webTaken, places: webPlaces });
  if (released || phonePlaces === 0) return web;
  return `${web} ${t('callCentre.book.phoneCounts', { taken: phoneTaken, places: phonePlaces })}`;
}
