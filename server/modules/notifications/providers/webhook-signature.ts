import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook's signature (docs/notifications.md): HMAC-SHA256, keyed with the shared secret, of
 * `<timestamp>.<body>`, hex, sent as `X-Yoyaku-Signature: v1=<hex>` beside
 * `X-Yoyaku-Timestamp: <unix seconds>`. Signing the timestamp with the body lets the gateway refuse
 * an old request replayed as it was.
 */
export const SIGNATURE_HEADER = 'x-yoyaku-signature';
export const TIMESTAMP_HEADER = 'x-yoyaku-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How far a request's timestamp may be from the receiver's clock. */
export const REPLAY_WINDOW_SECONDS = 300;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver checks; the gateway's own implementation does the same in its language. */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
): 'ok' | 'bad-signature' | 'stale' {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) return 'bad-signature';
  if (Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return 'stale';
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'bad-signature';
}
