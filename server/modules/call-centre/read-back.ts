import { formatReservationNumber } from '../reservations/index.js';

/** How each character of a reservation number is said on the phone, in Japanese and in English. */
const READINGS: Record<string, { ja: string; en: string }> = {
  '2': { ja: 'に', en: 'two' },
  '3': { ja: 'さん', en: 'three' },
  '4': { ja: 'よん', en: 'four' },
  '5': { ja: 'ご', en: 'five' },
  '6': { ja: 'ろく', en: 'six' },
  '7': { ja: 'なな', en: 'seven' },
  '8': { ja: 'はち', en: 'eight' },
  '9': { ja: 'きゅう', en: 'nine' },
  A: { ja: 'エー（アップルのエー）', en: 'A as in Alpha' },
  B: { ja: 'ビー（ボーイのビー）', en: 'B as in Bravo' },
  C: { ja: 'シー（キャットのシー）', en: 'C as in Charlie' },
  D: { ja: 'ディー（デンマークのディー）', en: 'D as in Delta' },
  E: { ja: 'イー（イングランドのイー）', en: 'E as in Echo' },
  F: { ja: 'エフ（フランスのエフ）', en: 'F as in Foxtrot' },
  G: { ja: 'ジー（ゴルフのジー）', en: 'G as in Golf' },
  H: { ja: 'エイチ（ホテルのエイチ）', en: 'H as in Hotel' },
  J: { ja: 'ジェイ（ジャパンのジェイ）', en: 'J as in Juliett' },
  K: { ja: 'ケー（キングのケー）', en: 'K as in Kilo' },
  M: { ja: 'エム（マイクのエム）', en: 'M as in Mike' },
  N: { ja: 'エヌ（ニッポンのエヌ）', en: 'N as in November' },
  P: { ja: 'ピー（ピアノのピー）', en: 'P as in Papa' },
  Q: { ja: 'キュー（クイーンのキュー）', en: 'Q as in Quebec' },
  R: { ja: 'アール（ラジオのアール）', en: 'R as in Romeo' },
  S: { ja: 'エス（サクラのエス）', en: 'S as in Sierra' },
  T: { ja: 'ティー（東京のティー）', en: 'T as in Tango' },
  U: { ja: 'ユー（ユニフォームのユー）', en: 'U as in Uniform' },
  V: { ja: 'ブイ（ビクトリーのブイ）', en: 'V as in Victor' },
  W: { ja: 'ダブリュー（ウイスキーのダブリュー）', en: 'W as in Whiskey' },
  X: { ja: 'エックス（エックス線のエックス）', en: 'X as in X-ray' },
  Y: { ja: 'ワイ（ヨットのワイ）', en: 'Y as in Yankee' },
  Z: { ja: 'ゼット（ゼブラのゼット）', en: 'Z as in Zulu' },
};

export interface ReadBackPart {
  character: string;
  ja: string;
  en: string;
}

/**
 * A reservation number as the operator reads it back, character by character, each with a word
 * that cannot be misheard (ビー and ディー sound alike on a bad line; ボーイのビー does not), and
 * the break between the two halves as `-` (ハイフン / dash). The alphabet has no
 * 0, 1, I, L or O, so every character has a reading.
 */
export function readBack(number: string): ReadBackPart[] {
  return [...formatReservationNumber(number)].map((character) => {
    if (character === '-') return { character, ja: 'ハイフン', en: 'dash' };
    const reading = READINGS[character];
    if (!reading) throw new Error(`not a reservation number character: ${character}`);
    return { character, ...reading };
  });
}
