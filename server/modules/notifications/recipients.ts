import type { NotificationChannel } from '../../db/schema.js';
import type { Executor } from './outbox.repository.js';

export type ConfirmationRecipient = 'booker' | 'person' | 'both';

export interface Contact {
  residentId: number;
  channel: NotificationChannel;
  address: string;
  language: string;
}

/** The municipality's settings for messages, defaults where none were saved. */
export async function notificationSettings(executor: Executor, municipalityCode: string) {
  const row = await executor
    .selectFrom('notification_settings')
    .select(['confirmation_recipient', 'reminder_hour'])
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  return {
    confirmationRecipient: (row?.confirmation_recipient ?? 'both') as ConfirmationRecipient,
    reminderHour: row?.reminder_hour ?? 10,
  };
}

/**
 * Where each resident is reached: the channels they chose (SMS by default), to the phone number
 * their last sign-in confirmed (else the one imported with them) and their e-mail address. A
 * resident with SMS chosen but no phone gets e-mail if there is an address, and the other way round.
 */
export async function contactsOf(executor: Executor, residentIds: number[], options: { reminder?: boolean } = {}): Promise<Contact[]> {
  const ids = [...new Set(residentIds)];
  if (ids.length === 0) return [];
  const rows = await executor
    .selectFrom('residents')
    .leftJoin('notification_preferences as p', 'p.resident_id', 'residents.id')
    .select([
      'residents.id',
      'residents.phone as imported_phone',
      'residents.email as imported_email',
      'p.phone',
      'p.email',
      'p.channel',
      'p.reminders',
      'p.language',
    ])
    .where('residents.id', 'in', ids)
    .execute();
  return rows.flatMap((row) =>
    options.reminder && row.reminders === false
      ? []
      : contactOf({ residentId: row.id, ...row, importedPhone: row.imported_phone, importedEmail: row.imported_email }),
  );
}

export interface ContactFacts {
  residentId: number;
  phone: string | null;
  email: string | null;
  importedPhone: string | null;
  importedEmail: string | null;
  channel: 'sms' | 'email' | 'both' | null;
  language: string | null;
}

/** One resident's contacts from their preferences and imported details. */
export function contactOf(facts: ContactFacts): Contact[] {
  const phone = facts.phone ?? facts.importedPhone;
  const email = facts.email ?? facts.importedEmail;
  const language = facts.language ?? 'ja';
  const chosen = facts.channel ?? 'sms';
  const wantsSms = chosen === 'sms' || chosen === 'both';
  const wantsEmail = chosen === 'email' || chosen === 'both';
  const contacts: Contact[] = [];
  if (phone && (wantsSms || !email)) contacts.push({ residentId: facts.residentId, channel: 'sms', address: phone, language });
  if (email && (wantsEmail || !phone)) contacts.push({ residentId: facts.residentId, channel: 'email', address: email, language });
  return contacts;
}

/** Who receives a booking's confirmation: the person, the one who booked for them, or both (a setting). */
export function confirmationResidents(personId: number, bookerId: number | null, setting: ConfirmationRecipient): number[] {
  if (bookerId === null || bookerId === personId) return [personId];
  if (setting === 'booker') return [bookerId];
  if (setting === 'person') return [personId];
  return [personId, bookerId];
}
