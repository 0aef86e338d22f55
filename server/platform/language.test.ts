import { describe, expect, it } from 'vitest';
import en from '../../shared/i18n/problems/en.json' with { type: 'json' };
import ja from '../../shared/i18n/problems/ja.json' with { type: 'json' };
import pt from '../../shared/i18n/problems/pt.json' with { type: 'json' };
import zh from '../../shared/i18n/problems/zh.json' with { type: 'json' };
import { negotiateLanguage, problemTitle, supportedLanguages } from './language.js';

describe('negotiateLanguage', () => {
  it('speaks Japanese, English, Simplified Chinese and Brazilian Portuguese', () => {
    expect([...supportedLanguages].sort()).toEqual(['en', 'ja', 'pt', 'zh']);
  });

  it('falls back to Japanese when nothing is asked for or nothing matches', () => {
    expect(negotiateLanguage(undefined)).toBe('ja');
    expect(negotiateLanguage('')).toBe('ja');
    expect(negotiateLanguage('*')).toBe('ja');
    expect(negotiateLanguage('de-DE, fr;q=0.8')).toBe('ja');
    expect(negotiateLanguage('ko, vi;q=0.9, tl;q=0.8')).toBe('ja');
  });

  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['zh-Hans', 'zh'],
    ['zh-Hans-CN', 'zh'],
    // No Traditional Chinese: Simplified is the closest we have.
    ['zh-TW', 'zh'],
    ['zh-Hant', 'zh'],
    ['zh-HK', 'zh'],
    ['pt', 'pt'],
    ['pt-BR', 'pt'],
    ['PT-br', 'pt'],
    ['pt-PT', 'pt'],
  ])('maps %s to %s', (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it('takes the first supported language by q-value, as a browser sends them', () => {
    expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(negotiateLanguage('pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('pt');
    expect(negotiateLanguage('fr-FR, pt;q=0.5, en;q=0.4')).toBe('pt');
    expect(negotiateLanguage('en;q=0.4, zh-TW;q=0.6')).toBe('zh');
    expect(negotiateLanguage('ja;q=0.1, pt-BR;q=0.9')).toBe('pt');
    expect(negotiateLanguage('vi, zh;q=0.5, ja;q=0.7')).toBe('ja');
  });

  it('never picks a language refused with q=0 or an unreadable q', () => {
    expect(negotiateLanguage('zh;q=0, en')).toBe('en');
    expect(negotiateLanguage('pt;q=0')).toBe('ja');
    expect(negotiateLanguage('pt;q=abc, en;q=0.1')).toBe('en');
  });

  it('only matches real languages, not what every object inherits', () => {
    expect(negotiateLanguage('constructor')).toBe('ja');
    expect(negotiateLanguage('__proto__, en;q=0.5')).toBe('en');
    expect(negotiateLanguage('hasOwnProperty')).toBe('ja');
  });
});

describe('problemTitle', () => {
  it('gives the title in the negotiated language', () => {
    expect(problemTitle('slot-full', 'ja')).toBe(ja['slot-full']);
    expect(problemTitle('slot-full', 'en')).toBe(en['slot-full']);
    expect(problemTitle('slot-full', 'zh')).toBe(zh['slot-full']);
    expect(problemTitle('slot-full', 'pt')).toBe(pt['slot-full']);
  });

  it('falls back to Japanese for a language it does not know', () => {
    expect(problemTitle('slot-full', 'de')).toBe(ja['slot-full']);
  });
});
