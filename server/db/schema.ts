import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Dates without time (birth dates, dose dates) travel as 'YYYY-MM-DD' strings, never as JS Dates. */
type DateString = string;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface MunicipalitiesTable {
  code: string;
  name_ja: string;
  name_en: string;
  time_zone: string;
  call_centre_phone: string | null;
  /** Campaign policy overrides (see reservations/campaign-policy.ts); {} means defaults. */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface ResidentsTable {
  id: Generated<number>;
  municipality_code: string;
  voucher_number: string;
  birth_date: DateString;
  name_kanji: string;
  name_kana: string;
  /** name_kana folded by normaliseKana(), so the call centre can match how a caller spells it. */
  name_kana_key: string;
  sex: 'M' | 'F' | 'X';
  address: string | null;
  phone: string | null;
  email: string | null;
  postcode: ColumnType<string | null, string | null | undefined, string | null>;
  /** False once a full re-import no longer lists the resident (moved away); their bookings stay. */
  eligible: Generated<boolean>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The import that last listed the resident (a full import's missing are those it did not). */
  last_import_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

export interface DoseRecordsTable {
  id: Generated<number>;
  resident_id: number;
  dose_number: number;
  administered_on: DateString;
  vaccine: string;
  /** Recorded at check-in (migration 0014); null for doses imported with the residents. */
  lot_number: ColumnType<string | null, string | null | undefined, string | null>;
  venue_id: ColumnType<number | null, number | null | undefined, number | null>;
  recorded_by_staff_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The reservation the dose was given at (unique: one dose per reservation). */
  reservation_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface VenuesTable {
  id: Generated<number>;
  municipality_code: string;
  name_ja: string;
  name_en: string;
  address: string;
  access_notes: string | null;
  map_url: string | null;
  vaccine: string;
  /** Per language code: { name?, address?, accessNotes? } (migration 0005); written as JSON text. */
  texts: ColumnType<VenueTexts, string | undefined, string>;
  /** The telephone's share, the default for the venue's slots (migration 0015). */
  phone_places: Generated<number>;
  /** How long before a slot starts its phone places go to the web; null: never. */
  phone_release_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  /** Migration 0013. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  /** Bookings accepted beyond the doses, in percent of each slot's capacity (0–50, default 0). */
  overbooking_percent: Generated<number>;
  created_at: CreatedAt;
}

export type VenueTexts = Record<string, { name?: string; address?: string; accessNotes?: string }>;

export interface SlotsTable {
  id: Generated<number>;
  venue_id: number;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  duration_minutes: number;
  capacity: number;
  /** Active reservations plus live holds; the database refuses taken > capacity + extra_places. */
  taken: Generated<number>;
  opens_at: ColumnType<Date, Date | string, Date | string>;
  closes_at: ColumnType<Date, Date | string, Date | string>;
  /** Places kept for the telephone until `phone_release_at` (null: until booking closes); migration 0015. */
  phone_places: Generated<number>;
  phone_release_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Active bookings made by an operator, kept by a trigger on reservations: never written by the application. */
  phone_taken: Generated<number>;
  /** Places beyond the doses, from the venue's overbooking allowance (migration 0013); shown as "20 + 1". */
  extra_places: Generated<number>;
  /** When staff closed the slot: it takes no new place from then on (a trigger refuses it). */
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The booking window's end before staff closed the slot, given back when they reopen it (migration 0018). */
  closes_at_before_closing: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The template that made the slot, if one did. */
  template_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface SlotTemplatesTable {
  id: Generated<number>;
  venue_id: number;
  /** The template as staff gave it (shared/api's SlotTemplate), written as JSON text. */
  definition: ColumnType<Record<string, unknown>, string, string>;
  created_by: number | null;
  created_count: number;
  skipped_count: number;
  created_at: CreatedAt;
}

export interface HoldsTable {
  id: Generated<number>;
  resident_id: number;
  slot_id: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  created_at: CreatedAt;
}

export type ReservationStatus = 'booked' | 'attended' | 'no_show' | 'cancelled';
export type ActorKind = 'self' | 'family' | 'operator' | 'staff' | 'system';

export interface ReservationsTable {
  id: Generated<number>;
  number: string;
  resident_id: number;
  slot_id: number;
  dose_number: number;
  vaccine: string;
  status: ReservationStatus;
  made_by_kind: ActorKind;
  made_by_resident_id: number | null;
  /** The operator who booked it by telephone (migration 0011); null for every other maker. */
  made_by_staff_account_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Whether it counts in its slot's phone_taken: made by an operator (generated, migration 0015). */
  phone_place: ColumnType<boolean, never, never>;
  auto_scheduled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cancelled_by_kind: ActorKind | null;
}

export interface ReservationEventsTable {
  id: Generated<number>;
  reservation_id: number;
  /** check-in-undone: a wrong tap at check-in taken back (the reservation is booked again). */
  kind: 'booked' | 'changed' | 'cancelled' | 'attended' | 'no_show' | 'check-in-undone';
  from_slot_id: number | null;
  to_slot_id: number | null;
  actor_kind: ActorKind;
  actor_resident_id: number | null;
  /** The staff member of a check-in event (migration 0014). */
  actor_staff_account_id: ColumnType<number | null, number | null | undefined, number | null>;
  at: CreatedAt;
  /** The message this event still owes its people (migration 0012); null once written to the outbox, or for none. */
  notice: ColumnType<EventNotice | null, EventNotice | null | undefined, EventNotice | null>;
}

/** The messages an event of the ledger can owe: those about one booking (not a sign-in code or a reminder). */
export type EventNotice = Exclude<NotificationKind, 'sign-in-code' | 'reminder'>;

export interface FamilyLinksTable {
  account_id: number;
  member_id: number;
  created_at: CreatedAt;
}

export interface SignInChallengesTable {
  id: string;
  resident_id: number;
  phone: string | null;
  code_hash: string | null;
  code_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: Generated<number>;
  sends: Generated<number>;
  last_sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_kind: 'anonymous' | 'resident' | 'staff' | 'system';
  actor_id: string | null;
  action: string;
  subject_resident_id: number | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The municipality the action was taken in; null for deployment-wide ones (a sign-in, a new municipality). */
  municipality_code: string | null;
  /** The client's address as the server saw it (TRUST_PROXY); null where it is not kept (anonymous look-ups). */
  ip: string | null;
}

/** A logout (session_id) or a "sign out everywhere" (account_id, issued_before); see docs/adr/0004. */
export interface SessionRevocationsTable {
  id: Generated<number>;
  /** Whose sessions: 'resident' today; staff sessions can share the table under their own realm. */
  realm: string;
  session_id: string | null;
  account_id: number | null;
  issued_before: ColumnType<Date | null, Date | string | null | undefined, never>;
  keep_until: ColumnType<Date, Date | string, never>;
  created_at: CreatedAt;
}

/** A background job that failed for good (server/platform/jobs); no personal data. */
export interface FailedJobsTable {
  id: Generated<number>;
  /** pg-boss's id of the dead-letter job this row was made from. */
  dead_job_id: string;
  name: string;
  municipality_code: string | null;
  summary: ColumnType<Record<string, string | number | boolean | null>, string, never>;
  last_error: string;
  attempts: number;
  failed_at: CreatedAt;
}

export type StaffRole = 'administrator' | 'staff' | 'operator' | 'venue' | 'viewer';
type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface StaffAccountsTable {
  id: Generated<number>;
  /** As typed at the invitation; unique without regard to case. */
  email: string;
  display_name: Generated<string>;
  language: Generated<'ja' | 'en'>;
  super_admin: Generated<boolean>;
  status: Generated<'invited' | 'active' | 'disabled'>;
  /** argon2id, PHC string. */
  password_hash: string | null;
  /** AES-256-GCM under a key derived from the signing key (staff/totp.ts), never the plain secret. */
  totp_secret: string | null;
  /** The last TOTP time step accepted: a code is good once. */
  totp_last_step: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_sign_in_at: NullableInstant;
}

export interface StaffRolesTable {
  account_id: number;
  municipality_code: string;
  role: StaffRole;
  granted_at: CreatedAt;
}

export interface StaffRecoveryCodesTable {
  id: Generated<number>;
  account_id: number;
  code_hash: string;
  used_at: NullableInstant;
}

export interface StaffLinksTable {
  /** SHA-256 of the token in the link; the token itself is only ever in the link. */
  token_hash: string;
  account_id: number;
  purpose: 'enrolment' | 'password-reset';
  /** Enrolment: the TOTP secret shown on the page until the code confirms it (encrypted). */
  pending_totp_secret: string | null;
  expires_at: Instant;
  used_at: NullableInstant;
  created_at: CreatedAt;
}

export interface StaffSessionsTable {
  /** SHA-256 of the cookie's value. */
  id_hash: string;
  account_id: number;
  created_at: Instant;
  last_seen_at: Instant;
  /** The absolute end (12 h after sign-in); the idle end is last_seen_at + 30 min. */
  expires_at: Instant;
  revoked_at: NullableInstant;
  ip: string | null;
}

export type ResidentImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed';

export interface ResidentImportsTable {
  id: Generated<number>;
  municipality_code: string;
  created_by: number;
  status: Generated<ResidentImportStatus>;
  file_name: string;
  file_format: 'csv' | 'xlsx';
  encoding: 'utf-8' | 'shift_jis' | null;
  file_bytes: number;
  headers: ColumnType<string[], string | undefined, string>;
  /** Field → header name, as staff confirmed it. */
  mapping: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  full_import: Generated<boolean>;
  mark_missing_ineligible: Generated<boolean>;
  rows_total: number | null;
  rows_done: Generated<number>;
  rows_created: Generated<number>;
  rows_updated: Generated<number>;
  rows_rejected: Generated<number>;
  missing_count: number | null;
  error: string | null;
  created_at: CreatedAt;
  started_at: NullableInstant;
  finished_at: NullableInstant;
}

/** The uploaded file, in pieces of 256 KiB, in order of seq. */
export interface ResidentImportChunksTable {
  import_id: number;
  seq: number;
  bytes: Buffer;
}

export interface ResidentImportRejectsTable {
  import_id: number;
  row_number: number;
  voucher_number: string | null;
  problems: ColumnType<{ field: string; rule: string }[], string, string>;
}

export interface ResidentImportMissingTable {
  import_id: number;
  resident_id: number;
}

export interface ResidentImportMappingsTable {
  municipality_code: string;
  mapping: ColumnType<Record<string, string>, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type NotificationKind =
  'sign-in-code' | 'booking-confirmed' | 'booking-changed' | 'booking-cancelled' | 'reminder' | 'slot-closed' | 'slot-moved';
export type NotificationChannel = 'sms' | 'email';

/** A message to a resident, from its creation to its delivery or failure (migration 0010). */
export interface NotificationOutboxTable {
  id: Generated<number>;
  /** Passed to providers that accept one, so a retried send is delivered once. */
  idempotency_key: string;
  /** Once per reservation and appointment for reminders; null for messages of an event. */
  dedupe_key: string | null;
  municipality_code: string;
  resident_id: number | null;
  reservation_id: number | null;
  kind: NotificationKind;
  channel: NotificationChannel;
  delivery: 'at-most-once' | 'at-least-once';
  recipient: string;
  language: string;
  subject: string | null;
  body: string;
  segments: Generated<number>;
  encoding: 'gsm7' | 'ucs2' | null;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  created_at: CreatedAt;
  claimed_at: NullableInstant;
  sent_at: NullableInstant;
  failed_at: NullableInstant;
}

export interface NotificationPreferencesTable {
  resident_id: number;
  channel: Generated<'sms' | 'email' | 'both'>;
  reminders: Generated<boolean>;
  language: string | null;
  /** The resident chose `language` on their preferences page: a sign-in no longer changes it. */
  language_chosen: Generated<boolean>;
  /** The number confirmed by the last sign-in code; messages go there. */
  phone: string | null;
  email: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationSettingsTable {
  municipality_code: string;
  confirmation_recipient: Generated<'booker' | 'person' | 'both'>;
  reminder_hour: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CallNotesTable {
  id: Generated<number>;
  municipality_code: string;
  resident_id: number;
  staff_account_id: number;
  body: string;
  created_at: CreatedAt;
}

export interface CallCentreScriptsTable {
  municipality_code: string;
  /** Lines per screen and language: { identify: { ja: [...], en: [...] }, ... }. */
  screens: ColumnType<Record<string, Record<string, string[]>>, string, string>;
  updated_by: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  municipalities: MunicipalitiesTable;
  residents: ResidentsTable;
  dose_records: DoseRecordsTable;
  venues: VenuesTable;
  slots: SlotsTable;
  slot_templates: SlotTemplatesTable;
  holds: HoldsTable;
  reservations: ReservationsTable;
  reservation_events: ReservationEventsTable;
  family_links: FamilyLinksTable;
  sign_in_challenges: SignInChallengesTable;
  audit_log: AuditLogTable;
  session_revocations: SessionRevocationsTable;
  failed_jobs: FailedJobsTable;
  staff_accounts: StaffAccountsTable;
  staff_roles: StaffRolesTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_links: StaffLinksTable;
  staff_sessions: StaffSessionsTable;
  resident_imports: ResidentImportsTable;
  resident_import_chunks: ResidentImportChunksTable;
  resident_import_rejects: ResidentImportRejectsTable;
  resident_import_missing: ResidentImportMissingTable;
  resident_import_mappings: ResidentImportMappingsTable;
  notification_outbox: NotificationOutboxTable;
  notification_preferences: NotificationPreferencesTable;
  notification_settings: NotificationSettingsTable;
  call_notes: CallNotesTable;
  call_centre_scripts: CallCentreScriptsTable;
}

export type Resident = Selectable<ResidentsTable>;
export type NewResident = Insertable<ResidentsTable>;
export type Slot = Selectable<SlotsTable>;
export type Venue = Selectable<VenuesTable>;
export type Reservation = Selectable<ReservationsTable>;
