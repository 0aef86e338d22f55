import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import problemsEn from '../../../shared/i18n/problems/en.json';
import problemsJa from '../../../shared/i18n/problems/ja.json';
import problemsPt from '../../../shared/i18n/problems/pt.json';
import problemsZh from '../../../shared/i18n/problems/zh.json';
import { setApiLanguage } from '../api/client';
import en from './en.json';
import ja from './ja.json';
import pt from './pt.json';
import zh from './zh.json';

/**
 * Every text on the pages comes from these resources; adding a language means adding one file
 * here and one in shared/i18n/problems (the server's error titles), nothing else.
 */
export const LANGUAGES = [
  { code: 'ja', name: '日本語' },
  { code: 'en', name: 'English' },
  { code: 'zh', name: '简体中文' },
  { code: 'pt', name: 'Português' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
const STORAGE_KEY = 'yoyaku.lang';

function isSupported(lang: string | null | undefined): lang is LanguageCode {
  return LANGUAGES.some((l) => l.code === lang);
}

/**
 * The remembered choice, else the first of the browser's languages we speak, else Japanese.
 * Only the base of a tag counts, as on the server: zh-TW / zh-Hant get Simplified Chinese (the
 * closest we have) and pt-PT gets Brazilian Portuguese.
 */
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

const lng = initialLanguage();
applyLanguage(lng);
i18next.on('languageChanged', applyLanguage);

void i18next.use(initReactI18next).init({
  lng,
  fallbackLng: 'ja',
  resources: {
    ja: { translation: ja, problems: problemsJa },
    en: { translation: en, problems: problemsEn },
    zh: { translation: zh, problems: problemsZh },
    pt: { translation: pt, problems: problemsPt },
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
