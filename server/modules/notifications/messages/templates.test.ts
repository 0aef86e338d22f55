import { describe, expect, it } from 'vitest';
import type { NotificationKind } from '../../../db/schema.js';
import { bookingValues } from './message-values.js';
import { countSegments } from './segments.js';
import { MESSAGE_LANGUAGES, messageLanguage, renderEmail, renderSms, TEMPLATE_OF } from './templates.js';

const KINDS = Object.keys(TEMPLATE_OF) as NotificationKind[];
const BOOKING_KINDS = KINDS.filter((k) => k !== 'sign-in-code');

/** A typical booking: a municipality, a kanji name, a venue, a public URL of ordinary length. */
const facts = {
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
const PUBLIC_URL = 'https://yoyaku.city.chiyoda.lg.jp';

describe('message texts', () => {
  it('has Japanese and English, and writes any other language in English until it has its file', () => {
    expect(MESSAGE_LANGUAGES).toEqual(expect.arrayContaining(['ja', 'en']));
    expect(messageLanguage('ja')).toBe('ja');
    expect(messageLanguage('ja-x-easy')).toBe('ja');
    expect(messageLanguage('en-US')).toBe('en');
    expect(messageLanguage('xx')).toBe('en');
    expect(messageLanguage(null)).toBe('en');
    expect(renderSms('sign-in-code', 'xx', { municipality: 'Chiyoda City', code: '123456', host: 'h.jp' }).text).toContain('sign-in code');
  });

  describe.each(MESSAGE_LANGUAGES)('%s', (language) => {
    it('says what a sign-in code is for and not to share it, and ends with the origin-bound line', () => {
      const sms = renderSms('sign-in-code', language, {
        municipality: language === 'ja' ? '千代田区' : 'Chiyoda City',
        code: '482913',
        host: 'yoyaku.city.chiyoda.lg.jp',
      });
      expect(sms.text.split('\n').at(-1)).toBe('@yoyaku.city.chiyoda.lg.jp #482913');
      expect(sms.text).toMatch(language === 'ja' ? /サインイン/ : /sign-in code/);
      expect(sms.text).toMatch(language === 'ja' ? /教えない/ : /share/i);
      // The code appears once before the origin-bound line, where a person reads it.
      expect(sms.text.split('482913')).toHaveLength(3);
      expect(sms.segments).toBe(1);
    });

    it.each(BOOKING_KINDS)('%s: names the municipality, the number and the time, and fits in the fewest segments', (kind) => {
      const values = bookingValues(facts, language, PUBLIC_URL);
      const sms = renderSms(kind, language, values);
      expect(sms.text).toContain(language === 'ja' ? '千代田区' : 'Chiyoda City');
      expect(sms.text).toContain('K7PM-2X9QDT');
      expect(sms.text).toContain(values.when);
      expect(sms.text).toContain(`${PUBLIC_URL}/m/131016/reservations/K7PM2X9QDT`);
      expect(sms.text).not.toMatch(/\{\{|\}\}/);
      // The chosen text takes no more segments than either variant, and at most two.
      expect(sms.segments).toBe(countSegments(sms.text).segments);
      expect(sms.segments).toBeLessThanOrEqual(2);
      const email = renderEmail(kind, language, values);
      expect(email.subject).toContain(language === 'ja' ? '千代田区' : 'Chiyoda City');
      expect(email.text).toContain(facts.personName);
      expect(email.text).toContain(values.link);
    });
  });

  it('keeps an English SMS in GSM-7 by leaving out the kanji name, and the Japanese one within two UCS-2 segments', () => {
    const en = renderSms('booking-confirmed', 'en', bookingValues(facts, 'en', PUBLIC_URL));
    expect(en.encoding).toBe('gsm7');
    expect(en.text).not.toContain('山田');
    expect(en.segments).toBe(1);
    const ja = renderSms('booking-confirmed', 'ja', bookingValues(facts, 'ja', PUBLIC_URL));
    expect(ja.encoding).toBe('ucs2');
    expect(ja.segments).toBe(2);
  });

  it('writes the time in the municipality’s zone', () => {
    expect(bookingValues(facts, 'ja', PUBLIC_URL).when).toBe('1月12日(火) 10:30');
    expect(bookingValues(facts, 'en', PUBLIC_URL).when).toBe('Tue 12 Jan 10:30');
    expect(bookingValues({ ...facts, timeZone: 'America/Los_Angeles' }, 'en', PUBLIC_URL).when).toBe('Mon 11 Jan 17:30');
  });
});
