import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { supportedLanguages } from '../../server/platform/language.js';
import { LANGUAGES } from '../../shared/i18n/languages.js';

/**
 * Every language file says everything the English one says: the same keys (no more, no fewer) and,
 * for each text, the same {{placeholders}}. A missing key would silently show Japanese (the
 * fallback); a misspelled placeholder would show "{{name}}" to a resident.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const folders = {
  web: 'web/src/i18n',
  admin: 'web/admin/src/i18n',
  problems: 'shared/i18n/problems',
  fields: 'shared/i18n/fields',
  staffExports: 'shared/i18n/staff-exports',
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

  it('gives the staff app Japanese and English, languages the server also answers in', () => {
    expect(languagesIn(folders.admin)).toEqual(['en', 'ja']);
    for (const language of languagesIn(folders.admin)) expect(languagesIn(folders.problems)).toContain(language);
    const index = fs.readFileSync(path.join(root, folders.admin, 'index.ts'), 'utf8');
    const offered = [...index.matchAll(/\{\s*code:\s*'([a-z]{2,3})'/g)].map((m) => m[1]!).sort();
    expect(offered).toEqual(languagesIn(folders.admin));
  });

  it('offers every language with texts in the shared list (the switch, the loader and the server read it)', () => {
    expect(LANGUAGES.map((l) => l.code).sort()).toEqual(languagesIn(folders.web));
  });

  it('names each language in itself, once, with a valid BCP 47 tag', () => {
    expect(new Set(LANGUAGES.map((l) => l.name)).size).toBe(LANGUAGES.length);
    for (const { code, locale } of LANGUAGES) {
      // Well-formed (Intl throws on a malformed tag); CLDR may prefer an alias (tl → fil), the tag stays valid BCP 47.
      expect(() => Intl.getCanonicalLocales(code), code).not.toThrow();
      expect(() => new Intl.DateTimeFormat(locale), locale).not.toThrow();
    }
  });
});

/**
 * Every key the staff app asks for by name (`t('accounts.title')`) is in its English file (and so,
 * by the tests above, in Japanese): a key spelled wrong would show the key itself to staff. Keys
 * built at run time (`roles.${role}`) are checked by their fixed start.
 */
describe('the staff app’s keys', () => {
  const english = flatten(read(folders.admin, 'en'));
  const prefixes = new Set([...english.keys()].flatMap((key) => key.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(full);
      return /\.tsx?$/.test(entry.name) ? [full] : [];
    });
  }
  const uses = sources(path.join(root, 'web/admin/src')).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(/\bt\(\s*(['`])([^'`]+)\1/g)].map((m) => ({ file: path.relative(root, file), quote: m[1]!, key: m[2]! }));
  });

  it('are found (so that the check cannot pass by reading nothing)', () => {
    expect(uses.length).toBeGreaterThan(150);
  });

  it('are all in the translations', () => {
    const missing = uses.filter(({ quote, key }) => {
      if (key.startsWith('problems:')) return false;
      if (quote === "'") return !english.has(key);
      const fixed = key.slice(0, key.indexOf('${')).replace(/\.$/, '');
      return !prefixes.has(fixed);
    });
    expect(missing).toEqual([]);
  });
});
