import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Numbers, shares and dates in the page's language (dates are calendar days: formatted in UTC). */
export function useFormats() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-GB';
  return useMemo(() => {
    const integer = new Intl.NumberFormat(locale);
    const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const long = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric', weekday: 'short' });
    const short = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'numeric', day: 'numeric' });
    const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
    return {
      number: (n: number) => integer.format(n),
      percent: (n: number) => share.format(n),
      day: (iso: string) => long.format(date(iso)),
      shortDay: (iso: string) => short.format(date(iso)),
      time: (instant: string) => clock.format(new Date(instant)),
    };
  }, [locale]);
}
