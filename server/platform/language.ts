import en from '../../shared/i18n/problems/en.json' with { type: 'json' };
import ja from '../../shared/i18n/problems/ja.json' with { type: 'json' };
import pt from '../../shared/i18n/problems/pt.json' with { type: 'json' };
import zh from '../../shared/i18n/problems/zh.json' with { type: 'json' };
import fieldsEn from '../../shared/i18n/fields/en.json' with { type: 'json' };
import fieldsJa from '../../shared/i18n/fields/ja.json' with { type: 'json' };
import fieldsPt from '../../shared/i18n/fields/pt.json' with { type: 'json' };
import fieldsZh from '../../shared/i18n/fields/zh.json' with { type: 'json' };
import type { ProblemCode } from './errors.js';

/**
 * Problem titles per language, keyed by the base of a language tag. Only the base counts, so
 * zh-CN, zh-Hans and zh get `zh` (Simplified Chinese), and so do zh-TW, zh-HK and zh-Hant: we
 * have no Traditional Chinese, and Simplified is the closest we have. pt-BR, pt-PT and pt all
 * get `pt` (Brazilian Portuguese).
 */
const titles: Record<string, Record<string, string>> = { ja, en, zh, pt };
export const supportedLanguages = Object.keys(titles);
const fallbackLanguage = 'ja';

/** Picks the best supported language from an Accept-Language header (q-values honoured). */
export function negotiateLanguage(acceptLanguage: string | undefined): string {
  if (!acceptLanguage) return fallbackLanguage;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  // Own keys only: a tag such as "constructor" must not match what every object inherits.
  return ranked.find((entry) => Object.hasOwn(titles, entry.base))?.base ?? fallbackLanguage;
}

export function problemTitle(code: ProblemCode, language: string): string {
  return titles[language]?.[code] ?? titles[fallbackLanguage]?.[code] ?? code;
}

/** What each validation rule means for a field, per language (shared/i18n/fields/*.json). */
const fieldTexts: Record<string, Record<string, string>> = { ja: fieldsJa, en: fieldsEn, zh: fieldsZh, pt: fieldsPt };

/**
 * The message shown beside a field that broke `rule`, with its {{placeholders}} (the limit of a
 * minimum, a length…) filled in. A rule without a text of its own reads as "not accepted".
 */
export function fieldMessage(rule: string, language: string, values: Record<string, unknown> = {}): string {
  const texts = fieldTexts[language] ?? fieldTexts[fallbackLanguage]!;
  const text = (Object.hasOwn(texts, rule) ? texts[rule] : undefined) ?? texts.invalid!;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}
