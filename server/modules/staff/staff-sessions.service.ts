import type { Db } from '../../db/database.js';
import type { StaffRole } from '../../db/schema.js';
import type { Principal, StaffAuthenticator, StaffContext } from '../../platform/access/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import { hmac } from '../../platform/secrets.js';
import type { AuditLog } from '../audit/index.js';
import { verifyPassword } from './passwords.js';
import { normaliseRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import type { StaffAccountRow, StaffRepository } from './staff.repository.js';
import { staffPolicy } from './staff-policy.js';
import { newToken, normaliseEmail, tokenHash } from './tokens.js';
import type { Totp } from './totp.js';

export interface StaffSessionsDeps {
  db: Db;
  repository: StaffRepository;
  clock: Clock;
  attempts: AttemptGuard;
  audit: AuditLog;
  totp: Totp;
  signingKey: Buffer;
  limits: { failuresPerAccount: number; failuresPerIp: number };
}

/** A session just started: the cookie's value, its CSRF token and when it ends. */
export interface StartedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

const IDLE_MS = staffPolicy.sessionIdleMinutes * 60_000;
const ABSOLUTE_MS = staffPolicy.sessionAbsoluteHours * 3_600_000;
const TOUCH_MS = staffPolicy.sessionTouchSeconds * 1000;

const isWrongAnswer = (error: unknown) => error instanceof AppError && error.code === 'staff-sign-in-failed';

/**
 * Staff sign-in and sessions. A session is a row (docs/adr/0006): its id is only in the cookie (the
 * row keeps a hash), it is read on every staff request, so ending it (sign out, sign out everywhere,
 * disabling the account) takes effect at once on every server process.
 */
export function createStaffSessions(deps: StaffSessionsDeps) {
  const { repository, clock } = deps;
  const csrfOf = (token: string) => hmac(deps.signingKey, 'staff-csrf', token);

  /** The second factor: a TOTP code (once per time step) or a recovery code (once). */
  async function secondFactor(account: StaffAccountRow, code: string): Promise<'totp' | 'recovery-code' | undefined> {
    const typed = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(typed)) {
      if (!account.totp_secret) return undefined;
      const step = await deps.totp.check(account.totp_secret, typed, { nowMs: clock.now().getTime(), afterStep: account.totp_last_step });
      return step !== undefined && (await repository.advanceTotpStep(account.id, step)) ? 'totp' : undefined;
    }
    const recovery = normaliseRecoveryCode(typed);
    if (!recovery) return undefined;
    const used = await repository.useRecoveryCode(account.id, recoveryCodeHash(deps.signingKey, account.id, recovery), clock.now());
    return used ? 'recovery-code' : undefined;
  }

  /** A new session row for the account, in the caller's transaction when it has one. */
  async function start(accountId: number, ip: string, executor: Parameters<StaffRepository['insertSession']>[0] = deps.db) {
    const now = clock.now();
    const token = newToken();
    const expiresAt = new Date(now.getTime() + ABSOLUTE_MS);
    await repository.insertSession(executor, { idHash: tokenHash(token), accountId, now, expiresAt, ip });
    return { token, csrfToken: csrfOf(token), expiresAt };
  }

  const authenticator: StaffAuthenticator = {
    async authenticate(cookie: string | undefined): Promise<StaffContext | undefined> {
      if (!cookie || cookie.length > 100) return undefined;
      const idHash = tokenHash(cookie);
      const now = clock.now();
      const session = await repository.liveSession(idHash, now, new Date(now.getTime() - IDLE_MS));
      if (!session) return undefined;
      // Written at most once a minute: staff requests are mostly reads, and most need no write.
      if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_MS) await repository.touchSession(idHash, now);
      const roles = new Map<string, Set<StaffRole>>();
      for (const { municipalityCode, role } of session.roles) {
        const set = roles.get(municipalityCode) ?? new Set<StaffRole>();
        roles.set(municipalityCode, set);
        set.add(role);
      }
      const principal: Principal = { kind: 'staff', accountId: session.accountId, superAdmin: session.superAdmin, roles };
      return { principal, csrfToken: csrfOf(cookie), sessionKey: idHash, expiresAt: session.expiresAt };
    },
  };

  return {
    authenticator,
    start,

    /**
     * E-mail + password + code (TOTP or a recovery code). Whatever was wrong (no such account, not
     * enrolled, disabled, the password, the code), the answer is the same `staff-sign-in-failed`.
     * The attempt is counted against the e-mail address and the client's address before anything is
     * checked, so a burst of parallel guesses gets no more than the limit evaluated; a right answer
     * gives it back. Every attempt is audited, the refused ones too.
     */
    async signIn(input: { email: string; password: string; code: string; ip: string }): Promise<StartedSession & { accountId: number }> {
      const email = normaliseEmail(input.email);
      let account: StaffAccountRow | undefined;
      const limits = [
        { key: `staff-sign-in:account:${hmac(deps.signingKey, 'staff-email', email).slice(0, 22)}`, max: deps.limits.failuresPerAccount },
        { key: `staff-sign-in:ip:${input.ip}`, max: deps.limits.failuresPerIp },
      ];
      try {
        return await deps.attempts.attempt(limits, isWrongAnswer, async () => {
          account = await repository.findByEmail(email);
          const passwordRight = await verifyPassword(account?.password_hash, input.password);
          if (!account || account.status !== 'active' || !passwordRight) throw new AppError('staff-sign-in-failed');
          const factor = await secondFactor(account, input.code);
          if (!factor) throw new AppError('staff-sign-in-failed');
          const signedIn = account;
          return deps.db.transaction().execute(async (tx) => {
            const session = await start(signedIn.id, input.ip, tx);
            await repository.update(tx, signedIn.id, { last_sign_in_at: clock.now() }, clock.now());
            const detail: Record<string, unknown> = { factor };
            if (factor === 'recovery-code') detail.recoveryCodesLeft = await repository.recoveryCodesLeft(signedIn.id, tx);
            await deps.audit.record(
              { actorKind: 'staff', actorId: String(signedIn.id), action: 'staff.sign-in', subjectResidentId: null, ip: input.ip, detail },
              tx,
            );
            return { ...session, accountId: signedIn.id };
          });
        });
      } catch (error) {
        if (error instanceof AppError && (error.code === 'staff-sign-in-failed' || error.code === 'too-many-attempts')) {
          // Refused before any check: still the entry of the account it was aimed at, when there is one.
          if (error.code === 'too-many-attempts') account ??= await repository.findByEmail(email);
          await deps.audit.record({
            actorKind: account ? 'staff' : 'anonymous',
            actorId: account ? String(account.id) : null,
            action: error.code === 'too-many-attempts' ? 'staff.sign-in-locked' : 'staff.sign-in-failed',
            subjectResidentId: null,
            ip: input.ip,
          });
        }
        throw error;
      }
    },

    async signOut(context: StaffContext, ip: string): Promise<void> {
      await repository.revokeSession(context.sessionKey, clock.now());
      await deps.audit.record({
        actorKind: 'staff',
        actorId: String(context.principal.accountId),
        action: 'staff.sign-out',
        subjectResidentId: null,
        ip,
      });
    },

    async signOutEverywhere(context: StaffContext, ip: string): Promise<void> {
      await deps.db.transaction().execute(async (tx) => {
        const ended = await repository.revokeSessionsOf(tx, context.principal.accountId, clock.now());
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(context.principal.accountId),
            action: 'staff.sign-out-everywhere',
            subjectResidentId: null,
            ip,
            detail: { sessionsEnded: ended },
          },
          tx,
        );
      });
    },

    purgeExpired: () => repository.purgeExpired(new Date(clock.now().getTime() - ABSOLUTE_MS)),
  };
}

export type StaffSessions = ReturnType<typeof createStaffSessions>;
