import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { hmac, randomToken, safeEqual } from './secrets.js';

export const SESSION_COOKIE = 'yoyaku_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Whether a request by this method must carry the CSRF header (the OpenAPI document says the same). */
export function needsCsrf(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

/** A signed-in resident (the account holder, who may act for family members). */
export interface Session {
  accountId: number;
  municipalityCode: string;
  /** Sent back by the page in the x-csrf-token header on every change (double submit). */
  csrfToken: string;
  expiresAt: number;
}

/**
 * Sessions are signed tokens, not database rows: any server process can check one without a
 * query, which keeps the booking path to the queries that matter (docs/adr/0002).
 */
export function createSessionCodec(key: Buffer, ttlSeconds: number) {
  function encode(session: Session): string {
    const payload = Buffer.from(
      JSON.stringify([session.accountId, session.municipalityCode, session.csrfToken, session.expiresAt]),
    ).toString('base64url');
    return `${payload}.${hmac(key, 'session', payload)}`;
  }

  function decode(token: string | undefined, nowMs: number): Session | undefined {
    if (!token) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    if (!safeEqual(signature, hmac(key, 'session', payload))) return undefined;
    try {
      const [accountId, municipalityCode, csrfToken, expiresAt] = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as [number, string, string, number];
      if (expiresAt * 1000 <= nowMs) return undefined;
      return { accountId, municipalityCode, csrfToken, expiresAt };
    } catch {
      return undefined;
    }
  }

  function issue(accountId: number, municipalityCode: string, nowMs: number): Session {
    return {
      accountId,
      municipalityCode,
      csrfToken: randomToken(),
      expiresAt: Math.floor(nowMs / 1000) + ttlSeconds,
    };
  }

  return { encode, decode, issue, ttlSeconds };
}

export type SessionCodec = ReturnType<typeof createSessionCodec>;

export interface SessionGuardOptions {
  codec: SessionCodec;
  now: () => Date;
  secureCookies: boolean;
}

export function createSessionGuard({ codec, now, secureCookies }: SessionGuardOptions) {
  // Always Secure when configured so; otherwise whenever the request itself came over TLS (directly,
  // or through a trusted proxy's X-Forwarded-Proto).
  const secure = secureCookies ? true : ('auto' as const);
  /** The caller's session, or a not-signed-in / csrf-failed problem. */
  function require(request: FastifyRequest): Session {
    const session = codec.decode(request.cookies[SESSION_COOKIE], now().getTime());
    if (!session) throw new AppError('not-signed-in');
    if (needsCsrf(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new AppError('csrf-failed');
    }
    return session;
  }

  function start(reply: FastifyReply, session: Session): void {
    reply.setCookie(SESSION_COOKIE, codec.encode(session), {
      path: '/api/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: codec.ttlSeconds,
    });
  }

  function end(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: '/api/', httpOnly: true, sameSite: 'lax', secure });
  }

  return { require, start, end };
}

export type SessionGuard = ReturnType<typeof createSessionGuard>;
