import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The notices people get when staff close their slot: written in the caller's transaction, so a
 * notice exists if and only if the move or cancellation it tells of committed. server/app.ts
 * wires the notifications module's `slotNotices` here.
 */
export interface SlotNotices {
  closed(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void>;
  moved(tx: Transaction<Database>, input: { reservationNumbers: string[]; previousStartsAt: Date }): Promise<void>;
}
