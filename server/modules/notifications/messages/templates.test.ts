import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../shared/i18n/languages.js';
import en from '../../../../shared/i18n/messages/en.json' with { type: 'json' };
import type { NotificationKind } from '../../../db/schema.js';
import { bookingValues, type BookingFacts } from './message-values.js';
import { countSegments } from './segments.js';
import { fill, MESSAGE_LANGUAGES, messageLanguage, renderEmail, renderSms, TEMPLATE_OF, type TemplateKey } from './templates.js';

const KINDS = Object.keys(TEMPLATE_OF) as NotificationKind[];
const BOOKING_KINDS = KINDS.filter((k) => k !== 'sign-in-code');
const folder = new URL('../../../../shared/i18n/messages/', import.meta.url);
const fileOf = (language: string) =>
  JSON.parse(readFileSync(new URL(`${language}.json`, folder), 'utf8')) as Record<string, Record<string, string>>;

/** A typical booking: a municipality, a kanji name, a venue, a public URL of ordinary length. */
const typical: BookingFacts = {
  municipalityCode: '131016',
  municipalityNameJa: '千代田区',
  municipalityNameEn: 'Chiyoda City',
  timeZone: 'Asia/Tokyo',
  number: 'K7PM2X9QDT',
  personName: '山田 花子',
  startsAt: new Date('2027-01-12T01:30:00Z'),
  previousStartsAt: new Date('2027-01-10T05:00:00Z'),
  venueNameJa: '区民会館',
  venueNameEn: 'Community Hall',
};
const TYPICAL_URL = 'https://yoyaku.city.chiyoda.lg.jp';

/** The longest realistic case: a town named with its prefecture and district, a long venue, a long host. */
const long: BookingFacts = {
  ...typical,
  municipalityCode: '465305',
  municipalityNameJa: '鹿児島県肝属郡南大隅町',
  municipalityNameEn: 'Minamiosumi Town, Kimotsuki District',
  personName: '佐々木 美智子',
  venueNameJa: '南大隅町保健福祉センター 多目的ホール(2階)',
  venueNameEn: 'Minamiosumi Health and Welfare Centre, Multipurpose Hall (2F)',
};
const LONG_URL = 'https://vaccine-yoyaku.town.minamiosumi.kagoshima.jp';

/**
 * The segment budget per message: what the shortest texts achieve. A Latin text in GSM-7 fits a
 * sign-in code in one segment and a booking message in one (typical) or two (long names). A UCS-2
 * text (Japanese, Chinese, Korean, Thai, Cyrillic, Devanagari, Burmese, Vietnamese) holds 70
 * units: a code with the origin-bound line (35 units for a typical host) takes two where the
 * script needs more than 35 units to say "code, do not share", a booking message two, and with
 * the long names three (the 86-character link alone is more than one UCS-2 segment).
 */
const BUDGET = {
  typical: { code: { gsm7: 1, ucs2: 2 }, booking: { gsm7: 1, ucs2: 2 } },
  long: { code: { gsm7: 1, ucs2: 2 }, booking: { gsm7: 2, ucs2: 3 } },
} as const;

/** The words that tell the reader not to share the code, in each language. */
const DO_NOT_SHARE: Record<string, RegExp> = {
  ja: /教えない/,
  'ja-x-easy': /教えないで/,
  en: /share/i,
  'zh-Hans': /请勿告诉/,
  'zh-Hant': /請勿告訴/,
  ko: /알려 주지|알리지/,
  vi: /chia sẻ/,
  tl: /ibigay/,
  ne: /नदिनुहोस्/,
  'pt-BR': /compartilhe|informe/,
  id: /berikan/,
  my: /မပြပါနှင့်/,
  th: /ห้ามบอก/,
  ru: /сообщайте/,
  es: /comparta/,
};

