import { fetchFailure, fetchTrusting, httpFailure, PROVIDER_TIMEOUT_MS, withTimeout, type SmsProvider } from './provider.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or alphanumeric sender id… */
  from?: string;
  /** …or a Messaging Service, which picks the sender. */
  messagingServiceSid?: string;
  /** https://api.twilio.com; a local peer in tests. */
  apiUrl: string;
  timeoutMs?: number;
  /** PEM of a CA to trust besides the system's (SMS_PROVIDER_CA_FILE). */
  ca?: string;
}

/**
 * Twilio's Messages resource (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, HTTP
 * basic authentication). Twilio takes no idempotency key for messages, so `deduplicates` is false:
 * a send whose outcome is unknown is not retried for sign-in codes (docs/notifications.md).
 */
export function createTwilioSmsSender(options: TwilioOptions): SmsProvider {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const fetch = fetchTrusting(options.ca);
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    deduplicates: false,
    async send(message, signal) {
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else form.set('From', options.from!);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: withTimeout(signal, options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
        });
      } catch (error) {
        throw fetchFailure('twilio', error);
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        // Twilio's error body: { code, message, more_info, status }; the code says which refusal.
        const body = safeJson(text) as { code?: number; message?: string } | undefined;
        throw httpFailure('twilio', response.status, body?.code ? `error ${body.code}: ${body.message ?? ''}` : '');
      }
      const body = safeJson(text) as { sid?: string } | undefined;
      return { providerMessageId: body?.sid };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
