import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Admission } from '../../platform/admission.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import { hmac, safeEqual } from '../../platform/secrets.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { IdentityProof, ResidentsRepository } from '../residents/index.js';
import { normalisePhone, phoneRegionOf } from './phone.js';

export interface SignInPolicy {
  challengeMinutes: number;
  codeMinutes: number;
  resendCooldownSeconds: number;
  maxSends: number;
  /** Codes one person, or one phone number, can be sent per limit window, across all challenges. */
  maxSendsPerWindow: number;
  maxCodeAttempts: number;
}

export const defaultSignInPolicy: SignInPolicy = {
  challengeMinutes: 30,
  codeMinutes: 10,
  resendCooldownSeconds: 60,
  maxSends: 5,
  maxSendsPerWindow: 6,
  maxCodeAttempts: 5,
};

export interface SignInCodeSender {
  sendSignInCode(input: { residentId: number; municipalityCode: string; phone: string; code: string; language: string }): Promise<void>;
  phoneConfirmed(residentId: number, phone: string): Promise<void>;
}

export interface SignInDeps {
  db: Db;
  clock: Clock;
  signingKey: Buffer;
  /** Sends the code (notifications module) and records the number it confirmed. */
  codes: SignInCodeSender;
  residents: ResidentsRepository;
  municipalities: MunicipalitiesRepository;
  identity: IdentityProof;
  attempts: AttemptGuard;
  policy: SignInPolicy;
  /** Texts sent at the request of one client address per window (LIMIT_SMS_PER_IP). */
  textsPerAddress: number;
}

/**
 * Sign-in in three steps: voucher number + birth date → mobile number → 6-digit SMS code.
 * Every failure is one generic answer and counts against the voucher and the IP.
 */
