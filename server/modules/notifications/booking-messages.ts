import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { NotificationKind } from '../../db/schema.js';
import { bookingValues, type BookingFacts } from './messages/message-values.js';
import { messageLanguage, renderEmail, renderSms } from './messages/templates.js';
import type { Executor, NewOutboxRow } from './outbox.repository.js';
import { confirmationResidents, contactOf, type ConfirmationRecipient, type Contact } from './recipients.js';

export interface ReservationFacts extends BookingFacts {
  reservationId: number;
  residentId: number;
  bookerId: number | null;
}

/** Everything a message about these reservations says, read through the caller's transaction. */
export async function reservationFacts(executor: Executor, numbers: string[]): Promise<ReservationFacts[]> {
  if (numbers.length === 0) return [];
  const rows = await executor
    .selectFrom('reservations')
    .innerJoin('slots', 'slots.id', 'reservations.slot_id')
    .innerJoin('venues', 'venues.id', 'slots.venue_id')
    .innerJoin('residents', 'residents.id', 'reservations.resident_id')
    .innerJoin('municipalities', 'municipalities.code', 'residents.municipality_code')
    .select([
      'reservations.id',
      'reservations.number',
      'reservations.resident_id',
      'reservations.made_by_resident_id',
      'slots.starts_at',
      'venues.name_ja as venue_name_ja',
      'venues.name_en as venue_name_en',
      'venues.texts as venue_texts',
      'residents.name_kanji',
      'municipalities.code as municipality_code',
      'municipalities.name_ja as municipality_name_ja',
      'municipalities.name_en as municipality_name_en',
      'municipalities.time_zone',
    ])
    .where('reservations.number', 'in', numbers)
    .execute();
  return rows.map((row) => ({
    reservationId: row.id,
    residentId: row.resident_id,
    bookerId: row.made_by_resident_id,
    municipalityCode: row.municipality_code,
    municipalityNameJa: row.municipality_name_ja,
    municipalityNameEn: row.municipality_name_en,
    timeZone: row.time_zone,
    number: row.number,
    personName: row.name_kanji,
    startsAt: row.starts_at,
    venueNameJa: row.venue_name_ja,
    venueNameEn: row.venue_name_en,
    venueTexts: row.venue_texts,
  }));
}

/** The outbox row of one message to one contact, rendered in the contact's language. */
export function messageRow(
  kind: NotificationKind,
  facts: BookingFacts & { reservationId: number },
  contact: Contact,
  publicUrl: string,
  dedupeKey: string | null = null,
): NewOutboxRow {
  const language = messageLanguage(contact.language);
  const values = bookingValues(facts, language, publicUrl);
  const base = {
    idempotency_key: randomUUID(),
    dedupe_key: dedupeKey,
    municipality_code: facts.municipalityCode,
    resident_id: contact.residentId,
    reservation_id: facts.reservationId,
    kind,
    channel: contact.channel,
    // A sign-in code is the only message a duplicate would harm; every other kind must arrive.
    delivery: 'at-least-once' as const,
    recipient: contact.address,
    language,
  };
  if (contact.channel === 'sms') {
    const sms = renderSms(kind, language, values);
    return { ...base, subject: null, body: sms.text, segments: sms.segments, encoding: sms.encoding };
  }
  const email = renderEmail(kind, language, values);
  return { ...base, subject: email.subject, body: email.text, segments: 0, encoding: null };
}

/**
 * The rows of the messages some ledger events owe (reservation_events.notice, migration 0012): a
 * booking's confirmation goes to the person, the booker or both (the municipality's setting); a
 * change, a cancellation or a slot notice to the same people. Each message says what the event
 * did, from the event's own slots (where it moved to, or from), not from where the booking stands
 * by the time its message is written. One read for any number of events.
 */
