import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { hmac, randomToken, safeEqual } from './secrets.js';
import type { SessionRevocations } from './session-revocations.js';

export const SESSION_COOKIE = 'yoyaku_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Whether a request by this method must carry the CSRF header (the OpenAPI document says the same). */
export function needsCsrf(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

/** A signed-in resident (the account holder, who may act for family members). */
export interface Session {
  /** Random; what a logout revokes. */
  id: string;
  accountId: number;
  municipalityCode: string;
  /** Sent back by the page in the x-csrf-token header on every change (double submit). */
  csrfToken: string;
  /** Milliseconds since the epoch; "sign out everywhere" ends the sessions issued until then. */
  issuedAt: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Signature purpose: cookies of the earlier layout (without id) fail to verify instead of misreading. */
const PURPOSE = 'session-2';

/**
 * Sessions are signed tokens, not database rows: any server process can check one without a
 * query, which keeps the booking path to the queries that matter. Ending one early is a
 * revocation, kept in memory by every process (docs/adr/0004).
 */
export function createSessionCodec(key: Buffer, ttlSeconds: number) {
  function encode(session: Session): string {
    const payload = Buffer.from(
      JSON.stringify([session.id, session.accountId, session.municipalityCode, session.csrfToken, session.issuedAt, session.expiresAt]),
    ).toString('base64url');
    return `${payload}.${hmac(key, PURPOSE, payload)}`;
  }

  function decode(token: string | undefined, nowMs: number): Session | undefined {
    if (!token) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    if (!safeEqual(signature, hmac(key, PURPOSE, payload))) return undefined;
    try {
      const [id, accountId, municipalityCode, csrfToken, issuedAt, expiresAt] = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as [string, number, string, string, number, number];
      if (expiresAt * 1000 <= nowMs) return undefined;
      return { id, accountId, municipalityCode, csrfToken, issuedAt, expiresAt };
    } catch {
      return undefined;
    }
  }

  function issue(accountId: number, municipalityCode: string, nowMs: number): Session {
    return {
      id: randomToken(),
      accountId,
      municipalityCode,
      csrfToken: randomToken(),
      issuedAt: nowMs,
      expiresAt: Math.floor(nowMs / 1000) + ttlSeconds,
    };
  }

  return { encode, decode, issue, ttlSeconds };
}

export type SessionCodec = ReturnType<typeof createSessionCodec>;

export interface SessionGuardOptions {
  codec: SessionCodec;
  revocations: SessionRevocations;
  now: () => Date;
  secureCookies: boolean;
}

export function createSessionGuard({ codec, revocations, now, secureCookies }: SessionGuardOptions) {
  // Always Secure when configured so; otherwise whenever the request itself came over TLS (directly,
  // or through a trusted proxy's X-Forwarded-Proto).
  const secure = secureCookies ? true : ('auto' as const);
  const cookieOptions = { path: '/api/', httpOnly: true, sameSite: 'lax', secure } as const;

  /** The caller's session, or a not-signed-in / csrf-failed problem. No I/O. */
  function require(request: FastifyRequest): Session {
    const session = codec.decode(request.cookies[SESSION_COOKIE], now().getTime());
    if (!session || revocations.isRevoked(session)) throw new AppError('not-signed-in');
    if (needsCsrf(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new AppError('csrf-failed');
    }
    return session;
  }

  function start(reply: FastifyReply, session: Session): void {
    reply.setCookie(SESSION_COOKIE, codec.encode(session), { ...cookieOptions, maxAge: codec.ttlSeconds });
  }

  /** Logout: the session ends on every process, whoever holds a copy of the cookie. */
  async function end(reply: FastifyReply, session: Session): Promise<void> {
    await revocations.revokeSession(session);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  }

  /** Sign out everywhere: every session of the account issued until now ends, this one too. */
  async function endAll(reply: FastifyReply, session: Session): Promise<void> {
    await revocations.revokeAccount(session.accountId);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  }

  return { require, start, end, endAll };
}

export type SessionGuard = ReturnType<typeof createSessionGuard>;
