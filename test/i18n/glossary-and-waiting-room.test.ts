import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Two checks translations.test.ts does not make:
 * - the waiting page's texts for the added languages (shared/i18n/waiting-room/<code>.json) say
 *   everything the English texts inside web/waiting-room/waiting-room.js say, with the same {x} slots;
 * - each language's glossary names the one word it uses for each domain term, and that word is
 *   really the one its texts use (a resident must meet the word printed on the letter, every time).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const terms = ['voucher', 'dose', 'reservation number', 'venue', 'booking', 'cancel', 'waiting room', 'sign-in code'];
type Texts = { [key: string]: string | Texts };

function jsonIn(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function read(file: string): Texts {
  return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Texts;
}

function strings(texts: Texts): string[] {
  return Object.values(texts).flatMap((value) => (typeof value === 'string' ? [value] : strings(value)));
}

/** The English object literal of the waiting page (plain ES5, no build step, so it is read from source). */
function waitingPageEnglish(): Record<string, string> {
  const source = fs.readFileSync(path.join(root, 'web/waiting-room/waiting-room.js'), 'utf8');
  const start = source.indexOf('    en: {');
  const end = source.indexOf('\n    },', start);
  expect(start, 'English block of waiting-room.js').toBeGreaterThan(0);
  return new Function(`return {${source.slice(start + '    en: {'.length, end)}}`)() as Record<string, string>;
}

const slots = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

describe('waiting page texts', () => {
  const english = waitingPageEnglish();
  const languages = jsonIn('shared/i18n/waiting-room');

  it.each(languages)('%s has exactly the English keys, each non-empty with the same {slots}', (language) => {
    const texts = read(`shared/i18n/waiting-room/${language}.json`);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(english).sort());
    for (const [key, englishText] of Object.entries(english)) {
      const text = texts[key];
      expect(typeof text, `${language}: ${key}`).toBe('string');
      expect((text as string).trim(), `${language}: ${key}`).not.toBe('');
      expect(slots(text as string), `${language}: ${key}`).toEqual(slots(englishText));
    }
  });
});

describe('glossaries', () => {
  const languages = jsonIn('shared/i18n/glossary');

  it('exist for at least one language', () => {
    expect(languages.length).toBeGreaterThan(0);
  });

  it.each(languages)('%s names every term, and its texts use each named word', (language) => {
    const glossary = read(`shared/i18n/glossary/${language}.json`);
    expect(Object.keys(glossary).sort()).toEqual([...terms].sort());
    const files = ['web/src/i18n', 'shared/i18n/problems', 'shared/i18n/fields', 'shared/i18n/waiting-room']
      .map((folder) => `${folder}/${language}.json`)
      .filter((file) => fs.existsSync(path.join(root, file)));
    const all = files
      .flatMap((file) => strings(read(file)))
      .join('\n')
      .toLowerCase();
    for (const term of terms) {
      // The word, or the word and the forms a sentence may need (test/i18n/glossary.test.ts).
      const named = glossary[term] as unknown as string | string[];
      const word = Array.isArray(named) ? named[0] : named;
      expect(typeof word, `${language}: ${term}`).toBe('string');
      expect(all.includes(word!.toLowerCase()), `${language}: "${word}" (${term}) is not used`).toBe(true);
    }
  });
});
