import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import { extraPlacesFor } from './slot-overlap.js';

/**
 * Staff change one slot's capacity. Never below what the slot holds: its active bookings and live
 * holds (`taken`), read under the slot's row lock, so a booking that lands meanwhile waits and is
 * counted (the database's check `taken <= capacity + extra_places` stays the last line). Only the slot's row is
 * locked, which fits the one lock order (person, then slots by id).
 */
export function createSlotCapacity(deps: { db: Db; audit: AuditLog }) {
  return {
    async set(municipalityCode: string, slotId: number, capacity: number, by: { accountId: number; ip: string }) {
      return inTransaction(deps.db, async (tx) => {
        const slot = await tx
          .selectFrom('slots')
          .innerJoin('venues', 'venues.id', 'slots.venue_id')
          .select(['slots.id', 'slots.starts_at', 'slots.capacity', 'slots.taken', 'venues.overbooking_percent'])
          .where('slots.id', '=', slotId)
          .where('venues.municipality_code', '=', municipalityCode)
          .forNoKeyUpdate('slots')
          .executeTakeFirst();
        if (!slot) throw new AppError('slot-not-found');
        if (capacity < slot.taken) throw new AppError('capacity-below-bookings', { taken: slot.taken });
        // The venue's allowance follows the new capacity (shown beside it, never folded in).
        const extraPlaces = extraPlacesFor(capacity, slot.overbooking_percent);
        await tx.updateTable('slots').set({ capacity, extra_places: extraPlaces }).where('id', '=', slotId).execute();
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action: 'slot.capacity-change',
            subjectResidentId: null,
            municipalityCode,
            ip: by.ip,
            detail: { slotId, from: slot.capacity, to: capacity },
          },
          tx,
        );
        return { id: slot.id, startsAt: slot.starts_at.toISOString(), capacity, extraPlaces, taken: slot.taken };
      });
    },
  };
}

export type SlotCapacity = ReturnType<typeof createSlotCapacity>;
