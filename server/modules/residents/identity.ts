import { isIsoDate } from '../../../shared/dates.js';
import { AppError } from '../../platform/errors.js';
import type { AttemptGuard, AttemptLimit } from '../../platform/rate-limit/attempt-guard.js';
import type { ResidentsRepository } from './residents.repository.js';
import { isVoucherNumber, normaliseVoucherNumber } from './voucher.js';

/** A resident proven by voucher number + birth date: only what the doors need. */
export interface ProvenResident {
  id: number;
  birthDate: string;
}

export interface IdentityLimits {
  /** Wrong answers per voucher per window (LIMIT_SIGNIN_FAILURES_PER_VOUCHER). */
  signInFailuresPerVoucher: number;
  /** Wrong answers per client address per window (LIMIT_SIGNIN_FAILURES_PER_IP). */
  signInFailuresPerIp: number;
}

/**
 * The one proof that a voucher number + birth date belong to an imported resident, used by every
 * door that takes them: sign-in, joining the waiting room's queue, adding a family member.
 * Every door counts against the same counters: a door with its own would multiply the guesses a
 * birth date gets.
 */
export function createIdentityProof(deps: {
  residents: Pick<ResidentsRepository, 'findIdentity'>;
  attempts: AttemptGuard;
  limits: IdentityLimits;
}) {
  const perVoucher = (municipalityCode: string, voucherNumber: string): AttemptLimit => ({
    key: `voucher:${municipalityCode}:${voucherNumber}`,
    max: deps.limits.signInFailuresPerVoucher,
  });
  const perAddress = (ip: string): AttemptLimit => ({ key: `signin:ip:${ip}`, max: deps.limits.signInFailuresPerIp });

  return {
    /** The voucher's counter, shared with the SMS code step of its resident. */
    perVoucher,
    /** The client address's counter of wrong answers, shared by sign-in, its code step and the queue. */
    perAddress,

    /**
     * The resident, or undefined when the two do not prove one (a made-up number has no row; the
     * birth date must agree too); callers answer every mismatch with one generic error, so it never
     * tells which of the two was wrong. The attempt is reserved on the voucher's counter and the
     * door's own `limits` before anything is looked at (too-many-attempts when one is spent), and
     * a proof gives it back: only wrong answers stay counted.
     */
    async prove(
      input: { municipalityCode: string; voucherNumber: string; birthDate: string },
      limits: AttemptLimit[],
    ): Promise<ProvenResident | undefined> {
      const voucher = cleanVoucherNumber(input.voucherNumber);
      if (!voucher) throw new AppError('invalid-request', { errors: [{ field: 'voucherNumber', rule: 'pattern' }] });
      const attempt = await deps.attempts.reserve([...limits, perVoucher(input.municipalityCode, voucher)]);
      let resident: ProvenResident | undefined;
      try {
        resident = await deps.residents.findIdentity(input.municipalityCode, voucher);
      } catch (error) {
        await attempt.giveBack(); // nothing was checked: an outage must not lock anyone out
        throw error;
      }
      if (!resident || !isIsoDate(input.birthDate) || resident.birthDate !== input.birthDate) return undefined;
      await attempt.giveBack();
      return resident;
    },
  };
}

export type IdentityProof = ReturnType<typeof createIdentityProof>;

function cleanVoucherNumber(raw: string): string | undefined {
  const value = normaliseVoucherNumber(raw);
  return isVoucherNumber(value) ? value : undefined;
}
