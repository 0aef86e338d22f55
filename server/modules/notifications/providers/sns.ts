import https from 'node:https';
import tls from 'node:tls';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError, PROVIDER_TIMEOUT_MS, UNTRUSTED_CERTIFICATE, withTimeout, type SmsProvider } from './provider.js';

export interface SnsOptions {
  region: string;
  /** Another endpoint than AWS's (a local peer in tests, a VPC endpoint). */
  endpoint?: string;
  /** Credentials from the SDK's default chain (environment, shared files, instance role) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Alphanumeric sender id, where the destination country supports one. */
  senderId?: string;
  timeoutMs?: number;
  /** PEM of a CA to trust besides the system's (SMS_PROVIDER_CA_FILE), for a private endpoint. */
  ca?: string;
}

/**
 * Amazon SNS's Publish to a phone number, as transactional SMS. SNS takes no idempotency key for
 * direct SMS either. The SDK's own retries are off (maxAttempts 1): ours decide, from the outcome.
 */
export function createSnsSmsSender(options: SnsOptions): SmsProvider {
  const client = new SNSClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    maxAttempts: 1,
    // The SDK's Node handler takes its options as the handler: an HTTPS agent that trusts `ca`.
    ...(options.ca
      ? { requestHandler: { httpsAgent: new https.Agent({ ca: [...tls.rootCertificates, options.ca], keepAlive: true }) } }
      : {}),
  });
  return {
    name: 'sns',
    deduplicates: false,
    async send(message, signal) {
      const attributes: Record<string, { DataType: string; StringValue: string }> = {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      };
      if (options.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: options.senderId };
      try {
        const result = await client.send(
          new PublishCommand({ PhoneNumber: message.to, Message: message.text, MessageAttributes: attributes }),
          {
            abortSignal: withTimeout(signal, options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
          },
        );
        return { providerMessageId: result.MessageId };
      } catch (error) {
        throw snsFailure(error);
      }
    },
  };
}

function snsFailure(error: unknown): DeliveryError {
  const e = error as { name?: string; code?: string; $fault?: 'client' | 'server'; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const name = e.name ?? 'Error';
  if (name === 'ThrottledException' || name === 'ThrottlingException' || status === 429) {
    return new DeliveryError('not-sent', `sns: throttled (${name})`, name);
  }
  if (e.$fault === 'client' && status !== undefined) return new DeliveryError('permanent', `sns: refused (${name}, HTTP ${status})`, name);
  const code = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code && UNTRUSTED_CERTIFICATE.has(code)) return new DeliveryError('permanent', `sns: certificate not trusted (${code})`, code);
  if (e.code === 'ECONNREFUSED' || (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') {
    return new DeliveryError('not-sent', 'sns: could not connect (ECONNREFUSED)', 'ECONNREFUSED');
  }
  if (name === 'TimeoutError' || name === 'AbortError') return new DeliveryError('unknown', 'sns: no answer in time', 'timeout');
  return new DeliveryError('unknown', `sns: the request failed (${name}${status ? `, HTTP ${status}` : ''})`, name);
}
