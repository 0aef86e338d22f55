/**
 * Shapes of the API's answers, taken from the types generated from the server's OpenAPI document
 * (shared/api/openapi.d.ts, `npm run api:types`): nothing here is typed by hand, so a change of the
 * contract shows up here as a type error.
 */
import type { operations } from '../../../shared/api/openapi';

/** The JSON body of an operation's answer with that status. */
type Answer<Operation extends keyof operations, Status extends number = 200> = operations[Operation]['responses'] extends {
  [S in Status]: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type Municipality = Answer<'getMunicipality'>;
export type Venue = Answer<'listVenues'>[number];
export type Vaccine = Venue['vaccine'];
export type CalendarDay = Answer<'listVenueDays'>[number];
export type Slot = Answer<'listVenueSlots'>[number];
export type Mark = Slot['mark'];

export type SignInStarted = Answer<'startSignIn'>;
export type CodeSent = Answer<'sendSignInCode'>;
export type SignedIn = Answer<'verifySignInCode'>;

export type Me = Answer<'getAccount'>;
export type Person = Me['account'];
/** The dose a new booking would be for, and the dates and vaccine the rules allow it. */
export type DoseWindow = NonNullable<Person['nextDose']>;

export type Reservation = Answer<'listReservations'>[number];
/** A new booking, with the dose 2 scheduled with it when the campaign does that. */
export type Booking = Answer<'bookReservation', 201>;
export type Hold = Answer<'holdPlace', 201>;

/** How confirmations and reminders reach the account holder, and in which language. */
export type NotificationPreferences = Answer<'getNotificationPreferences'>;
