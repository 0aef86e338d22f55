/**
 * Folds a kana name so that the call centre finds a caller however the name was typed:
 * full/half width (ｱ/ア), hiragana/katakana, spaces, and long-vowel marks (ー, ‐, ~) are ignored.
 * The result is katakana with no spaces or long-vowel marks.
 */
export function normaliseKana(name: string): string {
  return (
    name
      // NFKC turns half-width katakana (ｱ, ｶﾞ) into full width and full-width spaces into spaces.
      .normalize('NFKC')
      // Hiragana → katakana: the two blocks are 0x60 apart.
      .replace(/[\u3041-\u3096\u309d\u309e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
      .replace(/[\s\u30fb\u00b7・.,、。]/g, '')
      .replace(/[ー－‐\-−~〜～]/g, '')
  );
}
