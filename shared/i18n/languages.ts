/**
 * The one list of languages the resident site, the waiting page and the server's problem titles
 * speak. The code is a BCP 47 tag: it names the files (web/src/i18n/<code>.json,
 * shared/i18n/problems/<code>.json, shared/i18n/fields/<code>.json), goes into `lang` attributes
 * and is sent as Accept-Language. Each language is named in itself, so a resident who cannot read
 * the current page still finds their own.
 *
 * やさしい日本語 (Easy Japanese) is `ja-x-easy`. BCP 47 has no registered subtag for it; a
 * private-use subtag after `ja` keeps the tag valid, and because the primary subtag stays `ja`,
 * browsers pick Japanese fonts and line breaking and screen readers read it with a Japanese voice
 * (a made-up primary subtag such as `jpe` would be read as an unknown language).
 */
export const LANGUAGES = [
  { code: 'ja', name: '日本語', locale: 'ja-JP' },
  { code: 'ja-x-easy', name: 'やさしい日本語', locale: 'ja-JP' },
  { code: 'en', name: 'English', locale: 'en-GB' },
  { code: 'zh-Hans', name: '简体中文', locale: 'zh-Hans-CN' },
  { code: 'zh-Hant', name: '繁體中文', locale: 'zh-Hant-TW' },
  { code: 'ko', name: '한국어', locale: 'ko-KR' },
  { code: 'vi', name: 'Tiếng Việt', locale: 'vi-VN' },
  { code: 'tl', name: 'Tagalog', locale: 'fil-PH' },
  { code: 'ne', name: 'नेपाली', locale: 'ne-NP' },
  { code: 'pt-BR', name: 'Português (Brasil)', locale: 'pt-BR' },
  { code: 'id', name: 'Bahasa Indonesia', locale: 'id-ID' },
  { code: 'my', name: 'မြန်မာ', locale: 'my-MM' },
  // Gregorian years, as on the voucher and every Japanese document (Thai's default is the Buddhist era).
  { code: 'th', name: 'ไทย', locale: 'th-TH-u-ca-gregory' },
  { code: 'ru', name: 'Русский', locale: 'ru-RU' },
  { code: 'es', name: 'Español', locale: 'es-ES' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** A browser language the site does not have gets English: more residents read it than Japanese. */
export const FALLBACK_LANGUAGE: LanguageCode = 'en';

const CODES = new Set<string>(LANGUAGES.map((l) => l.code));

export function isLanguage(code: unknown): code is LanguageCode {
  return typeof code === 'string' && CODES.has(code);
}

/** The Intl locale for a language's dates, times and numbers (Tagalog through Filipino's data). */
export function localeOf(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.locale ?? 'en-GB';
}

/** Traditional Chinese is written in Taiwan, Hong Kong and Macau; elsewhere Chinese is Simplified. */
const TRADITIONAL_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * The site's language for one browser language tag, or undefined when it has none: exact tags
 * first (any case), then by language: every Japanese variant gets Japanese, Chinese by script or
 * region, Portuguese gets Brazilian, Filipino (fil) gets Tagalog.
 */
export function matchLanguage(tag: string): LanguageCode | undefined {
  const lower = tag.trim().toLowerCase();
  const exact = LANGUAGES.find((l) => l.code.toLowerCase() === lower);
  if (exact) return exact.code;
  const [base = '', ...rest] = lower.split('-');
  const byBase: Record<string, string> = {
    ja: 'ja',
    zh: rest.includes('hant') || rest.some((part) => TRADITIONAL_REGIONS.has(part)) ? 'zh-Hant' : 'zh-Hans',
    pt: 'pt-BR',
    fil: 'tl',
  };
  const candidate = Object.hasOwn(byBase, base) ? byBase[base] : base;
  return isLanguage(candidate) ? candidate : undefined;
}

/** The first of the browser's languages (in its order of preference) that the site speaks, else English. */
export function pickLanguage(tags: readonly string[]): LanguageCode {
  for (const tag of tags) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return FALLBACK_LANGUAGE;
}
