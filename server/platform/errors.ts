/**
 * Every failure a client can meet, with its HTTP status, in one place.
 * The code is the stable `type` of the problem+json answer and the key of its translated title
 * (shared/i18n/problems/*.json), so the web app can show it in the user's language.
 */
export const problemStatus = {
  'invalid-request': 400,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'not-signed-in': 401,
  'sign-in-failed': 401,
  'code-expired': 401,
  'staff-sign-in-failed': 401,
  'csrf-failed': 403,
  forbidden: 403,
  'admission-required': 403,
  'not-found': 404,
  'slot-not-found': 404,
  'reservation-not-found': 404,
  'hold-not-found': 404,
  'municipality-not-found': 404,
  'resident-not-found': 404,
  'staff-account-not-found': 404,
  'link-invalid': 404,
  'import-not-found': 404,
  'slot-full': 409,
  'slot-not-open': 409,
  'already-booked': 409,
  /** The call centre: the person holds a booking already; the operator books again only when told to (acknowledgeExisting). */
  'existing-booking': 409,
  'reservation-not-active': 409,
  'family-already-linked': 409,
  'waiting-room-off': 409,
  'municipality-exists': 409,
  'staff-account-exists': 409,
  'own-account': 409,
  'account-shared': 409,
  'account-disabled': 409,
  'not-enrolled': 409,
  'import-running': 409,
  'capacity-below-bookings': 409,
  /** A venue with slots cannot be removed, nor change vaccine while people are booked there. */
  'venue-in-use': 409,
  'import-already-started': 409,
  /** Check-in: a reservation is marked attended or no-show from its day on, never before. */
  'check-in-too-early': 409,
  /** Check-in: a mark is undone on its day only; later it is part of the record. */
  'check-in-undo-too-late': 409,
  /** Check-in: the person's history already holds this dose (imported, or given elsewhere). */
  'dose-already-recorded': 409,
  'not-eligible-age': 422,
  'resident-ineligible': 422,
  'interval-too-short': 422,
  'wrong-vaccine': 422,
  'no-dose-due': 422,
  'conflicts-with-next-dose': 422,
  'family-self': 422,
  'family-other-municipality': 422,
  'family-limit': 422,
  'import-mapping-incomplete': 422,
  'import-file-unreadable': 422,
  'too-many-attempts': 429,
  'resend-too-soon': 429,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemCode = keyof typeof problemStatus;

export const problemCodes = Object.keys(problemStatus) as ProblemCode[];

/** A failure the client should be told about, in words it can translate. */
export class AppError extends Error {
  constructor(
    readonly code: ProblemCode,
    /** Extra, non-personal facts for the client (field errors, retry-after, earliest date). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }

  get status(): number {
    return problemStatus[this.code];
  }
}

export function problemType(code: ProblemCode): string {
  return `urn:yoyaku:problem:${code}`;
}
