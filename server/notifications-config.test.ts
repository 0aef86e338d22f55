import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { loopbackCertificate } from '../test/support/provider-peers.js';

const SECRET = 'x'.repeat(40);
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const production = { NODE_ENV: 'production', SESSION_SECRET: SECRET };

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('notification providers in the configuration', () => {
  it('starts in production with each real SMS provider', () => {
    const twilio = loadConfig({
      ...production,
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_FROM: '+15005550006',
    });
    expect(twilio.notifications.sms).toEqual({
      provider: 'twilio',
      accountSid: SID,
      authToken: 't',
      from: '+15005550006',
      messagingServiceSid: undefined,
      apiUrl: 'https://api.twilio.com',
    });
    expect(loadConfig({ ...production, SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1' }).notifications.sms).toMatchObject({
      provider: 'sns',
      region: 'ap-northeast-1',
      credentials: undefined,
    });
    expect(
      loadConfig({ ...production, SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example.jp/send', SMS_WEBHOOK_SECRET: SECRET })
        .notifications.sms,
    ).toEqual({ provider: 'webhook', url: 'https://sms.example.jp/send', secret: SECRET });
    // No e-mail provider in production unless one is configured: confirmations then go by SMS only.
    expect(loadConfig({ ...production, SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1' }).notifications.email).toEqual({
      provider: 'none',
    });
  });

  it.each([
    [{ SMS_PROVIDER: 'twilio' }, 'TWILIO_ACCOUNT_SID', /must be set with SMS_PROVIDER=twilio/],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC123' }, 'TWILIO_ACCOUNT_SID', /32 hexadecimal/],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID }, 'TWILIO_FROM', /TWILIO_MESSAGING_SERVICE_SID/],
    [{ SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_FROM: '+1' }, 'TWILIO_AUTH_TOKEN', /must be set/],
    [
      {
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_FROM: '+1',
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_API_URL: 'http://api.twilio.com',
      },
      'TWILIO_API_URL',
      /https:\/\/ in production/,
    ],
    [{ SMS_PROVIDER: 'sns' }, 'AWS_REGION', /must be set with SMS_PROVIDER=sns/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'tokyo' }, 'AWS_REGION', /not an AWS region/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'AKID' }, 'AWS_SECRET_ACCESS_KEY', /with the other one/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', SNS_SENDER_ID: 'far-too-long-sender' }, 'SNS_SENDER_ID', /1 to 11/],
    [{ SMS_PROVIDER: 'webhook' }, 'SMS_WEBHOOK_URL', /must be set/],
    [{ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'http://127.0.0.1:9000/' }, 'SMS_WEBHOOK_URL', /https:\/\/ in production/],
    [{ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example.jp' }, 'SMS_WEBHOOK_SECRET', /must be set/],
    [
      { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example.jp', SMS_WEBHOOK_SECRET: 'short' },
      'SMS_WEBHOOK_SECRET',
      /32 characters/,
    ],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', EMAIL_PROVIDER: 'outbox' }, 'EMAIL_PROVIDER', /sends e-mail nowhere/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', EMAIL_PROVIDER: 'sendgrid' }, 'EMAIL_PROVIDER', /none, outbox or smtp/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', EMAIL_PROVIDER: 'smtp' }, 'EMAIL_FROM', /must be set with EMAIL_PROVIDER=smtp/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', EMAIL_PROVIDER: 'smtp', EMAIL_FROM: 'a@b.jp' }, 'SMTP_HOST', /must be set/],
    [
      { SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', EMAIL_PROVIDER: 'smtp', EMAIL_FROM: 'a@b.jp', SMTP_HOST: 'h', SMTP_USER: 'u' },
      'SMTP_PASSWORD',
      /with SMTP_USER/,
    ],
    [
      {
        SMS_PROVIDER: 'sns',
        AWS_REGION: 'ap-northeast-1',
        EMAIL_PROVIDER: 'smtp',
        EMAIL_FROM: 'a@b.jp',
        SMTP_HOST: 'h',
        SMTP_CA_FILE: '/nonexistent',
      },
      'SMTP_CA_FILE',
      /cannot be read/,
    ],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', SMS_PRICE_PER_SEGMENT_YEN: 'ten' }, 'SMS_PRICE_PER_SEGMENT_YEN', /number/],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', NOTIFY_PURGE_AFTER_DAYS: '0' }, 'NOTIFY_PURGE_AFTER_DAYS', /./],
    [{ SMS_PROVIDER: 'sns', AWS_REGION: 'ap-northeast-1', SMS_PROVIDER_CA_FILE: '/nonexistent' }, 'SMS_PROVIDER_CA_FILE', /cannot be read/],
  ])('refuses %j in production, naming %s', (env, variable, reason) => {
    const error = refusal({ ...production, ...env } as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(reason);
  });

  it('lets development talk to local peers over http on loopback only', () => {
    const local = loadConfig({
      NODE_ENV: 'development',
      SMS_PROVIDER: 'webhook',
      SMS_WEBHOOK_URL: 'http://127.0.0.1:9000/sms',
      SMS_WEBHOOK_SECRET: SECRET,
    });
    expect(local.notifications.sms).toMatchObject({ url: 'http://127.0.0.1:9000/sms' });
    expect(
      refusal({ NODE_ENV: 'development', SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'http://sms.example.jp', SMS_WEBHOOK_SECRET: SECRET })
        .variable,
    ).toBe('SMS_WEBHOOK_URL');
  });

  it('reads SMTP settings: STARTTLS on 587 by default, implicit TLS on 465, a private CA from a file', () => {
    const { certFile } = loopbackCertificate();
    const smtp = loadConfig({
      NODE_ENV: 'development',
      EMAIL_PROVIDER: 'smtp',
      EMAIL_FROM: 'Test City <noreply@city.example.jp>',
      SMTP_HOST: 'smtp.example.jp',
      SMTP_USER: 'u',
      SMTP_PASSWORD: 'p',
      SMTP_CA_FILE: certFile,
    }).notifications.email;
    expect(smtp).toMatchObject({ provider: 'smtp', host: 'smtp.example.jp', port: 587, secure: false, user: 'u', password: 'p' });
    expect((smtp as { ca?: string }).ca).toContain('BEGIN CERTIFICATE');
    expect(
      loadConfig({ NODE_ENV: 'development', EMAIL_PROVIDER: 'smtp', EMAIL_FROM: 'a@b.jp', SMTP_HOST: 'h', SMTP_SECURE: 'true' })
        .notifications.email,
    ).toMatchObject({
      port: 465,
      secure: true,
    });
    expect(loadConfig({ NODE_ENV: 'development' }).notifications).toMatchObject({
      email: { provider: 'outbox' },
      pricePerSegmentYen: 10,
      purgeAfterDays: 90,
    });
    expect(loadConfig({ NODE_ENV: 'development', NOTIFY_PURGE_AFTER_DAYS: '30' }).notifications.purgeAfterDays).toBe(30);
  });
});
