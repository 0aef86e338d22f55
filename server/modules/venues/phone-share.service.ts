import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';

/**
 * Staff set the telephone's share (docs/adr/0008): per venue, the default for its slots, and per
 * slot. Only the share's own columns are written (`phone_taken` belongs to the trigger), each with
 * one UPDATE under the slot rows' locks, so a booking meanwhile meets either the old share or the
 * new one, never half of each. A share larger than a slot's capacity is cut to it.
 */
export function createPhoneShare(deps: { db: Db; audit: AuditLog; clock: Clock }) {
  const audit = (tx: Parameters<AuditLog['record']>[1], municipalityCode: string, by: { accountId: number; ip: string }, detail: object) =>
    deps.audit.record(
      {
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'schedule.phone-share',
        subjectResidentId: null,
        municipalityCode,
        ip: by.ip,
        detail: detail as Record<string, unknown>,
      },
      tx,
    );

  return {
    /** The venue's default, written to its slots that have not started yet. */
    async setForVenue(
      municipalityCode: string,
      venueId: number,
      share: { phonePlaces: number; releaseMinutesBefore: number | null },
      by: { accountId: number; ip: string },
    ) {
      return inTransaction(deps.db, async (tx) => {
        const venue = await tx
          .updateTable('venues')
          .set({ phone_places: share.phonePlaces, phone_release_minutes: share.releaseMinutesBefore })
          .where('id', '=', venueId)
          .where('municipality_code', '=', municipalityCode)
          .returning('id')
          .executeTakeFirst();
        if (!venue) throw new AppError('not-found');
        const release =
          share.releaseMinutesBefore === null
            ? sql<Date | null>`null`
            : sql<Date>`starts_at - make_interval(mins => ${share.releaseMinutesBefore}::int)`;
        const now = deps.clock.now();
        const slots = await tx
          .updateTable('slots')
          .set({ phone_places: sql<number>`least(${share.phonePlaces}::int, capacity)`, phone_release_at: release })
          // Locked in id order by the subquery, the one order for several slots (a shared booking statement keeps it too).
          .where('id', 'in', (eb) =>
            eb.selectFrom('slots').select('id').where('venue_id', '=', venueId).where('starts_at', '>', now).orderBy('id').forNoKeyUpdate(),
          )
          .returning('id')
          .execute();
        await audit(tx, municipalityCode, by, { venueId, ...share, slots: slots.length });
        return { venueId, phonePlaces: share.phonePlaces, releaseMinutesBefore: share.releaseMinutesBefore, slotsUpdated: slots.length };
      });
    },

    /** One slot's share: how many places, and until when (null: until its booking window closes). */
    async setForSlot(
      municipalityCode: string,
      slotId: number,
      share: { phonePlaces: number; releaseAt: Date | null },
      by: { accountId: number; ip: string },
    ) {
      return inTransaction(deps.db, async (tx) => {
        const slot = await tx
          .updateTable('slots')
          .set({ phone_places: sql<number>`least(${share.phonePlaces}::int, capacity)`, phone_release_at: share.releaseAt })
          .where('id', '=', slotId)
          .where('venue_id', 'in', (eb) => eb.selectFrom('venues').select('id').where('municipality_code', '=', municipalityCode))
          .returning(['id', 'phone_places', 'phone_release_at', 'phone_taken', 'capacity', 'taken'])
          .executeTakeFirst();
        if (!slot) throw new AppError('slot-not-found');
        await audit(tx, municipalityCode, by, {
          slotId,
          phonePlaces: slot.phone_places,
          releaseAt: share.releaseAt?.toISOString() ?? null,
        });
        return {
          id: slot.id,
          capacity: slot.capacity,
          taken: slot.taken,
          phonePlaces: slot.phone_places,
          phoneTaken: slot.phone_taken,
          phoneReleaseAt: slot.phone_release_at?.toISOString() ?? null,
        };
      });
    },
  };
}

export type PhoneShare = ReturnType<typeof createPhoneShare>;
