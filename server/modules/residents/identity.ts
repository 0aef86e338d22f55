import { isIsoDate } from '../../../shared/dates.js';
import type { Resident } from '../../db/schema.js';
import { isVoucherNumber, normaliseVoucherNumber } from './voucher.js';

/**
 * Whether a voucher number + birth date prove a resident. Only imported residents ever match:
 * a made-up number has no row, and the birth date must agree too. Callers report any
 * mismatch with one generic error, so it never reveals which of the two was wrong.
 */
export function provesIdentity(resident: Resident | undefined, birthDate: string): resident is Resident {
  return resident !== undefined && isIsoDate(birthDate) && resident.birth_date === birthDate;
}

/**
 * The one counter of wrong answers for a voucher, whichever door they come through (sign-in,
 * joining the queue, adding a family member): each door with its own counter would multiply the
 * guesses a birth date gets.
 */
export function voucherAttempts(municipalityCode: string, voucherNumber: string, max: number) {
  return { key: `voucher:${municipalityCode}:${voucherNumber}`, max };
}

export function cleanVoucherNumber(raw: string): string | undefined {
  const value = normaliseVoucherNumber(raw);
  return isVoucherNumber(value) ? value : undefined;
}
