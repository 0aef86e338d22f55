import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLanguage, LANGUAGES, pickLanguage, type LanguageCode } from '../../../shared/i18n/languages';
import { setApiLanguage } from '../api/client';
import { stripRuby } from './ruby';

export { LANGUAGES, type LanguageCode };

/**
 * Every text on the pages comes from web/src/i18n/<code>.json (the pages) and
 * shared/i18n/problems/<code>.json (the server's error titles). Each is its own lazy chunk: a
 * phone downloads its one language, not fifteen. Adding a language means adding it to
 * shared/i18n/languages.ts and writing those files (and shared/i18n/fields for the server).
 */
const pageTexts = import.meta.glob<{ default: Record<string, unknown> }>('./*.json');
const problemTexts = import.meta.glob<{ default: Record<string, unknown> }>('../../../shared/i18n/problems/*.json');

const lazyTexts: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, callback) {
    const load =
      namespace === 'problems' ? problemTexts[`../../../shared/i18n/problems/${language}.json`] : pageTexts[`./${language}.json`];
    if (!load) return callback(new Error(`no ${namespace} texts for ${language}`), null);
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

const STORAGE_KEY = 'yoyaku.lang';

/**
 * The language asked for in the link (?lang=, e.g. from the waiting page), else the remembered
 * choice, else the first of the browser's languages we speak, else English (shared/i18n/languages.ts).
 */
function initialLanguage(): LanguageCode {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (isLanguage(asked)) {
    remember(asked);
    return asked;
  }
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Private mode: fall through to the browser's languages.
  }
  return pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

function remember(lang: LanguageCode): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still switched.
  }
}

function applyLanguage(lang: string): void {
  document.documentElement.lang = lang;
  setApiLanguage(lang);
}

export function chooseLanguage(lang: LanguageCode): Promise<unknown> {
  remember(lang);
  return i18next.changeLanguage(lang);
}

/** Ruby markup (やさしい日本語's furigana) is kept only where <Text> renders it; plain t() gets the bare text. */
i18next.use({ type: 'postProcessor', name: 'ruby', process: (value: string) => stripRuby(value) });

const lng = initialLanguage();
i18next.on('languageChanged', applyLanguage);

/** Resolves when the first language's texts are in: the app renders after that, never in a wrong language. */
export const ready = i18next
  .use(lazyTexts)
  .use(initReactI18next)
  .init({
    lng,
    // Only the chosen language is loaded: the key test (test/i18n) makes sure it has every key.
    fallbackLng: false,
    load: 'currentOnly',
    supportedLngs: LANGUAGES.map((l) => l.code),
    ns: ['translation', 'problems'],
    defaultNS: 'translation',
    postProcess: ['ruby'],
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
    showSupportNotice: false,
  })
  .then(() => applyLanguage(lng));

export default i18next;
