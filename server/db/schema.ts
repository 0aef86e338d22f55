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
  created_at: CreatedAt;
}

export interface DoseRecordsTable {
  id: Generated<number>;
  resident_id: number;
  dose_number: number;
  administered_on: DateString;
  vaccine: string;
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
  created_at: CreatedAt;
}

export interface SlotsTable {
  id: Generated<number>;
  venue_id: number;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  duration_minutes: number;
  capacity: number;
  /** Active reservations plus live holds; the database refuses taken > capacity. */
  taken: Generated<number>;
  opens_at: ColumnType<Date, Date | string, Date | string>;
  closes_at: ColumnType<Date, Date | string, Date | string>;
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
  auto_scheduled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cancelled_by_kind: ActorKind | null;
}

export interface ReservationEventsTable {
  id: Generated<number>;
  reservation_id: number;
  kind: 'booked' | 'changed' | 'cancelled' | 'attended' | 'no_show';
  from_slot_id: number | null;
  to_slot_id: number | null;
  actor_kind: ActorKind;
  actor_resident_id: number | null;
  at: CreatedAt;
}

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
  call_notes: CallNotesTable;
  call_centre_scripts: CallCentreScriptsTable;
}

export type Resident = Selectable<ResidentsTable>;
export type NewResident = Insertable<ResidentsTable>;
export type Slot = Selectable<SlotsTable>;
export type Venue = Selectable<VenuesTable>;
export type Reservation = Selectable<ReservationsTable>;
