import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSmtpPeer,
  startSnsPeer,
  startTwilioPeer,
  startWebhookPeer,
  loopbackCertificate,
  closedPort,
  type HttpPeer,
} from '../../../../test/support/provider-peers.js';
import { DeliveryError, withoutPersonalData } from './provider.js';
import { createSmtpEmailSender } from './smtp.js';
import { createSnsSmsSender } from './sns.js';
import { createTwilioSmsSender } from './twilio.js';
import { createWebhookSmsSender } from './webhook.js';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature.js';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'twilio-auth-token';
const SECRET = 'a-webhook-secret-of-at-least-32-characters';
const sms = (n: number) => ({
  to: '+819012345678',
  text: `テスト ${n}`,
  idempotencyKey: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  purpose: 'reminder' as const,
});

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

const peers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
});

describe('Twilio against a local peer', () => {
  let peer: HttpPeer;
  beforeAll(async () => {
    peer = await startTwilioPeer(SID, TOKEN);
    peers.push(peer);
  });

  it('posts the form with basic authentication and keeps the message sid', async () => {
    const twilio = createTwilioSmsSender({ accountSid: SID, authToken: TOKEN, from: '+15005550006', apiUrl: peer.url, ca: peer.ca });
    const receipt = await twilio.send(sms(1));
    expect(receipt.providerMessageId).toMatch(/^SM\d{32}$/);
    const form = new URLSearchParams(peer.requests.at(-1)!.body);
    expect(Object.fromEntries(form)).toEqual({ To: '+819012345678', Body: 'テスト 1', From: '+15005550006' });
    expect(twilio.deduplicates).toBe(false);
  });

  it('uses a Messaging Service when one is configured', async () => {
    const twilio = createTwilioSmsSender({ accountSid: SID, authToken: TOKEN, messagingServiceSid: 'MG1', apiUrl: peer.url, ca: peer.ca });
    await twilio.send(sms(2));
    expect(new URLSearchParams(peer.requests.at(-1)!.body).get('MessagingServiceSid')).toBe('MG1');
  });

  it('tells a refusal (permanent), throttling (not sent), a server error and a hang (unknown) apart', async () => {
    const twilio = createTwilioSmsSender({
      accountSid: SID,
      authToken: TOKEN,
      from: '+15005550006',
      apiUrl: peer.url,
      ca: peer.ca,
      timeoutMs: 300,
    });
    peer.behave('refuse', 'throttle', 'server-error', 'hang');
    const refused = await failure(twilio.send(sms(3)));
    expect([refused.outcome, refused.message]).toEqual(['permanent', 'twilio: HTTP 400 error 21211: Invalid To Phone Number']);
    expect((await failure(twilio.send(sms(4)))).outcome).toBe('not-sent');
    expect((await failure(twilio.send(sms(5)))).outcome).toBe('unknown');
    const hung = await failure(twilio.send(sms(6)));
    expect([hung.outcome, hung.code]).toEqual(['unknown', 'timeout']);
    // Wrong credentials are a refusal too.
    const wrong = createTwilioSmsSender({ accountSid: SID, authToken: 'wrong', from: '+1', apiUrl: peer.url, ca: peer.ca });
    expect((await failure(wrong.send(sms(7)))).outcome).toBe('permanent');
  });

  it('speaks HTTPS and refuses a peer whose certificate it was not told to trust, before sending anything', async () => {
    expect(peer.url).toMatch(/^https:\/\//);
    const before = peer.requests.length;
    const untrusting = createTwilioSmsSender({ accountSid: SID, authToken: TOKEN, from: '+1', apiUrl: peer.url });
    const refused = await failure(untrusting.send(sms(9)));
    expect([refused.outcome, refused.message]).toEqual(['permanent', expect.stringMatching(/^twilio: certificate not trusted/)]);
    expect(peer.requests.length).toBe(before);
  });

  it('keeps numbers and addresses a provider quotes out of the recorded reason', () => {
    expect(withoutPersonalData("The 'To' number +81 90-1234-5678 is not a valid phone number. Mail to a@b.jp")).toBe(
      "The 'To' number … is not a valid phone number. Mail to …",
    );
    expect(withoutPersonalData('error 21211: Invalid To Phone Number')).toBe('error 21211: Invalid To Phone Number');
  });

  it('says nothing was sent when nobody listens', async () => {
    const twilio = createTwilioSmsSender({
      accountSid: SID,
      authToken: TOKEN,
      from: '+1',
      apiUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    expect((await failure(twilio.send(sms(8)))).outcome).toBe('not-sent');
  });
});

describe('Amazon SNS (AWS SDK v3) against a local peer', () => {
  let peer: HttpPeer;
  beforeAll(async () => {
    peer = await startSnsPeer('AKIDLOCALTEST');
    peers.push(peer);
  });
  const sns = (timeoutMs = 2000) =>
    createSnsSmsSender({
      region: 'ap-northeast-1',
      endpoint: peer.url,
      ca: peer.ca,
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'secret' },
      senderId: 'TestCity',
      timeoutMs,
    });

  it('publishes to the phone number as a signed transactional SMS', async () => {
    const receipt = await sns().send(sms(1));
    expect(receipt.providerMessageId).toBe('msg-1');
    const form = new URLSearchParams(peer.requests.at(-1)!.body);
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('PhoneNumber')).toBe('+819012345678');
    expect(form.get('Message')).toBe('テスト 1');
    const attributes = [...form.entries()].filter(([k]) => k.startsWith('MessageAttributes')).map(([, v]) => v);
    expect(attributes).toEqual(expect.arrayContaining(['AWS.SNS.SMS.SMSType', 'Transactional', 'AWS.SNS.SMS.SenderID', 'TestCity']));
  });

  it('refuses an endpoint whose certificate it was not told to trust', async () => {
    const before = peer.requests.length;
    const untrusting = createSnsSmsSender({
      region: 'ap-northeast-1',
      endpoint: peer.url,
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'secret' },
    });
    expect((await failure(untrusting.send(sms(20)))).outcome).toBe('permanent');
    expect(peer.requests.length).toBe(before);
  });

  it('classifies a refusal, throttling and a hang, and never retries inside the SDK', async () => {
    peer.behave('refuse', 'throttle', 'hang');
    const before = peer.requests.length;
    expect((await failure(sns().send(sms(2)))).outcome).toBe('permanent');
    expect((await failure(sns().send(sms(3)))).outcome).toBe('not-sent');
    expect((await failure(sns(300).send(sms(4)))).outcome).toBe('unknown');
    expect(peer.requests.length - before).toBe(3);
  });
});

