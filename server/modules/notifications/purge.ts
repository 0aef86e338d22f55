import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** Rows blanked per statement: short locks, however many are due. */
const PURGE_BATCH = 2000;

/**
 * Blanks the personal data of messages done with (sent or failed for good) more than `days` ago:
 * the recipient, the text and the subject. The row stays, with its kind, channel, status, segments,
 * encoding, provider, reason and times, so the staff cost figures and the failure counts of past
 * months do not change. Pending and sending rows are never touched: they are still to be sent.
 * Returns how many rows were blanked.
 */
export async function purgeOldMessages(db: Db, now: Date, days: number): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000);
  let purged = 0;
  for (;;) {
    const result = await db
      .updateTable('notification_outbox')
      .set({ recipient: '', body: '', subject: null })
      .where(
        'id',
        'in',
        db
          .selectFrom('notification_outbox')
          .select('id')
          .where('status', 'in', ['sent', 'failed'])
          .where(sql<Date>`coalesce(sent_at, failed_at, created_at)`, '<', before)
          .where((eb) => eb.or([eb('recipient', '<>', ''), eb('body', '<>', ''), eb('subject', 'is not', null)]))
          .limit(PURGE_BATCH),
      )
      .executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    purged += count;
    if (count < PURGE_BATCH) return purged;
  }
}
