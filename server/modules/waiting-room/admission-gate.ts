import type { FastifyRequest } from 'fastify';
import type { Admission, AdmissionGate } from '../../platform/admission.js';
import { AppError } from '../../platform/errors.js';
import { SESSION_COOKIE, type SessionCodec } from '../../platform/session.js';
import type { WaitingRoomService } from './waiting-room.service.js';

export const ADMISSION_COOKIE = 'yoyaku_admission';
export const ADMISSION_HEADER = 'x-admission-token';
export const BROWSER_COOKIE = 'yoyaku_wr_browser';

/**
 * Requests the gate turned away. Their sub-millisecond 403s say nothing about the booking back
 * end, so the auto-tuner leaves them out (waiting-room.routes.ts). Weak: nothing outlives a request.
 */
const refused = new WeakSet<FastifyRequest>();

export function wasRefusedByGate(request: FastifyRequest): boolean {
  return refused.has(request);
}

/**
 * The checkpoint on the booking endpoints while the room is on. It reads only signed cookies, so
 * it costs an HMAC and no database or Redis call. The token is bound twice:
 * - to the browser (the hash of an httpOnly cookie set at joining), so copying the token alone
 *   does nothing;
 * - to the person: codes are sent only for the resident who queued (or, once they are signed in,
 *   their family: sign-in.service.ts), and the session's resident must be the one who queued.
 *   A token passed to someone else lets them prove a voucher, never get a code, hold or book.
 */
export function createAdmissionGate(deps: { room: WaitingRoomService; sessions: SessionCodec; now: () => number }): AdmissionGate {
  const refuse = (request: FastifyRequest, reason: string) => {
    refused.add(request);
    return new AppError('admission-required', { reason });
  };
  return {
    assertAdmitted(request: FastifyRequest): Admission | undefined {
      if (!deps.room.isActive()) return undefined;
      const header = request.headers[ADMISSION_HEADER];
      const raw = typeof header === 'string' ? header : request.cookies[ADMISSION_COOKIE];
      const token = deps.room.decodeAdmission(raw);
      if (!token) throw refuse(request, raw ? 'admission-invalid' : 'admission-missing');
      const binding = request.cookies[BROWSER_COOKIE];
      if (!binding || deps.room.browserHash(binding) !== token.browser) {
        throw refuse(request, 'admission-other-browser');
      }
      const session = deps.sessions.decode(request.cookies[SESSION_COOKIE], deps.now());
      if (session && deps.room.personKey(session.municipalityCode, session.accountId) !== token.personKey) {
        throw refuse(request, 'admission-other-person');
      }
      return {
        isFor: (municipalityCode, residentId) => deps.room.personKey(municipalityCode, residentId) === token.personKey,
        accountId: session?.accountId,
      };
    },
  };
}