export function createSignInService(deps: SignInDeps) {
  const { db, clock, policy, attempts, identity } = deps;
  const codeHash = (challengeId: string, code: string) => hmac(deps.signingKey, 'sms-code', challengeId, code);

  async function loadChallenge(challengeId: string) {
    const challenge = await db.selectFrom('sign_in_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
    if (!challenge || challenge.verified_at || challenge.expires_at <= clock.now()) throw new AppError('sign-in-failed');
    return challenge;
  }

  async function admittedFor(admission: Admission, resident: { id: number; municipality_code: string }): Promise<boolean> {
    if (admission.isFor(resident.municipality_code, resident.id)) return true;
    return admission.accountId !== undefined && deps.residents.isFamilyMember(admission.accountId, resident.id);
  }

  return {
    /** Step 1: checks the voucher against the imported residents and opens a challenge. */
    async start(input: { municipalityCode: string; voucherNumber: string; birthDate: string; ip: string }) {
      const resident = await identity.prove(input, [identity.perAddress(input.ip)]);
      if (!resident) throw new AppError('sign-in-failed');
      const id = randomUUID();
      const expiresAt = new Date(clock.now().getTime() + policy.challengeMinutes * 60_000);
      await db.insertInto('sign_in_challenges').values({ id, resident_id: resident.id, expires_at: expiresAt }).execute();
      return { challengeId: id, expiresAt };
    },

    /**
     * Step 2: sends a fresh code to the given mobile number (resends respect a cooldown). With the
     * waiting room on, only for the person its admission is for, or their family once signed in:
     * one admitted browser must not have codes sent for a list of vouchers.
     */
    async sendCode(input: { challengeId: string; phone: string; ip: string; admission: Admission | undefined; language?: string }) {
      const challenge = await loadChallenge(input.challengeId);
      const resident = await deps.residents.findById(challenge.resident_id);
      if (!resident) throw new AppError('sign-in-failed');
      if (input.admission && !(await admittedFor(input.admission, resident))) {
        throw new AppError('admission-required', { reason: 'admission-other-person' });
      }
      const municipality = await deps.municipalities.find(resident.municipality_code);
      const phone = normalisePhone(input.phone, phoneRegionOf(municipality?.timeZone ?? 'Asia/Tokyo'));
      if (!phone) throw new AppError('invalid-request', { errors: [{ field: 'phone', rule: 'pattern' }] });
      const now = clock.now();
      if (challenge.sends >= policy.maxSends) throw new AppError('too-many-attempts');
      const cooldownEnds = challenge.last_sent_at ? challenge.last_sent_at.getTime() + policy.resendCooldownSeconds * 1000 : 0;
      if (cooldownEnds > now.getTime()) {
        throw new AppError('resend-too-soon', { retryAfterSeconds: (cooldownEnds - now.getTime()) / 1000 });
      }
      // Each text costs money and lands on someone's phone: a person cannot get round the per-challenge
      // cap by opening new challenges, nobody can point a stream of codes at one handset (the number
      // is counted in E.164, whatever its spelling), and one address with a list of vouchers cannot
      // send texts to a list of numbers.
      await attempts.consume([
        { key: `sms:resident:${challenge.resident_id}`, max: policy.maxSendsPerWindow },
        { key: `sms:phone:${phone}`, max: policy.maxSendsPerWindow },
        { key: `sms:ip:${input.ip}`, max: deps.textsPerAddress },
      ]);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const codeExpiresAt = new Date(now.getTime() + policy.codeMinutes * 60_000);
      // Claim the send in the row first (compare-and-set on `sends`), so two racing resends send one code.
      const claimed = await db
        .updateTable('sign_in_challenges')
        .set({
          phone,
          code_hash: codeHash(challenge.id, code),
          code_expires_at: codeExpiresAt,
          last_sent_at: now,
          sends: challenge.sends + 1,
          attempts: 0,
        })
        .where('id', '=', challenge.id)
        .where('sends', '=', challenge.sends)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('resend-too-soon', { retryAfterSeconds: 1 });
      await deps.codes.sendSignInCode({
        residentId: resident.id,
        municipalityCode: resident.municipality_code,
        phone,
        code,
        language: input.language ?? 'ja',
      });
      return {
        codeExpiresAt,
        resendAvailableAt: new Date(now.getTime() + policy.resendCooldownSeconds * 1000),
        phoneLast4: phone.slice(-4),
      };
    },

    /** Step 3: checks the code (single use, hashed, limited tries) and returns the account. */
    async verify(input: { challengeId: string; code: string; ip: string }) {
      const challenge = await loadChallenge(input.challengeId);
      const resident = await deps.residents.findById(challenge.resident_id);
      if (!resident) throw new AppError('sign-in-failed');
      if (!challenge.code_hash || !challenge.code_expires_at) throw new AppError('sign-in-failed');
      if (challenge.attempts >= policy.maxCodeAttempts) throw new AppError('too-many-attempts');
      if (challenge.code_expires_at <= clock.now()) throw new AppError('code-expired');
      // A guess counts against the address and the voucher (with their wrong birth dates), reserved
      // before anything is compared, and against the challenge's own tries, below.
      const attempt = await attempts.reserve([
        identity.perAddress(input.ip),
        identity.perVoucher(resident.municipality_code, resident.voucher_number),
      ]);
      // Compare-and-set on the challenge's count before comparing, so parallel guesses cannot exceed it.
      const counted = await db
        .updateTable('sign_in_challenges')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', challenge.id)
        .where('attempts', '<', policy.maxCodeAttempts)
        .where('verified_at', 'is', null)
        .returning(['attempts'])
        .executeTakeFirst();
      // Not counted: either the tries ran out meanwhile, or a parallel submit used the code first
      // (then it is over for this one, as for any used code: the generic answer, not "too many").
      if (!counted) {
        await attempt.giveBack(); // no code was compared
        const now = await db.selectFrom('sign_in_challenges').select(['verified_at']).where('id', '=', challenge.id).executeTakeFirst();
        throw new AppError(now?.verified_at ? 'sign-in-failed' : 'too-many-attempts');
      }
      if (!safeEqual(codeHash(challenge.id, input.code.trim()), challenge.code_hash)) throw new AppError('sign-in-failed');
      await attempt.giveBack();
      const consumed = await db
        .updateTable('sign_in_challenges')
        .set({ verified_at: clock.now(), code_hash: null })
        .where('id', '=', challenge.id)
        .where('verified_at', 'is', null)
        .executeTakeFirst();
      if (Number(consumed.numUpdatedRows) !== 1) throw new AppError('sign-in-failed');
      // Messages go to the number this code has just proved the resident holds.
      if (challenge.phone) await deps.codes.phoneConfirmed(resident.id, challenge.phone);
      return resident;
    },

    /** Deletes challenges that ended more than a day ago (they hold phone numbers). */
    async purgeExpired(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - 86_400_000);
      const result = await db.deleteFrom('sign_in_challenges').where('expires_at', '<', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
