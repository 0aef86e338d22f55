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
  const contacts: Contact[] = [];
  for (const row of rows) {
    if (options.reminder && row.reminders === false) continue;
    const phone = row.phone ?? row.imported_phone;
    const email = row.email ?? row.imported_email;
    const language = row.language ?? 'ja';
    const chosen = row.channel ?? 'sms';
    const wantsSms = chosen === 'sms' || chosen === 'both';
    const wantsEmail = chosen === 'email' || chosen === 'both';
    const sms = phone && (wantsSms || !email);
    const mail = email && (wantsEmail || !phone);
    if (sms) contacts.push({ residentId: row.id, channel: 'sms', address: phone, language });
    if (mail) contacts.push({ residentId: row.id, channel: 'email', address: email, language });
  }
  return contacts;
}

/** Who receives a booking's confirmation: the person, the one who booked for them, or both (a setting). */
export function confirmationResidents(personId: number, bookerId: number | null, setting: ConfirmationRecipient): number[] {
  if (bookerId === null || bookerId === personId) return [personId];
  if (setting === 'booker') return [bookerId];
  if (setting === 'person') return [personId];
  return [personId, bookerId];
}
