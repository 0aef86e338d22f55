import { fetchFailure, fetchTrusting, httpFailure, PROVIDER_TIMEOUT_MS, withTimeout, type SmsProvider } from './provider.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './webhook-signature.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  now?: () => number;
  /** PEM of a CA to trust besides the system's (SMS_PROVIDER_CA_FILE). */
  ca?: string;
}

/**
 * A domestic SMS gateway behind an HTTPS endpoint of its own: one signed JSON POST per message,
 * `{ id, to, text, purpose }`. The contract (docs/notifications.md) asks the gateway to accept a
 * repeated `Idempotency-Key` once, so this provider deduplicates and an unknown outcome is retried.
 */
export function createWebhookSmsSender(options: WebhookOptions): SmsProvider {
  const now = options.now ?? (() => Date.now());
  const fetch = fetchTrusting(options.ca);
  return {
    name: 'webhook',
    deduplicates: true,
    async send(message, signal) {
      const body = JSON.stringify({ id: message.idempotencyKey, to: message.to, text: message.text, purpose: message.purpose });
      const timestamp = Math.floor(now() / 1000);
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: webhookSignature(options.secret, timestamp, body),
            [IDEMPOTENCY_HEADER]: message.idempotencyKey,
          },
          body,
          signal: withTimeout(signal, options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
        });
      } catch (error) {
        throw fetchFailure('webhook', error);
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) throw httpFailure('webhook', response.status, '');
      let id: string | undefined;
      try {
        id = (JSON.parse(text) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      return { providerMessageId: typeof id === 'string' ? id.slice(0, 200) : undefined };
    },
  };
}
