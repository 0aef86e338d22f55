import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

export interface SmsMessage {
  to: string;
  text: string;
  /** What the message is for, so that SMS costs can be counted by purpose. */
  purpose: 'sign-in-code' | 'reservation-confirmation' | 'reminder';
}

/** Sends SMS. Real providers come later; every one implements this. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/**
 * The local provider: appends each message as one JSON line to $DATA_DIR/outbox/sms.jsonl, so a
 * person trying the demo can read their code. Refused in production by config.ts.
 */
export function createOutboxSmsSender(dataDir: string, logger: Logger): SmsSender {
  const file = path.join(dataDir, 'outbox', 'sms.jsonl');
  let ready: Promise<unknown> | undefined;
  return {
    async send(message) {
      ready ??= fs.mkdir(path.dirname(file), { recursive: true });
      await ready;
      await fs.appendFile(file, `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`);
      logger.info({ purpose: message.purpose, outbox: file }, 'SMS written to the local outbox');
    },
  };
}
