import { localDate } from '../../../shared/dates.js';
import type { DoseEntry } from './dose-rules.js';

/**
 * The history the dose rules read, from the stored doses a person received and their active
 * bookings (dated in the municipality's zone). One place, so booking, changing, holding and the
 * account page all judge the same history.
 */
export function doseHistoryOf(
  received: readonly { dose_number: number; administered_on: string; vaccine: string }[],
  booked: readonly { id: number; dose_number: number; starts_at: Date | string; vaccine: string }[],
  timeZone: string,
): DoseEntry[] {
  return [
    ...received.map((d) => ({ dose: d.dose_number, date: d.administered_on, vaccine: d.vaccine, booked: false })),
    ...booked.map((b) => ({
      dose: b.dose_number,
      date: localDate(new Date(b.starts_at), timeZone),
      vaccine: b.vaccine,
      booked: true,
      reservationId: b.id,
    })),
  ];
}
