import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { Municipality } from '../api/types';

export const MunicipalityContext = createContext<Municipality | undefined>(undefined);

/** The municipality whose site this is (from the /m/{code} link on its letter). */
export function useMunicipality(): Municipality {
  const municipality = useContext(MunicipalityContext);
  if (!municipality) throw new Error('useMunicipality outside a municipality page');
  return municipality;
}

/** Japanese and やさしい日本語 read the Japanese name; every other language the English (Latin) one. */
export function isJapanese(language: string): boolean {
  return language === 'ja' || language.startsWith('ja-');
}

/** Picks the Japanese or English name of anything that has both. */
export function useLocalName() {
  const { i18n } = useTranslation();
  return (named: { nameJa: string; nameEn: string }) => (isJapanese(i18n.language) ? named.nameJa : named.nameEn);
}
