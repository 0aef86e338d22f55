/**
 * Told after a booking, change or cancellation committed. The change's ledger event already says
 * which message it owes (reservation_events.notice, written in the change's own statement), so a
 * message exists if and only if its change committed; this call only says "write them now", so
 * they follow within moments. It never throws and never delays the answer: events left owed by a
 * process that stopped first are written by the worker's sweep (server/app.ts wires it).
 */
export interface ReservationsNotifier {
  committed(): void;
}
