import en from '../../../../shared/i18n/messages/en.json' with { type: 'json' };
import ja from '../../../../shared/i18n/messages/ja.json' with { type: 'json' };
import type { NotificationKind } from '../../../db/schema.js';
import { countSegments, preferGsm, type SegmentCount } from './segments.js';

type Texts = typeof en;
export type TemplateKey = keyof Texts;

/**
 * The message texts per language (shared/i18n/messages/<code>.json). A language is added by its
 * file and one line here. A language without a file, or a text missing from one, is written in
 * English: a resident who chose a language we cannot yet text in still gets a message they can
 * more likely read than Japanese, and every message is sent.
 */
const LANGUAGES: Record<string, Partial<Texts>> = { en, ja };
export const MESSAGE_LANGUAGES = Object.keys(LANGUAGES);
export const MESSAGE_FALLBACK_LANGUAGE = 'en';

export const TEMPLATE_OF: Record<NotificationKind, TemplateKey> = {
  'sign-in-code': 'signInCode',
  'booking-confirmed': 'bookingConfirmed',
  'booking-changed': 'bookingChanged',
  'booking-cancelled': 'bookingCancelled',
  reminder: 'reminder',
  'slot-closed': 'slotClosed',
  'slot-moved': 'slotMoved',
};

/** The language a message is written in: the exact tag, else its base (ja-x-easy → ja), else English. */
export function messageLanguage(requested: string | null | undefined): string {
  if (requested && Object.hasOwn(LANGUAGES, requested)) return requested;
  const base = requested?.split('-')[0]?.toLowerCase();
  if (base && Object.hasOwn(LANGUAGES, base)) return base;
  return MESSAGE_FALLBACK_LANGUAGE;
}

function text(language: string, key: TemplateKey, field: string): string | undefined {
  const entry = LANGUAGES[language]?.[key] as Record<string, string> | undefined;
  const fallback = LANGUAGES[MESSAGE_FALLBACK_LANGUAGE]![key] as Record<string, string>;
  return entry?.[field] ?? fallback[field];
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

export interface RenderedSms extends SegmentCount {
  text: string;
}

/**
 * The SMS of a kind, in the fewest segments: the full text when it takes no more segments than
 * the short one, the short one otherwise. Look-alike punctuation is made GSM-7 where that keeps
 * a Latin text out of UCS-2.
 */
export function renderSms(kind: NotificationKind, language: string, values: Record<string, string>): RenderedSms {
  const key = TEMPLATE_OF[kind];
  const variants = ['sms', 'smsShort']
    .map((field) => text(language, key, field))
    .filter((t): t is string => t !== undefined)
    .map((template) => {
      const rendered = preferGsm(fill(template, values));
      return { text: rendered, ...countSegments(rendered) };
    });
  const fewest = Math.min(...variants.map((v) => v.segments));
  return variants.find((v) => v.segments === fewest)!;
}

export function renderEmail(kind: NotificationKind, language: string, values: Record<string, string>): { subject: string; text: string } {
  const key = TEMPLATE_OF[kind];
  return {
    subject: fill(text(language, key, 'emailSubject') ?? '', values),
    text: fill(text(language, key, 'emailBody') ?? '', values),
  };
}
