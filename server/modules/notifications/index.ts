/** Messages to residents: the SMS sender interface and its providers. */
export { createOutboxSmsSender, type SmsMessage, type SmsSender } from './sms-sender.js';
