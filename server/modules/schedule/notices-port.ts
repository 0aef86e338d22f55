import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The notices people get when staff close their slot: called in the transaction that moved or
 * cancelled their booking, it makes the message that move or cancellation owes a slot notice, so a
 * notice exists if and only if the change it tells of committed. server/app.ts wires the
 * notifications module's `slotNotices` here.
 */
export interface SlotNotices {
  closed(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void>;
  moved(tx: Transaction<Database>, input: { reservationNumbers: string[] }): Promise<void>;
}
