import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../../server/modules/notifications/index.js';

/**
 * Local protocol peers for the notification providers: HTTP servers on 127.0.0.1 that speak
 * Twilio's, SNS's and the webhook's request formats and record what they received, and an SMTP
 * server with STARTTLS and authentication. Each can be told to fail, refuse, hang or answer slowly.
 */
export type Behaviour = 'ok' | 'server-error' | 'throttle' | 'refuse' | 'hang' | { slowMs: number };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface HttpPeer {
  /** https://127.0.0.1:<port>, with a self-signed certificate made for this run. */
  url: string;
  /** The certificate to trust (PEM): the providers' `ca` option. */
  ca: string;
  requests: RecordedRequest[];
  /** Answers the next requests in order; then `ok`. */
  behave(...next: Behaviour[]): void;
  close(): Promise<void>;
}

async function startHttpPeer(
  answer: (request: RecordedRequest, response: http.ServerResponse, behaviour: Behaviour) => void,
): Promise<HttpPeer> {
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];
  const hanging = new Set<http.ServerResponse>();
  const { key, cert } = sharedCertificate();
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(recorded);
      const behaviour = queue.shift() ?? 'ok';
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      if (behaviour === 'server-error') return void res.writeHead(500).end('{"message":"boom"}');
      if (behaviour === 'throttle') return void res.writeHead(429).end('{"code":20429,"message":"Too Many Requests"}');
      if (typeof behaviour === 'object') return void setTimeout(() => answer(recorded, res, 'ok'), behaviour.slowMs);
      answer(recorded, res, behaviour);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    behave: (...next) => void queue.push(...next),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Twilio's Messages resource: checks basic auth and the form; 400 with Twilio's error body for a bad number. */
export function startTwilioPeer(accountSid: string, authToken: string) {
  let n = 0;
  return startHttpPeer((request, res, behaviour) => {
    const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expectedAuth) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003,"message":"Authenticate"}');
    }
    if (request.path !== `/2010-04-01/Accounts/${accountSid}/Messages.json` || behaviour === 'refuse') {
      return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":21211,"message":"Invalid To Phone Number"}');
    }
    const form = new URLSearchParams(request.body);
    if (!form.get('To') || !form.get('Body') || !(form.get('From') || form.get('MessagingServiceSid'))) {
      return void res.writeHead(400).end('{"code":21604,"message":"missing"}');
    }
    res
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued' }));
  });
}

/** SNS's Query protocol: Action=Publish with a PhoneNumber, signed (SigV4) with the configured key. */
export function startSnsPeer(accessKeyId: string) {
  let n = 0;
  return startHttpPeer((request, res, behaviour) => {
    const form = new URLSearchParams(request.body);
    const signed = String(request.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${accessKeyId}/`);
    if (!signed || form.get('Action') !== 'Publish' || !form.get('PhoneNumber') || behaviour === 'refuse') {
      return void res
        .writeHead(400, { 'content-type': 'text/xml' })
        .end(
          '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber</Message></Error><RequestId>r</RequestId></ErrorResponse>',
        );
    }
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>msg-${++n}</MessageId></PublishResult><ResponseMetadata><RequestId>req-${n}</RequestId></ResponseMetadata></PublishResponse>`,
      );
  });
}

/**
 * A gateway behind the generic webhook: refuses a bad signature or a stale timestamp (401), and
 * accepts a repeated Idempotency-Key once, as the contract asks: `delivered` holds what reached phones.
 */
export async function startWebhookPeer(secret: string) {
  const delivered: { id: string; to: string; text: string; purpose: string }[] = [];
  const seen = new Map<string, string>();
  const rejected: string[] = [];
  const peer = await startHttpPeer((request, res, behaviour) => {
    const verdict = verifyWebhookSignature(
      secret,
      { signature: request.headers['x-yoyaku-signature'] as string, timestamp: request.headers['x-yoyaku-timestamp'] as string },
      request.body,
      Math.floor(Date.now() / 1000),
    );
    if (verdict !== 'ok') {
      rejected.push(verdict);
      return void res.writeHead(401).end();
    }
    if (behaviour === 'refuse') return void res.writeHead(422).end('{"error":"invalid number"}');
    const key = String(request.headers['idempotency-key']);
    const message = JSON.parse(request.body) as (typeof delivered)[number];
    if (!seen.has(key)) {
      seen.set(key, `gw-${seen.size + 1}`);
      delivered.push(message);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: seen.get(key) }));
  });
  return Object.assign(peer, { delivered, rejected });
}

let shared: ReturnType<typeof loopbackCertificate> | undefined;
/** One certificate for every HTTPS peer of a test process (openssl takes a moment). */
function sharedCertificate() {
  shared ??= loopbackCertificate();
  return shared;
}

/** A self-signed certificate for 127.0.0.1 (openssl), for STARTTLS and the HTTPS peers. */
export function loopbackCertificate(): { key: string; cert: string; certFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
  user: string | undefined;
}

/** An SMTP server that offers STARTTLS, takes AUTH only over TLS, and keeps what it received. */
export async function startSmtpPeer(options: {
  user: string;
  password: string;
  tls: { key: string; cert: string };
  rejectRcpt?: string;
  hideStartTls?: boolean;
}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    key: options.tls.key,
    cert: options.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    disabledCommands: options.hideStartTls ? ['STARTTLS'] : [],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address === options.rejectRcpt) {
        return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port nobody listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
