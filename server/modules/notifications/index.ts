/**
 * Messages to residents (docs/notifications.md): SMS and e-mail providers, texts in the
 * resident's language within SMS segment limits, an outbox written in the transaction of the
 * change that caused it, sent once by the job worker; reminders; staff figures and failures.
 */
export { countSegments, preferGsm, type SegmentCount, type SmsEncoding } from './messages/segments.js';
export { MESSAGE_FALLBACK_LANGUAGE, MESSAGE_LANGUAGES, messageLanguage, renderEmail, renderSms } from './messages/templates.js';
export { createNotifications, SEND_RETRY_LIMIT, type BookingNotifier, type Notifications } from './notifications.js';
export { notificationsMeRoutes } from './notifications-me.routes.js';
export { createPreferencesService, type PreferencesService } from './preferences.service.js';
export { notificationsStaffRoutes } from './notifications-staff.routes.js';
export { createNotificationsStaff, type NotificationsStaff } from './staff-figures.js';
export { createOutboxEmailSender, createOutboxSmsSender, type SmsMessage } from './providers/outbox.js';
export { providersFromConfig, smsProviderFromConfig } from './providers/from-config.js';
export {
  DeliveryError,
  type EmailProvider,
  type OutgoingEmail,
  type OutgoingSms,
  type SendReceipt,
  type SmsProvider,
  type SmsProvider as SmsSender,
} from './providers/provider.js';
export { createSmtpEmailSender } from './providers/smtp.js';
export { createSnsSmsSender } from './providers/sns.js';
export { createTwilioSmsSender } from './providers/twilio.js';
export { createWebhookSmsSender } from './providers/webhook.js';
export { REPLAY_WINDOW_SECONDS, verifyWebhookSignature, webhookSignature } from './providers/webhook-signature.js';
export type { Providers } from './delivery.service.js';
