/**
 * How many SMS segments a text takes (3GPP TS 23.038 and 23.040). A text made only of the GSM 7-bit
 * default alphabet (and its extension table, whose characters take two septets) goes as GSM-7: 160
 * septets in one segment, 153 a segment when concatenated (the rest is the concatenation header).
 * Anything else (Japanese, Chinese, an emoji, a curly apostrophe) makes the whole text UCS-2: 70
 * UTF-16 units in one segment, 67 when concatenated. A character is never split between segments
 * (an extension character's escape, a surrogate pair), so the count packs characters whole.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  units: number;
}

export const SEGMENT_LIMITS = {
  gsm7: { single: 160, concatenated: 153 },
  ucs2: { single: 70, concatenated: 67 },
} as const;

function costs(text: string): { encoding: SmsEncoding; sizes: number[] } {
  const chars = [...text];
  if (chars.every((c) => basic.has(c) || extension.has(c))) {
    return { encoding: 'gsm7', sizes: chars.map((c) => (extension.has(c) ? 2 : 1)) };
  }
  return { encoding: 'ucs2', sizes: chars.map((c) => c.length) };
}

export function countSegments(text: string): SegmentCount {
  const { encoding, sizes } = costs(text);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units === 0) return { encoding, segments: 1, units };
  if (units <= limits.single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.concatenated) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { encoding, segments, units };
}

/**
 * Characters that look alike but force UCS-2 in a Latin text, mapped to GSM-7 ones: one curly
 * apostrophe would otherwise more than halve what a segment holds. Applied to texts that would
 * be GSM-7 but for these.
 */
const LOOKALIKES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u3000': ' ',
};

export function preferGsm(text: string): string {
  const replaced = [...text].map((c) => LOOKALIKES[c] ?? c).join('');
  return costs(replaced).encoding === 'gsm7' ? replaced : text;
}
