import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { supportedLanguages } from '../../server/platform/language.js';

/**
 * Every language file says everything the English one says: the same keys (no more, no fewer) and,
 * for each text, the same {{placeholders}}. A missing key would silently show Japanese (the
 * fallback); a misspelled placeholder would show "{{name}}" to a resident.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const folders = {
  web: 'web/src/i18n',
  problems: 'shared/i18n/problems',
  fields: 'shared/i18n/fields',
  // SMS and e-mail texts: a language without its file is written in English (notifications/messages/templates.ts).
  messages: 'shared/i18n/messages',
} as const;

type Texts = { [key: string]: string | Texts };

function languagesIn(folder: string): string[] {
  return fs
    .readdirSync(path.join(root, folder))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function read(folder: string, language: string): Texts {
  return JSON.parse(fs.readFileSync(path.join(root, folder, `${language}.json`), 'utf8')) as Texts;
}

/** key path → text, for nested objects ("birthDate.errors.missing"). */
function flatten(texts: Texts, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(texts)) {
    if (value !== null && typeof value === 'object') for (const [k, v] of flatten(value, `${prefix}${key}.`)) flat.set(k, v);
    else flat.set(`${prefix}${key}`, value);
  }
  return flat;
}

function placeholders(text: string): string[] {
  // A set: a translation may say a name twice, or once where English says it twice.
  return [...new Set([...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]!))].sort();
}

describe.each(Object.entries(folders))('%s translations', (_, folder) => {
  const english = flatten(read(folder, 'en'));
  const others = languagesIn(folder).filter((language) => language !== 'en');

  it('has English and at least one other language', () => {
    expect(languagesIn(folder)).toContain('en');
    expect(others).toContain('ja');
  });

  describe.each(others)('%s', (language) => {
    const texts = flatten(read(folder, language));

    it('has exactly the keys of the English file', () => {
      expect([...texts.keys()].sort()).toEqual([...english.keys()].sort());
    });

    it('has a non-empty text for every key, with the same placeholders as English', () => {
      for (const [key, englishText] of english) {
        const text = texts.get(key);
        if (text === undefined) continue; // reported by the test above
        expect(typeof text, `${language}: ${key}`).toBe('string');
        expect((text as string).trim(), `${language}: ${key} is empty`).not.toBe('');
        expect(placeholders(text as string), `${language}: ${key}`).toEqual(placeholders(englishText as string));
      }
    });
  });
});

describe('registered languages', () => {
  it('has the same languages for the pages, the server’s error titles and its field messages', () => {
    expect(languagesIn(folders.web)).toEqual(languagesIn(folders.problems));
    expect(languagesIn(folders.fields)).toEqual(languagesIn(folders.problems));
  });

  it('lets the server answer in every language that has error titles', () => {
    expect([...supportedLanguages].sort()).toEqual(languagesIn(folders.problems));
  });

  it('offers every language in the page’s language switch', () => {
    const index = fs.readFileSync(path.join(root, folders.web, 'index.ts'), 'utf8');
    const offered = [...index.matchAll(/\{\s*code:\s*'([a-z]{2,3})'/g)].map((m) => m[1]!).sort();
    expect(offered).toEqual(languagesIn(folders.web));
  });
});
