import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import problemsEn from '../../../../shared/i18n/problems/en.json';
import problemsJa from '../../../../shared/i18n/problems/ja.json';
import { setApiLanguage } from '../api/client';
import en from './en.json';
import ja from './ja.json';

/**
 * The staff app's texts: Japanese and English (the staff languages of the issue), each word from
 * these files; the server's problem titles come from shared/i18n/problems like the residents'.
 */
export const LANGUAGES = [
  { code: 'ja', name: '日本語' },
  { code: 'en', name: 'English' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
const STORAGE_KEY = 'yoyaku.staff.lang';

function isSupported(lang: string | null | undefined): lang is LanguageCode {
  return LANGUAGES.some((l) => l.code === lang);
}

function initialLanguage(): LanguageCode {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isSupported(saved)) return saved;
  } catch {
    // Private mode: fall through to the browser's languages.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isSupported(base)) return base;
  }
  return 'ja';
}

function applyLanguage(lang: string): void {
  document.documentElement.lang = lang;
  setApiLanguage(lang);
}

export function chooseLanguage(lang: LanguageCode): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still switched.
  }
  void i18next.changeLanguage(lang);
}

/** The Intl locale of each language (English written the British way, as on the residents' side). */
export function localeOf(language: string): string {
  return language === 'ja' ? 'ja-JP' : 'en-GB';
}

const lng = initialLanguage();
applyLanguage(lng);
i18next.on('languageChanged', applyLanguage);

void i18next.use(initReactI18next).init({
  lng,
  fallbackLng: 'ja',
  resources: {
    ja: { translation: ja, problems: problemsJa },
    en: { translation: en, problems: problemsEn },
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
