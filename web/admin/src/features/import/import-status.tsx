import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResidentImport } from '../../api/types';

export function useImportFormats() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'ja' ? 'ja-JP' : 'en-GB';
  return useMemo(() => {
    const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const integer = new Intl.NumberFormat(locale);
    return { when: (at: string) => when.format(new Date(at)), number: (n: number) => integer.format(n) };
  }, [locale]);
}

/** An import's state in words. */
export function ImportStatus({ record }: { record: ResidentImport }) {
  const { t } = useTranslation();
  return <>{t(`import.status.${record.status}`)}</>;
}
