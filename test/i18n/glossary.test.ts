import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/i18n/languages.js';

/**
 * One word for each domain term in each language (shared/i18n/glossary/<code>.json: the word, or
 * the word first and then the forms a sentence may need, such as a plural). Wherever the
 * English page text speaks of a voucher, a dose, a reservation number or a venue, the translation
 * must use that language's word: a resident who learned 接種券 on the first page must not meet
 * クーポン on the third.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENGLISH: Record<string, RegExp> = {
  voucher: /\bvouchers?\b/i,
  dose: /\bdoses?\b/i,
  'reservation number': /\breservation numbers?\b/i,
  venue: /\bvenues?\b/i,
};

type Texts = { [key: string]: string | Texts };
function flatten(texts: Texts, prefix = ''): [string, string][] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`),
  );
}
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Texts;
const plain = (text: string) =>
  text
    .replace(/<rt>[^<]*<\/rt>/g, '')
    .replace(/<\/?ruby>/g, '')
    .toLowerCase();

const english = new Map([...flatten(read('web/src/i18n/en.json')), ...flatten(read('shared/i18n/problems/en.json'), 'problems:')]);

describe.each(LANGUAGES.map((l) => l.code))('glossary of %s', (code) => {
  const glossary = read(`shared/i18n/glossary/${code}.json`) as unknown as Record<string, string | string[]>;
  const translated = new Map([
    ...flatten(read(`web/src/i18n/${code}.json`)),
    ...flatten(read(`shared/i18n/problems/${code}.json`), 'problems:'),
  ]);

  it('names a word for every domain term', () => {
    for (const term of Object.keys(ENGLISH)) expect(glossary[term]?.length, term).toBeGreaterThan(0);
  });

  it.each(Object.keys(ENGLISH))('uses its word for "%s" wherever English does', (term) => {
    const named = glossary[term] ?? [];
    const forms = (Array.isArray(named) ? named : [named]).map((form) => form.toLowerCase());
    const missing = [...english]
      .filter(([, text]) => ENGLISH[term]!.test(text.replace(/\{\{[^}]*\}\}/g, '')))
      .filter(([key]) => !forms.some((form) => plain(translated.get(key) ?? '').includes(form)))
      .map(([key]) => `${key}: ${translated.get(key)}`);
    expect(missing, `${code} texts about "${term}" without ${forms.join(' / ')}`).toEqual([]);
  });
});
