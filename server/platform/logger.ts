import { pino, type DestinationStream, type Logger } from 'pino';

/** Fields that identify a resident whatever object carries them (API bodies and database rows). */
const personalFields = [
  'voucherNumber',
  'voucher_number',
  'birthDate',
  'birth_date',
  'phone',
  'nameKana',
  'nameKanji',
  'name_kana',
  'name_kanji',
  'email',
  'csrfToken',
];

/**
 * Personal data never reaches the logs, and what an operator needs to read an error does.
 * Personal fields are redacted at the top of a line, one level down (`{ resident: { phone } }`)
 * and in a request body (`body`, `req.body`). `code`, `to` and `text` are personal only in a
 * request body (an SMS code) or a text message;
 * elsewhere they are kept, above all `err.code`, the PostgreSQL SQLSTATE (40P01, 23505, …) or
 * Node error code that says what went wrong. PostgreSQL's `err.detail` repeats the values of
 * the row at fault ("Key (phone)=(…)"), so it goes.
 */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...personalFields.flatMap((field) => [field, `*.${field}`]),
  ...[...personalFields, 'code'].flatMap((field) => [`body.${field}`, `*.body.${field}`]),
  'sms.to',
  'sms.text',
  '*.sms.to',
  '*.sms.text',
  'err.detail',
];

/** The process's logger: JSON lines on stdout, or into `destination` (tests read it there). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
