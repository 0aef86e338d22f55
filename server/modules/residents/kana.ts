/** Katakana by the vowel they end in, for the kana a long vowel can follow. */
const ROWS: [vowel: string, kana: string][] = [
  ['ア', 'アカガサザタダナハバパマヤラワァャ'],
  ['イ', 'イキギシジチヂニヒビピミリィ'],
  ['ウ', 'ウクグスズツヅヌフブプムユルゥュヴ'],
  ['エ', 'エケゲセゼテデネヘベペメレェ'],
  ['オ', 'オコゴソゾトドノホボポモヨロヲォョ'],
];
/** The vowel kana that spell a long vowel after each vowel: ō as オウ or オオ, ē as エイ or エエ, and so on. */
const LENGTHENERS: Record<string, string> = { ア: 'ア', イ: 'イ', ウ: 'ウ', エ: 'イエ', オ: 'ウオ' };
const lengthenersAfter = new Map(ROWS.flatMap(([vowel, kana]) => [...kana].map((ch) => [ch, LENGTHENERS[vowel]!] as const)));

/**
 * Kana a caller cannot tell apart over the phone, folded to one: small kana (キョウコ/キヨウコ,
 * ハットリ/ハツトリ; old registers and many typists write them large), ヂ/ジ and ヅ/ズ (same sound),
 * and the old ヰ/ヱ. Migration 0011 applies the same table with SQL translate() to stored keys:
 * keep the two in step.
 */
export const FOLDED_KANA = { from: 'ァィゥェォッャュョヮヵヶヂヅヰヱ', to: 'アイウエオツヤユヨワカケジズイエ' } as const;
const folding = new Map([...FOLDED_KANA.from].map((ch, i) => [ch, FOLDED_KANA.to[i]!]));

/**
 * Folds a kana name so that the call centre finds a caller however the name was typed:
 * full/half width (ｱ/ア), hiragana/katakana, spaces, small kana and kana of the same sound
 * (FOLDED_KANA), and long vowels, whether marked (ー, ‐, ~) or spelt with a vowel kana
 * (サトウ/サトー, オオノ/オーノ, ケイコ/ケーコ), are ignored.
 * The result is katakana with no spaces and no lengthening of vowels.
 */
export function normaliseKana(name: string): string {
  const katakana = name
    // NFKC turns half-width katakana (ｱ, ｶﾞ) into full width and full-width spaces into spaces.
    .normalize('NFKC')
    // Hiragana → katakana: the two blocks are 0x60 apart.
    .replace(/[\u3041-\u3096\u309d\u309e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/[\s\u30fb\u00b7・.,、。]/g, '')
    .replace(/[ー－‐\-−~〜～]/g, '');
  let folded = '';
  for (const typed of katakana) {
    const ch = folding.get(typed) ?? typed;
    if (lengthenersAfter.get(folded.at(-1) ?? '')?.includes(ch)) continue;
    folded += ch;
  }
  return folded;
}
