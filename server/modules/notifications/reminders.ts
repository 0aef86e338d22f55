import { addDays, localDate, zonedTimeToUtc } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import { campaignPolicy } from '../reservations/index.js';
import { messageRow, reservationFacts } from './booking-messages.js';
import { outboxRepository, type Executor, type Inserted } from './outbox.repository.js';
import { contactsOf } from './recipients.js';

/** Reminders go out between the municipality's reminder hour and this local hour, never at night. */
export const REMINDER_LATEST_HOUR = 20;

function localHour(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
}

/**
 * The reminders due now: for appointments N days ahead (the municipality's reminderDaysBefore),
 * once its reminder hour has come on the day N days before. A run that was missed (the workers were
 * down, a restart) is caught up by the next one, and a booking made after its reminder time gets
 * none (its confirmation is recent). Each row's dedupe key (reservation, appointment time, person,
 * channel) makes it once, however many runs or workers see it: a moved appointment is a new one.
 */
export async function queueDueReminders(
  db: Db,
  now: Date,
  publicUrl: string,
  enqueue: (tx: Executor, rows: Inserted[]) => Promise<void>,
): Promise<number> {
  const municipalities = await db
    .selectFrom('municipalities')
    .leftJoin('notification_settings as s', 's.municipality_code', 'municipalities.code')
    .select(['municipalities.code', 'municipalities.time_zone', 'municipalities.settings', 's.reminder_hour'])
    .execute();
  let queued = 0;
  for (const m of municipalities) {
    const hour = m.reminder_hour ?? 10;
    const nowHour = localHour(now, m.time_zone);
    if (nowHour < hour || nowHour > REMINDER_LATEST_HOUR) continue;
    const daysBefore = campaignPolicy(m.settings).reminderDaysBefore;
    const today = localDate(now, m.time_zone);
    for (let ahead = 0; ahead <= daysBefore; ahead++) {
      const day = addDays(today, ahead);
      const remindAt = zonedTimeToUtc(addDays(day, -daysBefore), `${String(hour).padStart(2, '0')}:00`, m.time_zone);
      if (remindAt > now) continue;
      const dayStarts = zonedTimeToUtc(day, '00:00', m.time_zone);
      const dayEnds = zonedTimeToUtc(addDays(day, 1), '00:00', m.time_zone);
      const due = await db
        .selectFrom('reservations')
        .innerJoin('slots', 'slots.id', 'reservations.slot_id')
        .innerJoin('venues', 'venues.id', 'slots.venue_id')
        .select('reservations.number')
        .where('venues.municipality_code', '=', m.code)
        .where('reservations.status', '=', 'booked')
        .where('slots.starts_at', '>=', dayStarts > now ? dayStarts : now)
        .where('slots.starts_at', '<', dayEnds)
        .where('reservations.created_at', '<', remindAt)
        .execute();
      for (let i = 0; i < due.length; i += 200) {
        const numbers = due.slice(i, i + 200).map((r) => r.number);
        queued += await db.transaction().execute(async (tx) => {
          const facts = await reservationFacts(tx, numbers);
          const rows = [];
          for (const fact of facts) {
            for (const contact of await contactsOf(tx, [fact.residentId], { reminder: true })) {
              const key = `reminder:${fact.reservationId}:${fact.startsAt.getTime()}:${contact.residentId}:${contact.channel}`;
              rows.push(messageRow('reminder', fact, contact, publicUrl, key));
            }
          }
          const inserted = await outboxRepository.insertOnce(tx, rows);
          await enqueue(tx, inserted);
          return inserted.length;
        });
      }
    }
  }
  return queued;
}
