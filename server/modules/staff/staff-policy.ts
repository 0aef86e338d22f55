/** The staff side's fixed rules (docs/adr/0006): numbers a deployment has no reason to change. */
export const staffPolicy = {
  /** A session ends after this long without a request… */
  sessionIdleMinutes: 30,
  /** …and this long after sign-in whatever happens. */
  sessionAbsoluteHours: 12,
  /** last_seen_at is written at most this often: the idle end is exact to within it. */
  sessionTouchSeconds: 60,
  enrolmentLinkHours: 72,
  passwordResetLinkHours: 24,
  /** Wrong codes or passwords tried on one link before it is locked for the limit window. */
  linkAttempts: 5,
  recoveryCodes: 10,
  passwordMinLength: 12,
  passwordMaxLength: 200,
} as const;
