import type { Logger } from 'pino';
import type { Config } from '../../../config.js';
import type { Providers } from '../delivery.service.js';
import { createOutboxEmailSender, createOutboxSmsSender } from './outbox.js';
import type { SmsProvider } from './provider.js';
import { createSmtpEmailSender } from './smtp.js';
import { createSnsSmsSender } from './sns.js';
import { createTwilioSmsSender } from './twilio.js';
import { createWebhookSmsSender } from './webhook.js';

/** The configured SMS provider (config.ts has refused a misconfigured one already). */
export function smsProviderFromConfig(config: Config, logger: Logger): SmsProvider {
  const sms = config.notifications.sms;
  const timeoutMs = config.notifications.providerTimeoutMs;
  switch (sms.provider) {
    case 'outbox':
      return createOutboxSmsSender(config.dataDir, logger);
    case 'twilio':
      return createTwilioSmsSender({ ...sms, timeoutMs });
    case 'sns':
      return createSnsSmsSender({ ...sms, timeoutMs });
    case 'webhook':
      return createWebhookSmsSender({ url: sms.url, secret: sms.secret, ca: sms.ca, timeoutMs });
  }
}

export function providersFromConfig(config: Config, logger: Logger, sms: SmsProvider = smsProviderFromConfig(config, logger)): Providers {
  const email = config.notifications.email;
  return {
    sms,
    email:
      email.provider === 'none'
        ? undefined
        : email.provider === 'outbox'
          ? createOutboxEmailSender(config.dataDir, logger)
          : createSmtpEmailSender({ ...email, timeoutMs: config.notifications.providerTimeoutMs }),
  };
}
