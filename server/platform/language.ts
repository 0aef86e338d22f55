import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, matchLanguage } from '../../shared/i18n/languages.js';
import type { ProblemCode } from './errors.js';

/** shared/i18n from the source tree, or next to the compiled server. */
function findTextsRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const found = [path.resolve(here, '../../shared/i18n'), path.resolve(here, '../../../shared/i18n'), path.resolve('shared/i18n')].find(
    (dir) => fs.existsSync(path.join(dir, 'problems', 'en.json')),
  );
  if (!found) throw new Error('shared/i18n/problems not found');
  return found;
}

const root = findTextsRoot();
function load(folder: 'problems' | 'fields'): Record<string, Record<string, string>> {
  return Object.fromEntries(
    LANGUAGES.map((l) => [
      l.code,
      JSON.parse(fs.readFileSync(path.join(root, folder, `${l.code}.json`), 'utf8')) as Record<string, string>,
    ]),
  );
}

/** Problem titles per language of shared/i18n/languages.ts, read once at start. */
const titles = load('problems');
export const supportedLanguages: readonly string[] = LANGUAGES.map((l) => l.code);
/** What a client that states no language (curl, a phone's SMS link preview) gets: the municipality's own. */
const defaultLanguage = 'ja';
/** What a browser whose languages we do not have gets, as on the pages. */
const fallbackLanguage = 'en';

/**
 * Picks the best supported language from an Accept-Language header (q-values honoured), matching
 * each tag as the pages do (shared/i18n/languages.ts): zh-TW gets Traditional Chinese, pt-PT
 * Brazilian Portuguese, any Japanese variant Japanese. Nothing asked for (or only `*`) gets
 * Japanese; languages we do not have get English.
 */
export function negotiateLanguage(acceptLanguage: string | undefined): string {
  if (!acceptLanguage) return defaultLanguage;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0 && entry.tag !== '')
    .sort((a, b) => b.q - a.q);
  if (ranked.length === 0 || ranked.every((entry) => entry.tag === '*')) return defaultLanguage;
  for (const entry of ranked) {
    const match = matchLanguage(entry.tag);
    if (match) return match;
  }
  return fallbackLanguage;
}

export function problemTitle(code: ProblemCode, language: string): string {
  return titles[language]?.[code] ?? titles[fallbackLanguage]?.[code] ?? code;
}

/** What each validation rule means for a field, per language (shared/i18n/fields/*.json). */
const fieldTexts = load('fields');

/**
 * The message shown beside a field that broke `rule`, with its {{placeholders}} (the limit of a
 * minimum, a length…) filled in. A rule without a text of its own reads as "not accepted".
 */
export function fieldMessage(rule: string, language: string, values: Record<string, unknown> = {}): string {
  const texts = (Object.hasOwn(fieldTexts, language) ? fieldTexts[language] : undefined) ?? fieldTexts[fallbackLanguage]!;
  const text = (Object.hasOwn(texts, rule) ? texts[rule] : undefined) ?? texts.invalid!;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}
