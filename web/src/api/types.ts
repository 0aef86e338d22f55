/** Shapes of the API's answers (the OpenAPI document at /api/docs is the reference). */
export type Mark = 'free' | 'few' | 'full';

export interface Municipality {
  code: string;
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string | null;
}

export interface Vaccine {
  code: string;
  nameJa: string;
  nameEn: string;
}

export interface Venue {
  id: number;
  nameJa: string;
  nameEn: string;
  address: string;
  accessNotes: string | null;
  mapUrl: string | null;
  vaccine: Vaccine;
}

export interface CalendarDay {
  date: string;
  mark: Mark;
  remaining: number;
}

export interface Slot {
  id: number;
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  remaining: number;
  mark: Mark;
  bookable: boolean;
  opensAt: string;
  closesAt: string;
}

export interface Person {
  id: number;
  nameKanji: string;
  nameKana: string;
  birthDate: string;
  relation: 'self' | 'family';
  doses: { dose: number; date: string; vaccine: string }[];
  /** The dose a new booking would be for, and the dates and vaccine the rules allow it. */
  nextDose: DoseWindow | null;
  /** The same for moving each active booking. */
  changes: (DoseWindow & { number: string })[];
}

export interface DoseWindow {
  dose: number;
  earliestDate?: string;
  latestDate?: string;
  requiredVaccine?: string;
}

export interface Me {
  csrfToken: string;
  account: Person;
  family: Person[];
}

export interface Reservation {
  number: string;
  residentId: number;
  personName: string;
  dose: number;
  status: 'booked' | 'attended' | 'no-show' | 'cancelled' | string;
  vaccine: Vaccine;
  slot: { id: number; startsAt: string; durationMinutes: number };
  venue: { id: number; nameJa: string; nameEn: string; address: string; mapUrl: string | null };
  madeBy: string;
  autoScheduled: boolean;
  createdAt: string;
  cancelledAt: string | null;
  followUp?: Reservation;
}

export interface Hold {
  id: number;
  slotId: number;
  residentId: number;
  expiresAt: string;
}