export async function eventRows(executor: Executor, eventIds: number[], publicUrl: string): Promise<NewOutboxRow[]> {
  if (eventIds.length === 0) return [];
  const rows = await executor
    .selectFrom('reservation_events as event')
    .innerJoin('reservations', 'reservations.id', 'event.reservation_id')
    // A cancellation's slot is the one it left; a booking's or a move's, the one it went to.
    .innerJoin('slots', (join) => join.on('slots.id', '=', sql<number>`coalesce(event.to_slot_id, event.from_slot_id)`))
    .leftJoin('slots as previous', (join) => join.onRef('previous.id', '=', 'event.from_slot_id').on('event.to_slot_id', 'is not', null))
    .innerJoin('venues', 'venues.id', 'slots.venue_id')
    .innerJoin('residents as person', 'person.id', 'reservations.resident_id')
    .innerJoin('municipalities', 'municipalities.code', 'person.municipality_code')
    .leftJoin('notification_settings as settings', 'settings.municipality_code', 'municipalities.code')
    .leftJoin('notification_preferences as pp', 'pp.resident_id', 'person.id')
    .leftJoin('residents as booker', 'booker.id', 'reservations.made_by_resident_id')
    .leftJoin('notification_preferences as bp', 'bp.resident_id', 'booker.id')
    .select([
      'event.notice',
      'reservations.id',
      'reservations.number',
      'reservations.resident_id',
      'reservations.made_by_resident_id',
      'slots.starts_at',
      'previous.starts_at as previous_starts_at',
      'venues.name_ja as venue_name_ja',
      'venues.name_en as venue_name_en',
      'venues.texts as venue_texts',
      'person.name_kanji',
      'municipalities.code as municipality_code',
      'municipalities.name_ja as municipality_name_ja',
      'municipalities.name_en as municipality_name_en',
      'municipalities.time_zone',
      'settings.confirmation_recipient',
      'person.phone as person_imported_phone',
      'person.email as person_imported_email',
      'pp.phone as person_phone',
      'pp.email as person_email',
      'pp.channel as person_channel',
      'pp.language as person_language',
      'booker.phone as booker_imported_phone',
      'booker.email as booker_imported_email',
      'bp.phone as booker_phone',
      'bp.email as booker_email',
      'bp.channel as booker_channel',
      'bp.language as booker_language',
    ])
    .where('event.id', 'in', eventIds)
    .where('event.notice', 'is not', null)
    .orderBy('event.id')
    .execute();
  const out: NewOutboxRow[] = [];
  for (const row of rows) {
    const facts = {
      reservationId: row.id,
      municipalityCode: row.municipality_code,
      municipalityNameJa: row.municipality_name_ja,
      municipalityNameEn: row.municipality_name_en,
      timeZone: row.time_zone,
      number: row.number,
      personName: row.name_kanji,
      startsAt: row.starts_at,
      venueNameJa: row.venue_name_ja,
      venueNameEn: row.venue_name_en,
      venueTexts: row.venue_texts,
      previousStartsAt: row.previous_starts_at ?? undefined,
    };
    const setting = (row.confirmation_recipient ?? 'both') as ConfirmationRecipient;
    const who = confirmationResidents(row.resident_id, row.made_by_resident_id, setting);
    const contacts = [
      ...(who.includes(row.resident_id)
        ? contactOf({
            residentId: row.resident_id,
            phone: row.person_phone,
            email: row.person_email,
            importedPhone: row.person_imported_phone,
            importedEmail: row.person_imported_email,
            channel: row.person_channel,
            language: row.person_language,
          })
        : []),
      ...(row.made_by_resident_id !== null && row.made_by_resident_id !== row.resident_id && who.includes(row.made_by_resident_id)
        ? contactOf({
            residentId: row.made_by_resident_id,
            phone: row.booker_phone,
            email: row.booker_email,
            importedPhone: row.booker_imported_phone,
            importedEmail: row.booker_imported_email,
            channel: row.booker_channel,
            language: row.booker_language,
          })
        : []),
    ];
    for (const contact of contacts) out.push(messageRow(row.notice!, facts, contact, publicUrl));
  }
  return out;
}
