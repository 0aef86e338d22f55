import { expect } from 'vitest';
import { problemCodes, problemStatus, problemType, type ProblemCode } from '../../server/platform/errors.js';
import en from '../../shared/i18n/problems/en.json' with { type: 'json' };
import ja from '../../shared/i18n/problems/ja.json' with { type: 'json' };

const titles: Record<'ja' | 'en', Record<string, string>> = { ja, en };

/** Accept-Language headers and the language the answer must be in (worked out by hand, not by the server's code). */
export const languageCases: { header: string | undefined; expected: 'ja' | 'en' }[] = [
  { header: undefined, expected: 'ja' },
  { header: 'ja', expected: 'ja' },
  { header: 'en', expected: 'en' },
  { header: 'en-US,en;q=0.9', expected: 'en' },
  { header: 'EN-gb', expected: 'en' },
  { header: 'fr-FR, en;q=0.5', expected: 'en' },
  { header: 'de', expected: 'ja' },
  { header: 'en;q=0, ja', expected: 'ja' },
  { header: 'ja;q=0.1, en;q=0.9', expected: 'en' },
  { header: '*', expected: 'ja' },
];

/**
 * An error answer is application/problem+json with a stable code from errors.ts, the status that
 * code stands for, and its title in the expected language (either, when `language` is unknown).
 */
export function expectProblem(response: { status: number; contentType: string; text: string }, language: 'ja' | 'en' | undefined, label: string): void {
  expect(response.contentType, label).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.text) as { type: string; code: ProblemCode; title: string; status: number };
  expect(problemCodes, label).toContain(problem.code);
  expect(problem.type, label).toBe(problemType(problem.code));
  expect(problem.status, label).toBe(response.status);
  expect(problemStatus[problem.code], label).toBe(response.status);
  const translations = { ja: titles.ja[problem.code], en: titles.en[problem.code] };
  expect(translations.ja, `${label}\nno Japanese title for ${problem.code}`).toBeTruthy();
  expect(translations.en, `${label}\nno English title for ${problem.code}`).toBeTruthy();
  if (language) expect(problem.title, label).toBe(translations[language]);
  else expect([translations.ja, translations.en], label).toContain(problem.title);
}
