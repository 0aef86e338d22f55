import en from '../../../../shared/i18n/messages/en.json' with { type: 'json' };
import es from '../../../../shared/i18n/messages/es.json' with { type: 'json' };
import id from '../../../../shared/i18n/messages/id.json' with { type: 'json' };
import jaEasy from '../../../../shared/i18n/messages/ja-x-easy.json' with { type: 'json' };
import ja from '../../../../shared/i18n/messages/ja.json' with { type: 'json' };
import ko from '../../../../shared/i18n/messages/ko.json' with { type: 'json' };
import my from '../../../../shared/i18n/messages/my.json' with { type: 'json' };
import ne from '../../../../shared/i18n/messages/ne.json' with { type: 'json' };
import ptBR from '../../../../shared/i18n/messages/pt-BR.json' with { type: 'json' };
import ru from '../../../../shared/i18n/messages/ru.json' with { type: 'json' };
import th from '../../../../shared/i18n/messages/th.json' with { type: 'json' };
import tl from '../../../../shared/i18n/messages/tl.json' with { type: 'json' };
import vi from '../../../../shared/i18n/messages/vi.json' with { type: 'json' };
import zhHans from '../../../../shared/i18n/messages/zh-Hans.json' with { type: 'json' };
import zhHant from '../../../../shared/i18n/messages/zh-Hant.json' with { type: 'json' };
import type { NotificationKind } from '../../../db/schema.js';
import { countSegments, preferGsm, type SegmentCount } from './segments.js';

type Texts = typeof en;
export type TemplateKey = keyof Texts;

/**
 * The message texts per language (shared/i18n/messages/<code>.json), one for every language of the
 * resident site (shared/i18n/languages.ts; templates.test.ts checks the two lists match). A
 * language is added by its file and one line here. A text missing from a file is written in
 * English: a resident still gets a message they can more likely read than Japanese, and every
 * message is sent. The texts other than ja and en were machine-written and wait for a native
 * speaker's review (shared/i18n/messages/README.md).
 */
const LANGUAGES: Record<string, Partial<Texts>> = {
  ja,
  'ja-x-easy': jaEasy,
  en,
  'zh-Hans': zhHans,
  'zh-Hant': zhHant,
  ko,
  vi,
  tl,
  ne,
  'pt-BR': ptBR,
  id,
  my,
  th,
  ru,
  es,
};
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

/** The language a message is written in: the exact tag, else its base (ja-JP → ja), else English. */
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
