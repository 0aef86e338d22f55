import { describe, expect, it } from 'vitest';
import { normaliseKana } from './kana.js';

/** Whether the call centre would find the record `stored` when the operator types `typed`. */
const sameName = (typed: string, stored: string) => normaliseKana(typed) === normaliseKana(stored);

describe('normaliseKana', () => {
  it('folds to katakana without spaces or lengthened vowels', () => {
    expect(normaliseKana('やまだ はなこ')).toBe('ヤマダハナコ');
    expect(normaliseKana('ヤマダ　ハナコ')).toBe('ヤマダハナコ');
    expect(normaliseKana('しけん たろう')).toBe('シケンタロ');
  });

  it('ignores full and half width, voiced marks included', () => {
    expect(sameName('ｼｹﾝ ﾀﾛｳ', 'シケン タロウ')).toBe(true);
    expect(sameName('ｶﾞｸ ﾊﾟﾝ', 'ガク パン')).toBe(true);
    expect(normaliseKana('ｶﾞｸ')).toBe('ガク');
  });

  it('ignores hiragana versus katakana, iteration marks included', () => {
    expect(sameName('やまだ はなこ', 'ヤマダ ハナコ')).toBe(true);
    expect(sameName('すゞき', 'スヾキ')).toBe(true);
  });

  it('ignores spaces of any width and the middle dot between names', () => {
    for (const typed of ['ヤマダハナコ', 'ヤマダ ハナコ', 'ヤマダ　ハナコ', ' ヤマダ  ハナコ ', 'ヤマダ・ハナコ', 'ﾔﾏﾀﾞ･ﾊﾅｺ']) {
      expect(sameName(typed, 'ヤマダ ハナコ'), typed).toBe(true);
    }
  });

  it('ignores how a long vowel is marked', () => {
    for (const typed of ['サトー', 'サトｰ', 'サト－', 'サト‐', 'サト-', 'サト〜', 'サト～', 'サト~', 'さとー']) {
      expect(sameName(typed, 'サトー'), typed).toBe(true);
    }
  });

  it('matches a long vowel written with a vowel kana to one written with ー', () => {
    // 佐藤 is サトウ on the register but people say and type サトー; likewise ユウコ/ユーコ, オオノ/オーノ, ケイコ/ケーコ.
    expect(sameName('サトー', 'サトウ')).toBe(true);
    expect(sameName('ゆーこ', 'ユウコ')).toBe(true);
    expect(sameName('オーノ', 'オオノ')).toBe(true);
    expect(sameName('ケーコ', 'ケイコ')).toBe(true);
    expect(sameName('キョーコ', 'キョウコ')).toBe(true);
  });

  it('still tells different names apart', () => {
    expect(sameName('サトウ', 'サイトウ')).toBe(false);
    expect(sameName('ミウラ', 'ミラ')).toBe(false);
    expect(sameName('カワウチ', 'カワチ')).toBe(false);
    expect(sameName('ヤマダ', 'ヤマタ')).toBe(false);
    expect(sameName('シケン タロウ', 'シケン ジロウ')).toBe(false);
  });

  it('folds small kana and kana of the same sound, as a caller spells them out', () => {
    const awkward: [typed: string, stored: string][] = [
      ['キヨウコ', 'キョウコ'],
      ['ｷｮｰｺ', 'キョウコ'],
      ['はつとり', 'ハットリ'],
      ['ジユン', 'ジュン'],
      ['チジミ', 'チヂミ'],
      ['ミカズキ', 'ミカヅキ'],
      ['イノウエ', 'ヰノウエ'],
      ['ゆうこ', 'ユーコ'],
      ['オオタ ショウヘイ', 'おーた しょーへー'],
      ['ｼｮｳﾍｲ', 'しょうへい'],
    ];
    for (const [typed, stored] of awkward) expect(sameName(typed, stored), `${typed} / ${stored}`).toBe(true);
    // Folding is not fuzziness: a different syllable is a different name.
    expect(sameName('キヨコ', 'キョウコ')).toBe(true);
    expect(sameName('キコ', 'キョウコ')).toBe(false);
    expect(sameName('ハトリ', 'ハットリ')).toBe(false);
  });

  it('gives a prefix of the name for a prefix typed (the family name alone)', () => {
    expect(normaliseKana('サトウ ハナコ').startsWith(normaliseKana('さとう'))).toBe(true);
    expect(normaliseKana('サトウ ハナコ').startsWith(normaliseKana('ｻﾄｰ ﾊﾅ'))).toBe(true);
    expect(normaliseKana('サトウ ハナコ').includes(normaliseKana('はなこ'))).toBe(true);
  });
});
