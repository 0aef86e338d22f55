import fs from 'node:fs';
import { inject } from 'vitest';

/** What the global setup started, handed to every e2e file (see global-setup.ts). */
export interface E2eEnv {
  /** The real server (API + built web app), e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Where the server's SMS outbox is (latestCode reads it). */
  dataDir: string;
  /** Read-only SQL on the server's database, for checking that it agrees with the page. */
  probeUrl: string;
  municipalityCode: string;
  venueId: number;
  /** The venue's slots: 10:00 and 14:00 every day for two weeks from tomorrow. */
  slotIds: number[];
  /** At the first venue, 22 days ahead: a dose 2 for a dose 1 booked tomorrow (slotIds[0]). */
  dose2SlotId: number;
  /** At the first venue, 23 days ahead: a slot with room for two only (booking together, all or none). */
  togetherSlot: { id: number; date: string };
  /** The municipality's call-centre number, shown in every page's footer. */
  callCentrePhone: string;
  /** A second venue (after the first, so "the first venue" is still the one above). */
  secondVenue: E2eSecondVenue;
  /** One-time enrolment links of super-administrators (as create-admin prints them), see STAFF_LINKS. */
  staffLinks: string[];
  /** Enrolled operators (role operator) of the municipality, one per language (e2e/call-centre.e2e.ts). */
  operators: Record<'ja' | 'en', E2eStaffUser>;
  /** The first venue's last slot, 3 of its places kept for the telephone. */
  phoneSlotId: number;
  residents: E2eResident[];
  /** A municipality of its own for check-in on the day (e2e/staff-check-in.e2e.ts), see E2eCheckIn. */
  checkIn: E2eCheckIn;
}

/**
 * Check-in's own municipality, so that its slot today changes no calendar the other journeys read:
 * one venue, a slot today at 10:00 with one booking per run (CHECK_IN_RUNS), and a slot 22 days
 * out for their dose 2.
 */
export interface E2eCheckIn {
  municipalityCode: string;
  venueId: number;
  venueNameJa: string;
  dose2SlotId: number;
  /** Per run (`${lang}-${width}`): the person booked today and their reservation number. */
  people: Record<string, E2eResident & { number: string }>;
}

export const CHECK_IN_RUNS = ['ja-360', 'ja-1280', 'en-360', 'en-1280'] as const;

/**
 * A small clinic with another vaccine, access notes and a map link. Its calendar shows ○ on
 * `freeDate`, △ on `fewDate` (one time with `fewRemaining` places left, one not open for booking
 * yet) and × on `fullDate` (its one time fully booked by other residents).
 */
export interface E2eSecondVenue {
  id: number;
  nameJa: string;
  nameEn: string;
  address: string;
  accessNotes: string;
  /** Never loaded by the tests (a reserved example domain). */
  mapUrl: string;
  vaccine: { code: string; nameJa: string; nameEn: string };
  freeDate: string;
  fewDate: string;
  fullDate: string;
  freeSlotIds: number[];
  fewSlotId: number;
  notOpenSlotId: number;
  fullSlotId: number;
  fewRemaining: number;
}

export interface E2eStaffUser {
  accountId: number;
  email: string;
  password: string;
  secret: string;
  recoveryCodes: string[];
  lastStep: number;
}

export interface E2eResident {
  id: number;
  voucherNumber: string;
  birthDate: string;
  nameKanji: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the global setup writes the E2eEnv once it has prepared everything. */
    e2eEnvFile: string;
  }
}

/** How long a browser test waits for the global setup (it builds the web app first). */
const SETUP_WAIT_MS = 300_000;
let prepared: E2eEnv | undefined;

/**
 * What the global setup started. It prepares in the background while the other tests run
 * (global-setup.ts), so the first call may wait for it: synchronously, as every caller is, with
 * nothing else for this test file to do meanwhile.
 */
export function e2eEnv(): E2eEnv {
  if (prepared) return prepared;
  const file = inject('e2eEnvFile');
  const deadline = Date.now() + SETUP_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the e2e global setup did not finish within ${SETUP_WAIT_MS / 1000} s`);
    Atomics.wait(pause, 0, 0, 200);
  }
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as E2eEnv | { setupError: string };
  if ('setupError' in content) throw new Error(`the e2e global setup failed:\n${content.setupError}`);
  prepared = content;
  return prepared;
}

/**
 * Each run signs in as its own residents so that runs never see each other's bookings. The
 * global setup creates RESIDENT_COUNT residents; files take theirs by role from here.
 */
export const RESIDENTS = {
  journey: { 'ja-360': [0, 1], 'ja-1280': [2, 3], 'en-360': [4, 5], 'en-1280': [6, 7] },
  era: 8,
  keyboard: 9,
  reflow: 10,
  resilience: { ja: 11, en: 12 },
  bundle: 13,
  lookup: 14,
  sessions: 15,
  venues: 16,
  cascade: 17,
  /** One per language of shared/i18n/languages.ts, in its order (e2e/languages.e2e.ts). */
  languages: 18,
  large: { ja: 33, en: 34, vi: 35 },
  back: 36,
  together: [37, 38],
  togetherFull: [39, 40],
  /** Takes the one place the couple above is missing. */
  togetherRival: 41,
  /** Callers the operators book for by telephone (e2e/call-centre.e2e.ts). */
  callCentre: { ja: 42, en: 43 },
  /** Booked into a day staff then close, two per run of e2e/staff-schedule.e2e.ts. */
  schedule: { 'ja-1280': [44, 45], 'ja-360': [46, 47], 'en-1280': [48, 49], 'en-360': [50, 51] },
  /** Each books once while the staff dashboard watches (e2e/staff-dashboard.e2e.ts): ja/en × desktop/phone. */
  dashboard: [52, 53, 54, 55],
  /** The message preferences page (e2e/notification-preferences.e2e.ts). */
  messages: { 'ja-360': 56, 'ja-1280': 57, 'en-360': 58, 'en-1280': 59 },
} as const;
export const RESIDENT_COUNT = 60;

/** Super-administrators' enrolment links (create-admin's), one per staff journey: STAFF_LINKS[lang-width]. */
export const STAFF_LINKS = {
  'ja-1280': 0,
  'ja-360': 1,
  'en-1280': 2,
  'en-360': 3,
  zoom: 4,
  'schedule-ja': 5,
  'schedule-en': 6,
  checkIn: 7,
  dashboard: 8,
  import: 9,
  'messages-ja-1280': 10,
  'messages-en-360': 11,
  'messages-ja-360': 12,
  'messages-en-1280': 13,
} as const;
export const STAFF_LINK_COUNT = 14;

/** Rows of a read-only query on the server's database. */
export async function dbRows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const response = await fetch(e2eEnv().probeUrl, { method: 'POST', body: JSON.stringify({ sql, params }) });
  const body = (await response.json()) as { rows?: T[]; error?: string };
  if (!response.ok || !body.rows) throw new Error(`database probe: ${body.error ?? response.status}`);
  return body.rows;
}
