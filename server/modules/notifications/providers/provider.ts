import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { NotificationKind } from '../../../db/schema.js';

/** One SMS as a provider receives it. */
export interface OutgoingSms {
  /** E.164. */
  to: string;
  text: string;
  /** The outbox row's key: the same on every attempt at this message. */
  idempotencyKey: string;
  /** What the message is for, so that costs can be counted by purpose. */
  purpose: NotificationKind;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  idempotencyKey: string;
  purpose: NotificationKind;
}

export interface SendReceipt {
  /** The provider's id of the message, kept with the outbox row for support. */
  providerMessageId?: string;
}

interface Provider<Message> {
  /** Recorded with each message: outbox, twilio, sns, webhook, smtp. */
  readonly name: string;
  /**
   * The provider drops a second message with the same idempotency key, so a send whose outcome is
   * unknown (a timeout) may be retried even where a duplicate must never reach the phone.
   */
  readonly deduplicates: boolean;
  send(message: Message, signal?: AbortSignal): Promise<SendReceipt>;
}

export type SmsProvider = Provider<OutgoingSms>;
export type EmailProvider = Provider<OutgoingEmail>;

/**
 * Why a send failed, as it matters for trying again:
 * - `permanent`: the provider refused the message (a bad number, bad credentials); never retried;
 * - `not-sent`: it surely did not go out (connection refused, throttled): safe to retry;
 * - `unknown`: it may have gone out (no answer in time, the connection dropped after the request,
 *   a server error): retried only where a duplicate is acceptable or the provider deduplicates.
 */
export type FailureOutcome = 'permanent' | 'not-sent' | 'unknown';

export class DeliveryError extends Error {
  constructor(
    readonly outcome: FailureOutcome,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** How long one call to a provider may take before its outcome is unknown. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * A `fetch` that trusts `ca` (PEM: a private CA, or a test's self-signed certificate) besides the
 * system's roots; the plain global `fetch` without one. Never NODE_TLS_REJECT_UNAUTHORIZED.
 */
export function fetchTrusting(ca: string | undefined): typeof globalThis.fetch {
  if (!ca) return globalThis.fetch;
  const dispatcher = new Agent({ connect: { ca: [...tls.rootCertificates, ca] } });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as typeof globalThis.fetch;
}

/** The TLS handshake refused the peer's certificate: nothing was sent, and retrying will not help. */
export const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * What a failed fetch means: no connection at all (nothing was sent) or anything after it (the
 * request may have arrived). Never includes the message itself, which holds personal data.
 */
export function fetchFailure(provider: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code;
  if (code && NOT_CONNECTED.has(code)) return new DeliveryError('not-sent', `${provider}: could not connect (${code})`, code);
  if (code && UNTRUSTED_CERTIFICATE.has(code))
    return new DeliveryError('permanent', `${provider}: certificate not trusted (${code})`, code);
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new DeliveryError('unknown', `${provider}: no answer in time`, 'timeout');
  return new DeliveryError('unknown', `${provider}: the request failed (${code ?? name ?? 'error'})`, code);
}

/**
 * A provider's own words about a failure, without the phone numbers or addresses they may quote
 * ("The 'To' number +8190… is not valid"): the reason is logged and shown to staff.
 */
export function withoutPersonalData(detail: string): string {
  return detail
    .replace(/\S+@\S+/g, '…')
    .replace(/\+?\d[\d\s().-]{5,}\d/g, '…')
    .slice(0, 200);
}

/** An HTTP answer other than success: 429 and 503 say "not now", other 5xx leave it unknown, 4xx refuse it. */
export function httpFailure(provider: string, status: number, detail: string): DeliveryError {
  const message = `${provider}: HTTP ${status}${detail ? ` ${withoutPersonalData(detail)}` : ''}`;
  if (status === 429 || status === 503) return new DeliveryError('not-sent', message, `http-${status}`);
  if (status >= 500) return new DeliveryError('unknown', message, `http-${status}`);
  return new DeliveryError('permanent', message, `http-${status}`);
}