describe('the signed webhook against a local gateway', () => {
  it('signs timestamp and body; the gateway checks both and accepts a repeated key once', async () => {
    const gateway = await startWebhookPeer(SECRET);
    peers.push(gateway);
    const webhook = createWebhookSmsSender({ url: `${gateway.url}/sms`, ca: gateway.ca, secret: SECRET });
    const first = await webhook.send(sms(1));
    const again = await webhook.send(sms(1));
    expect(first.providerMessageId).toBe('gw-1');
    expect(again.providerMessageId).toBe('gw-1');
    expect(gateway.delivered).toEqual([{ id: sms(1).idempotencyKey, to: '+819012345678', text: 'テスト 1', purpose: 'reminder' }]);
    expect(webhook.deduplicates).toBe(true);

    // Another secret, or an old timestamp (a replay), is refused as a permanent failure.
    const forged = createWebhookSmsSender({
      url: `${gateway.url}/sms`,
      ca: gateway.ca,
      secret: 'another-secret-of-at-least-32-characters!',
    });
    expect((await failure(forged.send(sms(2)))).outcome).toBe('permanent');
    const replayed = createWebhookSmsSender({ url: `${gateway.url}/sms`, ca: gateway.ca, secret: SECRET, now: () => Date.now() - 600_000 });
    expect((await failure(replayed.send(sms(3)))).outcome).toBe('permanent');
    expect(gateway.rejected).toEqual(['bad-signature', 'stale']);
  });

  it('documents its signature: HMAC-SHA256 of "<timestamp>.<body>" as v1=<hex>', () => {
    const body = '{"id":"1"}';
    const expected = createHmac('sha256', 'secret').update('1700000000.{"id":"1"}').digest('hex');
    expect(webhookSignature('secret', 1_700_000_000, body)).toBe(`v1=${expected}`);
    expect(verifyWebhookSignature('secret', { signature: webhookSignature('secret', 100, body), timestamp: '100' }, body, 100)).toBe('ok');
    expect(verifyWebhookSignature('secret', { signature: webhookSignature('secret', 100, body), timestamp: '100' }, `${body} `, 100)).toBe(
      'bad-signature',
    );
    expect(verifyWebhookSignature('secret', { signature: webhookSignature('secret', 100, body), timestamp: '100' }, body, 100 + 301)).toBe(
      'stale',
    );
  });
});

