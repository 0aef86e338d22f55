import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

/** A change to bookings, as the messages about it need to know it. */
export type ReservationEvent =
  | { kind: 'booked'; numbers: string[] }
  | { kind: 'changed'; number: string; previousStartsAt: Date }
  | { kind: 'cancelled'; numbers: string[] };

/**
 * Told of each booking, change and cancellation inside its transaction, before it commits: the
 * notifications module writes its outbox rows there, so a message exists if and only if the
 * change it is about committed (server/app.ts wires it). Throwing rolls the change back.
 */
export interface ReservationsNotifier {
  inTransaction(tx: Transaction<Database>, event: ReservationEvent): Promise<void>;
}
