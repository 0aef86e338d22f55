import nodemailer from 'nodemailer';
import { DeliveryError, PROVIDER_TIMEOUT_MS, type EmailProvider } from './provider.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS, which is then required. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** PEM of a private CA the server's certificate is signed by. */
  ca?: string;
  timeoutMs?: number;
}

/**
 * E-mail over SMTP with nodemailer. Without implicit TLS the connection must be upgraded with
 * STARTTLS (requireTLS): a server that does not offer it gets no message, and no password, in the
 * clear. The outbox key becomes the Message-ID, so a duplicate can at least be recognised.
 */
export function createSmtpEmailSender(options: SmtpOptions): EmailProvider {
  const timeout = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: !options.secure,
    auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
    tls: options.ca ? { ca: options.ca, minVersion: 'TLSv1.2' } : { minVersion: 'TLSv1.2' },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = options.from.split('@').at(-1)?.replace(/>$/, '') || 'localhost';
  return {
    name: 'smtp',
    deduplicates: false,
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          messageId: `<${message.idempotencyKey}@${domain}>`,
        });
        return { providerMessageId: info.messageId };
      } catch (error) {
        throw smtpFailure(error);
      }
    },
  };
}

function smtpFailure(error: unknown): DeliveryError {
  const e = error as { code?: string; responseCode?: number; command?: string; message?: string };
  const code = e.code ?? 'error';
  if (e.responseCode !== undefined) {
    // 5xx: refused for good (a bad address, authentication); 4xx: try later.
    const outcome = e.responseCode >= 500 ? 'permanent' : 'not-sent';
    return new DeliveryError(outcome, `smtp: ${e.responseCode} on ${e.command ?? 'send'} (${code})`, code);
  }
  if (code === 'EAUTH' || code === 'ETLS')
    return new DeliveryError('permanent', `smtp: ${code === 'EAUTH' ? 'authentication' : 'TLS'} failed`, code);
  const text = e.message ?? '';
  // A certificate we do not trust is configuration, not bad luck: trying again will not help.
  if (code === 'ESOCKET' && /certificate|self[- ]signed|SSL|TLS/i.test(text))
    return new DeliveryError('permanent', 'smtp: the server certificate is not trusted', 'ETLS');
  // A refused connection or an unknown host: nothing was handed over.
  const refused = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH/.exec(text)?.[0];
  if (code === 'ECONNECTION' || code === 'EDNS' || (code === 'ESOCKET' && refused)) {
    return new DeliveryError('not-sent', `smtp: could not connect (${refused ?? code})`, refused ?? code);
  }
  return new DeliveryError('unknown', `smtp: the send failed (${code})`, code);
}
