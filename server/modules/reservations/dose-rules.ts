import { addDays, addMonths, ageOn, type IsoDate } from '../../../shared/dates.js';
import type { CampaignPolicy } from './campaign-policy.js';

/** A dose a person has had, or has an active booking for. */
export interface DoseEntry {
  dose: number;
  /** Local date the dose was given or is booked for. */
  date: IsoDate;
  vaccine: string;
  /** False for a dose already received. */
  booked: boolean;
  /** Set on bookings, so a change can ignore the reservation it replaces. */
  reservationId?: number;
}

export interface DoseRequest {
  birthDate: IsoDate;
  /** False once the municipality's register no longer lists the person (moved away): no new place. */
  eligible: boolean;
  history: DoseEntry[];
  slotDate: IsoDate;
  vaccine: string;
  /** When changing a booking: its id, so it does not conflict with itself. */
  replacingReservationId?: number;
}

export type DoseDecision =
  | { ok: true; dose: number }
  | {
      ok: false;
      code:
        | 'resident-ineligible'
        | 'no-dose-due'
        | 'already-booked'
        | 'wrong-vaccine'
        | 'interval-too-short'
        | 'conflicts-with-next-dose'
        | 'not-eligible-age';
      details?: Record<string, unknown>;
    };

/** The next dose a person may book: one past every dose received or booked. */
export function nextDoseNumber(history: DoseEntry[]): number {
  return history.reduce((max, entry) => Math.max(max, entry.dose), 0) + 1;
}

/** The earliest date dose `dose` may be given after `previous`, under the policy. */
export function earliestDateAfter(previous: DoseEntry, dose: number, policy: CampaignPolicy): IsoDate {
  if (dose <= policy.primaryDoses) {
    const rule = policy.vaccines[previous.vaccine];
    return addDays(previous.date, rule?.secondDoseMinDays ?? 21);
  }
  return addMonths(previous.date, policy.boosterIntervalMonths);
}

/** What the pages need to offer only slots that `decideDose` would accept for one dose. */
export interface DoseWindow {
  dose: number;
  earliestDate?: IsoDate;
  /** Set when a later dose is already booked: moving this one past it would break the interval. */
  latestDate?: IsoDate;
  requiredVaccine?: string;
}

/**
 * The window for booking `dose` given the rest of the history (for a change, the history without
 * the booking being replaced): after the previous dose by the interval, before a booked next dose
 * by its interval, with the same product as either within the primary series.
 */
export function doseWindow(others: DoseEntry[], dose: number, policy: CampaignPolicy): DoseWindow {
  const window: DoseWindow = { dose };
  const previous = others.find((entry) => entry.dose === dose - 1);
  if (previous) {
    window.earliestDate = earliestDateAfter(previous, dose, policy);
    if (dose <= policy.primaryDoses) window.requiredVaccine = previous.vaccine;
  }
  const next = others.find((entry) => entry.dose === dose + 1);
  if (next && dose + 1 <= policy.primaryDoses) {
    window.requiredVaccine ??= next.vaccine;
    window.latestDate = addDays(next.date, -(policy.vaccines[next.vaccine]?.secondDoseMinDays ?? 21));
  }
  return window;
}

/**
 * Decides whether a person may book a slot on `slotDate` with `vaccine`, and for which dose.
 * A new booking is for the next dose; a change keeps the dose of the booking it replaces.
 */
export function decideDose(request: DoseRequest, policy: CampaignPolicy): DoseDecision {
  // Their bookings stay (staff list them after the re-import), but they take no new place.
  if (!request.eligible) return { ok: false, code: 'resident-ineligible' };
  const replaced = request.history.find(
    (entry) => entry.booked && entry.reservationId !== undefined && entry.reservationId === request.replacingReservationId,
  );
  const others = request.history.filter((entry) => entry !== replaced);
  const dose = replaced?.dose ?? nextDoseNumber(others);

  if (dose > policy.maxDoses) return { ok: false, code: 'no-dose-due' };
  if (others.some((entry) => entry.dose === dose)) return { ok: false, code: 'already-booked' };

  const rule = policy.vaccines[request.vaccine];
  const age = ageOn(request.birthDate, request.slotDate);
  if (!rule || age < rule.minAgeYears || (rule.maxAgeYears !== undefined && age > rule.maxAgeYears)) {
    return { ok: false, code: 'not-eligible-age', details: { minAgeYears: rule?.minAgeYears } };
  }

  const previous = others.find((entry) => entry.dose === dose - 1);
  if (dose > 1 && !previous) return { ok: false, code: 'no-dose-due' };
  if (previous) {
    const sameProductRequired = dose <= policy.primaryDoses;
    if (sameProductRequired && previous.vaccine !== request.vaccine) {
      return { ok: false, code: 'wrong-vaccine', details: { requiredVaccine: previous.vaccine } };
    }
    const earliest = earliestDateAfter(previous, dose, policy);
    if (request.slotDate < earliest) return { ok: false, code: 'interval-too-short', details: { earliestDate: earliest } };
  }

  const next = others.find((entry) => entry.dose === dose + 1);
  if (next) {
    const moved: DoseEntry = { dose, date: request.slotDate, vaccine: request.vaccine, booked: true };
    const sameProductRequired = dose + 1 <= policy.primaryDoses;
    if ((sameProductRequired && next.vaccine !== request.vaccine) || next.date < earliestDateAfter(moved, dose + 1, policy)) {
      return { ok: false, code: 'conflicts-with-next-dose', details: { nextDoseDate: next.date } };
    }
  }
  return { ok: true, dose };
}