describe('SMTP (nodemailer) against a local server with STARTTLS and authentication', () => {
  const tls = loopbackCertificate();
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  beforeAll(async () => {
    smtp = await startSmtpPeer({ user: 'yoyaku', password: 'smtp-password', tls, rejectRcpt: 'nobody@example.jp' });
    peers.push(smtp);
  });
  const mailer = (password = 'smtp-password') =>
    createSmtpEmailSender({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      user: 'yoyaku',
      password,
      from: 'Test City <noreply@city.example.jp>',
      ca: tls.cert,
      timeoutMs: 5000,
    });
  const mail = (to: string) => ({
    to,
    subject: '予約確定',
    text: '予約番号: ABCD-123456',
    idempotencyKey: '11111111-2222-4333-8444-555555555555',
    purpose: 'booking-confirmed' as const,
  });

  it('upgrades with STARTTLS, authenticates, and delivers the message with the outbox key as Message-ID', async () => {
    await mailer().send(mail('resident@example.jp'));
    const got = smtp.received.at(-1)!;
    expect(got).toMatchObject({ from: 'noreply@city.example.jp', to: ['resident@example.jp'], secure: true, user: 'yoyaku' });
    expect(got.raw).toContain('Message-ID: <11111111-2222-4333-8444-555555555555@city.example.jp>');
    expect(got.raw).toMatch(/Subject: =\?UTF-8\?/);
  });

  it('fails a wrong password and a refused address for good, and an unreachable server as not sent', async () => {
    const before = smtp.received.length;
    expect((await failure(mailer('wrong').send(mail('resident@example.jp')))).outcome).toBe('permanent');
    expect((await failure(mailer().send(mail('nobody@example.jp')))).outcome).toBe('permanent');
    const nowhere = createSmtpEmailSender({ host: '127.0.0.1', port: await closedPort(), secure: false, from: 'a@b.jp', timeoutMs: 2000 });
    expect((await failure(nowhere.send(mail('resident@example.jp')))).outcome).toBe('not-sent');
    expect(smtp.received.length).toBe(before);
  });

  it('refuses to send (or authenticate) in the clear to a server that does not offer STARTTLS, or whose certificate is not trusted', async () => {
    const plain = await startSmtpPeer({ user: 'yoyaku', password: 'smtp-password', tls, hideStartTls: true });
    peers.push(plain);
    const toPlain = createSmtpEmailSender({
      host: '127.0.0.1',
      port: plain.port,
      secure: false,
      user: 'yoyaku',
      password: 'smtp-password',
      from: 'a@b.jp',
      ca: tls.cert,
      timeoutMs: 3000,
    });
    expect((await failure(toPlain.send(mail('resident@example.jp')))).outcome).toBe('permanent');
    const untrusted = createSmtpEmailSender({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      user: 'yoyaku',
      password: 'smtp-password',
      from: 'a@b.jp',
      timeoutMs: 3000,
    });
    expect((await failure(untrusted.send(mail('resident@example.jp')))).outcome).toBe('permanent');
    expect(plain.received).toHaveLength(0);
  });
});
