import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import type { AuditLog } from '../audit/index.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { newRecoveryCode, normaliseRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import type { StaffLinkRow, StaffRepository } from './staff.repository.js';
import type { StaffSessions } from './staff-sessions.service.js';
import { staffPolicy } from './staff-policy.js';
import { tokenHash } from './tokens.js';
import type { Totp } from './totp.js';

export interface EnrolmentDeps {
  db: Db;
  repository: StaffRepository;
  sessions: StaffSessions;
  clock: Clock;
  attempts: AttemptGuard;
  audit: AuditLog;
  totp: Totp;
  signingKey: Buffer;
}

const wrongCode = () => new AppError('invalid-request', { errors: [{ field: 'code', rule: 'totpCode' }] });
const isWrongCode = (error: unknown) =>
  error instanceof AppError &&
  error.code === 'invalid-request' &&
  (error.details.errors as { rule: string }[] | undefined)?.some((e) => e.rule === 'totpCode') === true;

/**
 * What a one-time link lets its holder do: enrol (set a password, scan a new TOTP secret, receive
 * ten recovery codes) or reset the password (proven with the authenticator or a recovery code).
 * A link works once, until it expires or a newer one is issued; wrong codes tried on it are
 * counted like sign-in failures. Using it ends the account's other sessions and starts a new one.
 */
export function createEnrolment(deps: EnrolmentDeps) {
  const { repository, clock } = deps;

  async function liveLink(token: string, purpose?: StaffLinkRow['purpose']) {
    const link = await repository.liveLink(tokenHash(token), clock.now());
    if (!link || (purpose && link.purpose !== purpose)) throw new AppError('link-invalid');
    const entry = await repository.find(link.account_id);
    if (!entry || entry.account.status === 'disabled') throw new AppError('link-invalid');
    return { link, account: entry.account };
  }

  function checkPassword(password: string, account: { email: string; display_name: string }): void {
    const problem = passwordProblem(password, [account.email, account.display_name]);
    if (problem) throw new AppError('invalid-request', { errors: [{ field: 'password', ...problem }] });
  }

  /** Runs one use of a link; its wrong codes count against the link (reserved first, as sign-in does). */
  function counted<T>(token: string, work: () => Promise<T>): Promise<T> {
    return deps.attempts.attempt([{ key: `staff-link:${tokenHash(token)}`, max: staffPolicy.linkAttempts }], isWrongCode, work);
  }

  return {
    /** What the page of a link shows: whose it is, until when, and for enrolment the TOTP secret to scan. */
    async open(token: string) {
      const { link, account } = await liveLink(token);
      const base = { purpose: link.purpose, email: account.email, displayName: account.display_name, expiresAt: link.expires_at };
      if (link.purpose !== 'enrolment') return { ...base, totp: null };
      const sealed = link.pending_totp_secret ?? (await repository.setPendingSecret(link.token_hash, deps.totp.newSecret()));
      return { ...base, totp: await deps.totp.setup(sealed, account.email) };
    },

    /** Enrolment: password + the first code from the scanned secret; answers the recovery codes, once. */
    async enrol(input: { token: string; password: string; code: string; ip: string }) {
      return counted(input.token, async () => {
        const { link, account } = await liveLink(input.token, 'enrolment');
        checkPassword(input.password, account);
        if (!link.pending_totp_secret) throw wrongCode();
        const step = await deps.totp.check(link.pending_totp_secret, input.code.replace(/\s/g, ''), {
          nowMs: clock.now().getTime(),
          afterStep: 0,
        });
        if (step === undefined) throw wrongCode();
        const passwordHash = await hashPassword(input.password);
        const recoveryCodes = Array.from({ length: staffPolicy.recoveryCodes }, newRecoveryCode);
        const hashes = recoveryCodes.map((code) => recoveryCodeHash(deps.signingKey, account.id, normaliseRecoveryCode(code)!));
        const session = await deps.db.transaction().execute(async (tx) => {
          const now = clock.now();
          if (!(await repository.liveLink(link.token_hash, now, tx))) throw new AppError('link-invalid');
          await repository.useLink(tx, link.token_hash, now);
          await repository.update(
            tx,
            account.id,
            {
              password_hash: passwordHash,
              totp_secret: link.pending_totp_secret!,
              totp_last_step: step,
              status: 'active',
              last_sign_in_at: now,
            },
            now,
          );
          await repository.replaceRecoveryCodes(tx, account.id, hashes);
          const sessionsEnded = await repository.revokeSessionsOf(tx, account.id, now);
          const started = await deps.sessions.start(account.id, input.ip, tx);
          await deps.audit.record(
            {
              actorKind: 'staff',
              actorId: String(account.id),
              action: 'staff.enrol',
              subjectResidentId: null,
              ip: input.ip,
              detail: { sessionsEnded },
            },
            tx,
          );
          return started;
        });
        return { accountId: account.id, recoveryCodes, session };
      });
    },

    /** Password reset: a new password, proven with a code from the authenticator or a recovery code. */
    async resetPassword(input: { token: string; password: string; code: string; ip: string }) {
      return counted(input.token, async () => {
        const { link, account } = await liveLink(input.token, 'password-reset');
        if (!account.totp_secret) throw new AppError('link-invalid');
        checkPassword(input.password, account);
        const typed = input.code.replace(/\s/g, '');
        let factor: 'totp' | 'recovery-code' | undefined;
        const step = await deps.totp.check(account.totp_secret, typed, { nowMs: clock.now().getTime(), afterStep: account.totp_last_step });
        if (step !== undefined && (await repository.advanceTotpStep(account.id, step))) factor = 'totp';
        const recovery = factor ? undefined : normaliseRecoveryCode(typed);
        if (
          recovery &&
          (await repository.useRecoveryCode(account.id, recoveryCodeHash(deps.signingKey, account.id, recovery), clock.now()))
        ) {
          factor = 'recovery-code';
        }
        if (!factor) throw wrongCode();
        const passwordHash = await hashPassword(input.password);
        const session = await deps.db.transaction().execute(async (tx) => {
          const now = clock.now();
          if (!(await repository.liveLink(link.token_hash, now, tx))) throw new AppError('link-invalid');
          await repository.useLink(tx, link.token_hash, now);
          await repository.update(tx, account.id, { password_hash: passwordHash, status: 'active', last_sign_in_at: now }, now);
          const sessionsEnded = await repository.revokeSessionsOf(tx, account.id, now);
          const started = await deps.sessions.start(account.id, input.ip, tx);
          await deps.audit.record(
            {
              actorKind: 'staff',
              actorId: String(account.id),
              action: 'staff.password-reset',
              subjectResidentId: null,
              ip: input.ip,
              detail: { factor, sessionsEnded },
            },
            tx,
          );
          return started;
        });
        return { accountId: account.id, session };
      });
    },
  };
}

export type Enrolment = ReturnType<typeof createEnrolment>;
