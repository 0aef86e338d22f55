/** The console's screens that show script lines, in the order of a call. */
export const SCRIPT_SCREENS = ['identify', 'confirm', 'book', 'readBack', 'close'] as const;
export type ScriptScreen = (typeof SCRIPT_SCREENS)[number];
export type ScriptLines = Record<ScriptScreen, { ja: string[]; en: string[] }>;

/** What operators say until the municipality sets its own lines (administrators edit them). */
export const DEFAULT_SCRIPTS: ScriptLines = {
  identify: {
    ja: [
      'お電話ありがとうございます。ワクチン接種予約センターです。',
      'お名前をフルネームでお願いいたします。',
      '生年月日と、接種券番号をお願いいたします。',
    ],
    en: [
      'Thank you for calling the vaccination booking centre.',
      'May I have your full name, please?',
      'And your date of birth and voucher number?',
    ],
  },
  confirm: {
    ja: ['ご本人確認のため、ご住所を確認させていただきます。'],
    en: ['To confirm who you are, may I check your address?'],
  },
  book: {
    ja: ['ご希望の会場と日にちはございますか。', 'それでは、この日時でご予約いたします。よろしいでしょうか。'],
    en: ['Which venue and day would suit you?', 'I will book this time for you. Is that right?'],
  },
  readBack: {
    ja: ['予約番号を申し上げます。お手元にメモのご用意をお願いいたします。', '念のため、もう一度繰り返します。'],
    en: ['I will read out your reservation number; please have something to write with.', 'Let me repeat it once more.'],
  },
  close: {
    ja: ['予約登録済書を郵送いたします。当日は接種券と本人確認書類をお持ちください。', 'お電話ありがとうございました。'],
    en: ['We will post you a confirmation card. Please bring your voucher and an identity document on the day.', 'Thank you for calling.'],
  },
};

/** The stored lines laid over the defaults, screen by screen (a screen not set keeps the default). */
export function scriptsOf(stored: Record<string, Record<string, string[]>> | undefined): ScriptLines {
  const merged = structuredClone(DEFAULT_SCRIPTS);
  for (const screen of SCRIPT_SCREENS) {
    const lines = stored?.[screen];
    if (lines?.ja) merged[screen].ja = lines.ja;
    if (lines?.en) merged[screen].en = lines.en;
  }
  return merged;
}
