/** Booking: dose rules, reservation numbers, holds, book / change / cancel / look-up, the ledger. */
export type { Actor } from './actor.js';
export { createBookTogether, MAX_TOGETHER, type BookTogether } from './book-together.js';
export { bookTogetherRoutes } from './book-together.routes.js';
export { campaignPolicy, defaultPolicy, defaultVaccines, type CampaignPolicy, type VaccineRule } from './campaign-policy.js';
export { doseHistoryOf } from './dose-history.js';
export { doseWindow, nextDoseNumber, type DoseEntry, type DoseWindow } from './dose-rules.js';
export {
  formatReservationNumber,
  generateReservationNumber,
  normaliseReservationNumber,
  RESERVATION_ALPHABET,
} from './reservation-number.js';
export type { ReservationsNotifier } from './notifier-port.js';
export { reservationsRepository, type Executor } from './reservations.repository.js';
export { ReservationSchema, reservationsRoutes } from './reservations.routes.js';
export { createReservationsService, type ReservationsService } from './reservations.service.js';
export { createGroupedBooking, type GroupedBooking } from './grouped-booking.js';
export { createContextReader, type ContextReader } from './context-reader.js';
export type { ReservationView } from './reservation.view.js';