const placeholders = (template: string) => [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const municipalityOf = (facts: BookingFacts, language: string) =>
  language.startsWith('ja') ? facts.municipalityNameJa : facts.municipalityNameEn;

describe('message texts', () => {
  it('has every language of the resident site, and writes an unknown one in English', () => {
    expect([...MESSAGE_LANGUAGES].sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
    expect(messageLanguage('ja')).toBe('ja');
    expect(messageLanguage('ja-x-easy')).toBe('ja-x-easy');
    expect(messageLanguage('ja-JP')).toBe('ja');
    expect(messageLanguage('en-US')).toBe('en');
    expect(messageLanguage('pt-BR')).toBe('pt-BR');
    expect(messageLanguage('xx')).toBe('en');
    expect(messageLanguage(null)).toBe('en');
    expect(renderSms('sign-in-code', 'xx', { municipality: 'Chiyoda City', code: '123456', host: 'h.jp' }).text).toContain('sign-in code');
  });

  describe.each(MESSAGE_LANGUAGES)('%s', (language) => {
    it('has every text of every kind, translated, with the same placeholders as English', () => {
      const file = fileOf(language);
      for (const key of Object.keys(en) as TemplateKey[]) {
        for (const [field, english] of Object.entries(en[key] as Record<string, string>)) {
          const own = file[key]?.[field];
          expect(own, `${key}.${field}`).toBeTypeOf('string');
          expect(placeholders(own!), `${key}.${field}`).toEqual(placeholders(english));
          if (language !== 'en') expect(own, `${key}.${field} is still English`).not.toBe(english);
        }
      }
    });

    it.each([
      ['typical', typical, TYPICAL_URL],
      ['long', long, LONG_URL],
    ] as const)('%s values: the sign-in code says not to share it and ends with the origin-bound line', (size, facts, url) => {
      const host = new URL(url).host;
      const sms = renderSms('sign-in-code', language, { municipality: municipalityOf(facts, language), code: '482913', host });
      expect(sms.text.split('\n').at(-1)).toBe(`@${host} #482913`);
      expect(sms.text).toMatch(DO_NOT_SHARE[language]!);
      expect(sms.text).toContain(municipalityOf(facts, language));
      // The code appears once before the origin-bound line, where a person reads it.
      expect(sms.text.split('482913')).toHaveLength(3);
      expect(sms.text).not.toMatch(/\{\{|\}\}/);
      expect(sms.segments).toBeLessThanOrEqual(BUDGET[size].code[sms.encoding]);
    });

    it.each(
      BOOKING_KINDS.flatMap(
        (kind) =>
          [
            [kind, 'typical', typical, TYPICAL_URL],
            [kind, 'long', long, LONG_URL],
          ] as const,
      ),
    )('%s (%s values): names the municipality, the number, the time and the link, in the fewest segments', (kind, size, facts, url) => {
      const values = bookingValues(facts, language, url);
      const sms = renderSms(kind, language, values);
      expect(sms.text).toContain(municipalityOf(facts, language));
      expect(sms.text).toContain('K7PM-2X9QDT');
      expect(sms.text).toContain(values.when);
      expect(sms.text).toContain(`${url}/m/${facts.municipalityCode}/reservations/K7PM2X9QDT`);
      expect(sms.text).not.toMatch(/\{\{|\}\}/);
      expect(sms.segments).toBe(countSegments(sms.text).segments);
      // No variant of the language's texts takes fewer segments than the one chosen.
      const file = fileOf(language)[TEMPLATE_OF[kind]]!;
      for (const field of ['sms', 'smsShort']) {
        expect(sms.segments).toBeLessThanOrEqual(countSegments(fill(file[field]!, values)).segments);
      }
      expect(sms.segments, sms.text).toBeLessThanOrEqual(BUDGET[size].booking[sms.encoding]);

      const email = renderEmail(kind, language, values);
      expect(email.subject).toContain(municipalityOf(facts, language));
      for (const value of [facts.personName, values.link, values.number, values.when, values.venue]) expect(email.text).toContain(value);
      if (kind === 'slot-moved') expect(email.text).toContain(values.previous);
      expect(`${email.subject}${email.text}`).not.toMatch(/\{\{|\}\}/);
    });

    it('writes the date in the language, with Latin digits', () => {
      const when = bookingValues(typical, language, TYPICAL_URL).when;
      expect(when).toMatch(/12/);
      expect(when).toMatch(/10[:.]30/);
    });
  });

  it('keeps a code in one segment where the script allows it: Japanese, Chinese and the GSM-7 texts', () => {
    for (const language of ['ja', 'ja-x-easy', 'zh-Hans', 'zh-Hant', 'en', 'tl', 'id', 'es', 'pt-BR']) {
      const sms = renderSms('sign-in-code', language, {
        municipality: municipalityOf(typical, language),
        code: '482913',
        host: 'yoyaku.city.chiyoda.lg.jp',
      });
      expect(sms.segments, language).toBe(1);
    }
  });

  it('keeps an English SMS in GSM-7 by leaving out the kanji name, and the Japanese one within two UCS-2 segments', () => {
    const english = renderSms('booking-confirmed', 'en', bookingValues(typical, 'en', TYPICAL_URL));
    expect(english.encoding).toBe('gsm7');
    expect(english.text).not.toContain('山田');
    expect(english.segments).toBe(1);
    const japanese = renderSms('booking-confirmed', 'ja', bookingValues(typical, 'ja', TYPICAL_URL));
    expect(japanese.encoding).toBe('ucs2');
    expect(japanese.segments).toBe(2);
  });

  it('writes the time in the municipality’s zone', () => {
    expect(bookingValues(typical, 'ja', TYPICAL_URL).when).toBe('1月12日(火) 10:30');
    expect(bookingValues(typical, 'en', TYPICAL_URL).when).toBe('Tue 12 Jan 10:30');
    expect(bookingValues(typical, 'ko', TYPICAL_URL).when).toBe('1월 12일 (화) 10:30');
    expect(bookingValues(typical, 'ne', TYPICAL_URL).when).toBe('जनवरी 12, मङ्गल, 10:30');
    expect(bookingValues({ ...typical, timeZone: 'America/Los_Angeles' }, 'en', TYPICAL_URL).when).toBe('Mon 11 Jan 17:30');
  });
});

describe('the venue’s name', () => {
  it('is the one staff wrote in the message’s language, else Japanese for Japanese and English for the rest', () => {
    const facts = { ...typical, venueTexts: { ko: { name: '치요다 구민회관' }, vi: {} } };
    expect(bookingValues(facts, 'ko', TYPICAL_URL).venue).toBe('치요다 구민회관');
    expect(bookingValues(facts, 'vi', TYPICAL_URL).venue).toBe(typical.venueNameEn);
    expect(bookingValues(facts, 'ja', TYPICAL_URL).venue).toBe(typical.venueNameJa);
    expect(bookingValues(facts, 'en', TYPICAL_URL).venue).toBe(typical.venueNameEn);
  });
});
