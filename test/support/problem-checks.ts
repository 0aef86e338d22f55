import { expect } from 'vitest';
import { problemCodes, problemStatus, problemType, type ProblemCode } from '../../server/platform/errors.js';
import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES, type LanguageCode } from '../../shared/i18n/languages.js';

export type Language = LanguageCode;
const titles = Object.fromEntries(
  LANGUAGES.map((l) => [
    l.code,
    JSON.parse(fs.readFileSync(path.resolve('shared/i18n/problems', `${l.code}.json`), 'utf8')) as Record<string, string>,
  ]),
) as Record<Language, Record<string, string>>;
const languages = Object.keys(titles) as Language[];

/** Accept-Language headers and the language the answer must be in (worked out by hand, not by the server's code). */
export const languageCases: { header: string | undefined; expected: Language }[] = [
  { header: undefined, expected: 'ja' },
  { header: 'ja', expected: 'ja' },
  { header: 'en', expected: 'en' },
  { header: 'en-US,en;q=0.9', expected: 'en' },
  { header: 'EN-gb', expected: 'en' },
  { header: 'fr-FR, en;q=0.5', expected: 'en' },
  { header: 'de', expected: 'en' },
  { header: 'en;q=0, ja', expected: 'ja' },
  { header: 'ja;q=0.1, en;q=0.9', expected: 'en' },
  { header: '*', expected: 'ja' },
  // Simplified Chinese by script or region (Traditional comes with the translations).
  { header: 'zh', expected: 'zh-Hans' },
  { header: 'zh-CN,zh;q=0.9,en;q=0.8', expected: 'zh-Hans' },
  { header: 'zh-Hans', expected: 'zh-Hans' },
  { header: 'en;q=0.4, zh;q=0.6', expected: 'zh-Hans' },
  { header: 'zh;q=0, en', expected: 'en' },
  // Brazilian Portuguese, for Portugal's Portuguese too.
  { header: 'pt', expected: 'pt-BR' },
  { header: 'pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7', expected: 'pt-BR' },
  { header: 'PT-br', expected: 'pt-BR' },
  { header: 'pt-PT', expected: 'pt-BR' },
  { header: 'de-DE, pt;q=0.8, en;q=0.5', expected: 'pt-BR' },
  { header: 'es-419, pt;q=0.8', expected: 'es' },
  { header: 'zh-TW', expected: 'zh-Hant' },
  { header: 'vi-VN, en;q=0.5', expected: 'vi' },
  { header: 'pt;q=0.2, ja;q=0.3', expected: 'ja' },
  // Tags that share only a prefix with a language we speak.
  { header: 'ptb, zhx', expected: 'en' },
  { header: 'sw, am;q=0.9', expected: 'en' },
  { header: 'ja-x-easy', expected: 'ja-x-easy' },
];

/**
 * An error answer is application/problem+json with a stable code from errors.ts, the status that
 * code stands for, and its title in the expected language (any of ours, when `language` is unknown).
 */
export function expectProblem(
  response: { status: number; contentType: string; text: string },
  language: Language | undefined,
  label: string,
): void {
  expect(response.contentType, label).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text) as { type: string; code: ProblemCode; title: string; status: number };
  expect(problemCodes, label).toContain(problem.code);
  expect(problem.type, label).toBe(problemType(problem.code));
  expect(problem.status, label).toBe(response.status);
  expect(problemStatus[problem.code], label).toBe(response.status);
  for (const lang of languages) expect(titles[lang][problem.code], `${label}\nno ${lang} title for ${problem.code}`).toBeTruthy();
  if (language) expect(problem.title, label).toBe(titles[language][problem.code]);
  else
    expect(
      languages.map((lang) => titles[lang][problem.code]),
      label,
    ).toContain(problem.title);
}
