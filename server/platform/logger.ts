import { pino, type Logger } from 'pino';

/**
 * Personal data never reaches the logs: cookies, CSRF tokens and any body field that could
 * identify a resident are redacted wherever they appear.
 */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.voucherNumber',
  '*.birthDate',
  '*.phone',
  '*.code',
  '*.to',
  '*.text',
  '*.nameKana',
  '*.nameKanji',
  '*.email',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}
