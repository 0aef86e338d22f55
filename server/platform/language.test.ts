import { describe, expect, it } from 'vitest';
import en from '../../shared/i18n/problems/en.json' with { type: 'json' };
import ja from '../../shared/i18n/problems/ja.json' with { type: 'json' };
import ptBR from '../../shared/i18n/problems/pt-BR.json' with { type: 'json' };
import zhHans from '../../shared/i18n/problems/zh-Hans.json' with { type: 'json' };
import { LANGUAGES } from '../../shared/i18n/languages.js';
import { fieldMessage, negotiateLanguage, problemTitle, supportedLanguages } from './language.js';

describe('negotiateLanguage', () => {
  it('speaks every language of the shared list', () => {
    expect(supportedLanguages).toEqual(LANGUAGES.map((l) => l.code));
  });

  it('answers in Japanese when nothing is asked for, in English when nothing asked for matches', () => {
    expect(negotiateLanguage(undefined)).toBe('ja');
    expect(negotiateLanguage('')).toBe('ja');
    expect(negotiateLanguage('*')).toBe('ja');
    expect(negotiateLanguage('de-DE, fr;q=0.8')).toBe('en');
    expect(negotiateLanguage('sw, am;q=0.9')).toBe('en');
  });

  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['ja-Hira', 'ja'],
    ['ja-x-easy', 'ja-x-easy'],
    ['JA-X-EASY', 'ja-x-easy'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['zh', 'zh-Hans'],
    ['zh-CN', 'zh-Hans'],
    ['zh-Hans', 'zh-Hans'],
    ['zh-Hans-CN', 'zh-Hans'],
    ['pt', 'pt-BR'],
    ['pt-BR', 'pt-BR'],
    ['PT-br', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
  ])('maps %s to %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it('takes the first supported language by q-value, as a browser sends them', () => {
    expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-Hans');
    expect(negotiateLanguage('pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('pt-BR');
    expect(negotiateLanguage('fr-FR, pt;q=0.5, en;q=0.4')).toBe('pt-BR');
    expect(negotiateLanguage('ja;q=0.1, pt-BR;q=0.9')).toBe('pt-BR');
    expect(negotiateLanguage('de, zh;q=0.5, ja;q=0.7')).toBe('ja');
  });

  it('never picks a language refused with q=0 or an unreadable q', () => {
    expect(negotiateLanguage('zh;q=0, en')).toBe('en');
    expect(negotiateLanguage('pt;q=0')).toBe('ja');
    expect(negotiateLanguage('pt;q=abc, en;q=0.1')).toBe('en');
  });

  it('only matches real languages, not what every object inherits', () => {
    expect(negotiateLanguage('constructor')).toBe('en');
    expect(negotiateLanguage('__proto__, ja;q=0.5')).toBe('ja');
    expect(negotiateLanguage('hasOwnProperty')).toBe('en');
  });
});

describe('problemTitle', () => {
  it('gives the title in the negotiated language', () => {
    expect(problemTitle('slot-full', 'ja')).toBe(ja['slot-full']);
    expect(problemTitle('slot-full', 'en')).toBe(en['slot-full']);
    expect(problemTitle('slot-full', 'zh-Hans')).toBe(zhHans['slot-full']);
    expect(problemTitle('slot-full', 'pt-BR')).toBe(ptBR['slot-full']);
  });

  it('falls back to English for a language it does not know', () => {
    expect(problemTitle('slot-full', 'de')).toBe(en['slot-full']);
  });

  it('has a field message in every language', () => {
    for (const { code } of LANGUAGES) expect(fieldMessage('required', code)).not.toBe('');
  });
});
