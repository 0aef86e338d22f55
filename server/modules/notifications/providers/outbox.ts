import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { EmailProvider, OutgoingEmail, OutgoingSms, SmsProvider } from './provider.js';

/** What callers outside the module hand to an SMS provider (the key and purpose are optional there). */
export type SmsMessage = Omit<OutgoingSms, 'idempotencyKey'> & { idempotencyKey?: string };

function appender(file: string) {
  let ready: Promise<unknown> | undefined;
  return async (line: object) => {
    ready ??= fs.mkdir(path.dirname(file), { recursive: true });
    await ready;
    await fs.appendFile(file, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
  };
}

/**
 * The local SMS provider: appends each message as one JSON line to $DATA_DIR/outbox/sms.jsonl, so
 * a person trying the demo can read their code. Refused in production by config.ts.
 */
export function createOutboxSmsSender(dataDir: string, logger: Logger): SmsProvider {
  const file = path.join(dataDir, 'outbox', 'sms.jsonl');
  const append = appender(file);
  return {
    name: 'outbox',
    deduplicates: false,
    async send(message) {
      await append(message);
      logger.info({ purpose: message.purpose, outbox: file }, 'SMS written to the local outbox');
      return {};
    },
  };
}

/** The local e-mail provider: $DATA_DIR/outbox/email.jsonl. Development only, like the SMS one. */
export function createOutboxEmailSender(dataDir: string, logger: Logger): EmailProvider {
  const file = path.join(dataDir, 'outbox', 'email.jsonl');
  const append = appender(file);
  return {
    name: 'outbox',
    deduplicates: false,
    async send(message: OutgoingEmail) {
      await append(message);
      logger.info({ purpose: message.purpose, outbox: file }, 'E-mail written to the local outbox');
      return {};
    },
  };
}
