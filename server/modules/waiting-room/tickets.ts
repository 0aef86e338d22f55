import { createHash } from 'node:crypto';
import { hmac, safeEqual } from '../../platform/secrets.js';

/**
 * Signed, self-contained proofs: the ticket (a place in a queue) and the admission token (the
 * right to sign in and book for a few minutes). Any server process can check either with the
 * shared key and no database or Redis round trip.
 */

/** A place in a queue. `position` is null for people who came before the opening. */
export interface Ticket {
  queueId: string;
  position: number | null;
  /** HMAC of municipality + resident: identifies the person without revealing the voucher. */
  personKey: string;
  /** Hash of the browser binding cookie: a copied ticket is useless in another browser. */
  browser: string;
  issuedAt: number;
}

export interface AdmissionToken {
  queueId: string;
  personKey: string;
  browser: string;
  expiresAt: number;
}

function sign(key: Buffer, purpose: string, body: unknown[]): string {
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${hmac(key, purpose, payload)}`;
}

function open(key: Buffer, purpose: string, token: string | undefined): unknown[] | undefined {
  if (!token || token.length > 600) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!safeEqual(signature, hmac(key, purpose, payload))) return undefined;
  try {
    const body: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

export function createTicketCodec(key: Buffer, options: { ticketTtlMs: number }) {
  return {
    /** The same resident always gets the same key; it is all the queue ever stores about them. */
    personKey(municipalityCode: string, residentId: number): string {
      return hmac(key, 'wr-person', municipalityCode, String(residentId)).slice(0, 22);
    },

    /** What the ticket stores of the browser's binding cookie (a one-way hash). */
    browserHash(binding: string): string {
      return createHash('sha256').update(binding).digest('base64url').slice(0, 16);
    },

    encodeTicket(t: Ticket): string {
      return sign(key, 'wr-ticket', [1, t.queueId, t.position, t.personKey, t.browser, t.issuedAt]);
    },

    /** The ticket, or undefined when forged, malformed or older than the ticket lifetime. */
    decodeTicket(token: string | undefined, now: number): Ticket | undefined {
      const body = open(key, 'wr-ticket', token);
      if (!body || body[0] !== 1) return undefined;
      const [, queueId, position, personKey, browser, issuedAt] = body;
      if (typeof queueId !== 'string' || typeof personKey !== 'string' || typeof browser !== 'string') return undefined;
      if (position !== null && typeof position !== 'number') return undefined;
      if (typeof issuedAt !== 'number' || issuedAt + options.ticketTtlMs <= now) return undefined;
      return { queueId, position, personKey, browser, issuedAt };
    },

    encodeAdmission(a: AdmissionToken): string {
      return sign(key, 'wr-admission', [1, a.queueId, a.personKey, a.browser, a.expiresAt]);
    },

    decodeAdmission(token: string | undefined, now: number): AdmissionToken | undefined {
      const body = open(key, 'wr-admission', token);
      if (!body || body[0] !== 1) return undefined;
      const [, queueId, personKey, browser, expiresAt] = body;
      if (typeof queueId !== 'string' || typeof personKey !== 'string' || typeof browser !== 'string') return undefined;
      if (typeof expiresAt !== 'number' || expiresAt <= now) return undefined;
      return { queueId, personKey, browser, expiresAt };
    },
  };
}

export type TicketCodec = ReturnType<typeof createTicketCodec>;
