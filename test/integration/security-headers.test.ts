import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { latestCode, startTestServer, type TestResponse, type TestServer, type TestSession } from '../support/server.js';

/** A CSP header as directive → sources. */
function directives(header: string | null): Record<string, string[]> {
  expect(header, 'content-security-policy').toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** The headers every answer carries, page, asset, API or problem alike. */
function expectSecurityHeaders(headers: Headers, where: string): void {
  const csp = directives(headers.get('content-security-policy'));
  expect(csp['default-src'], where).toEqual(["'self'"]);
  expect(csp['script-src'], where).toEqual(["'self'"]);
  expect(csp['style-src'], where).toEqual(["'self'"]);
  expect(csp['object-src'], where).toEqual(["'none'"]);
  expect(csp['frame-ancestors'], where).toEqual(["'none'"]);
  expect(headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(headers.get('x-frame-options'), where).toBe('DENY');
  expect(['same-origin', 'no-referrer', 'strict-origin', 'strict-origin-when-cross-origin'], where).toContain(
    headers.get('referrer-policy'),
  );
  // Plain HTTP: HSTS would be meaningless, and wrong for a site without TLS.
  expect(headers.get('strict-transport-security'), where).toBeNull();
}

describe('security headers', () => {
  let town: TestMunicipality;
  let server: TestServer;
  let webRoot: string;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 1 });
    // The server's headers do not depend on what the built app contains: a stand-in will do.
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-web-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1234.js"></script>');
    fs.writeFileSync(path.join(webRoot, 'assets', 'app-1234.js'), 'export {};');
    fs.mkdirSync(path.join(webRoot, 'admin', 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(webRoot, 'admin', 'index.html'),
      '<!doctype html><script type="module" src="/admin/assets/admin-5678.js"></script>',
    );
    fs.writeFileSync(path.join(webRoot, 'admin', 'assets', 'admin-5678.js'), 'export {};');
    server = await startTestServer(db, { webRoot, waitingRoomPage: true, redisPrefix: 'headers' });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  it('are on the app page, its assets, the waiting page and its files, API answers and problems', async () => {
    const answers: [string, TestResponse][] = [
      ['app page', await server.request('GET', `/m/${town.code}`)],
      ['asset', await server.request('GET', '/assets/app-1234.js')],
      ['waiting page', await server.request('GET', '/waiting-room/')],
      ['waiting page style', await server.request('GET', '/waiting-room/waiting-room.css')],
      ['waiting page script', await server.request('GET', '/waiting-room/waiting-room.js')],
      ['API answer', await server.request('GET', `/api/v1/municipalities/${town.code}`)],
      ['problem', await server.request('GET', '/api/v1/municipalities/000000')],
      ['unknown API path', await server.request('GET', '/api/v1/nothing-here')],
      ['missing asset', await server.request('GET', '/assets/gone-0000.js')],
      ['staff app', await server.request('GET', '/admin')],
      ['staff app page', await server.request('GET', '/admin/enrol')],
      ['staff app asset', await server.request('GET', '/admin/assets/admin-5678.js')],
      ['missing staff asset', await server.request('GET', '/admin/assets/gone-0000.js')],
    ];
    for (const [where, answer] of answers) expectSecurityHeaders(answer.headers, where);
    expect(answers.map(([where, answer]) => [where, answer.status])).toEqual([
      ['app page', 200],
      ['asset', 200],
      ['waiting page', 200],
      ['waiting page style', 200],
      ['waiting page script', 200],
      ['API answer', 200],
      ['problem', 404],
      ['unknown API path', 404],
      ['missing asset', 404],
      ['staff app', 200],
      ['staff app page', 200],
      ['staff app asset', 200],
      ['missing staff asset', 404],
    ]);
    // Pages under /admin get the staff app, never the residents' (and the other way round).
    for (const i of [9, 10]) expect(String(answers[i]![1].body)).toContain('/admin/assets/admin-5678.js');
    expect(String(answers[0]![1].body)).toContain('/assets/app-1234.js');
    expect(String((await server.request('GET', '/administrator')).body)).toContain('/assets/app-1234.js');
    // Public documents keep the caching they chose; problems are not cached.
    expect(answers[5]![1].headers.get('cache-control')).toBe('public, max-age=60');
    expect(answers[6]![1].headers.get('cache-control')).toBe('no-store');
    expect(answers[6]![1].contentType).toContain('application/problem+json');
  });

  it('leave nothing inline on the waiting pages for the CSP to refuse', async () => {
    for (const page of ['/waiting-room/']) {
      const html = String((await server.request('GET', page)).body);
      expect(html, page).not.toMatch(/<style/i);
      expect(html, page).not.toMatch(/\sstyle=/i);
      expect(html, page).not.toMatch(/\son[a-z]+=/i);
      // Every script is a file.
      expect(
        html.match(/<script[^>]*>/gi)?.every((tag) => /\ssrc=/.test(tag)),
        page,
      ).toBe(true);
      expect(html, page).toMatch(/<link rel="stylesheet" href="[a-z-]+\.css">/);
    }
  });

  it('give the Swagger UI its own policy: its inline styles, still no inline script, never framed', async () => {
    const page = await server.request('GET', '/api/docs/static/index.html');
    expect(page.status).toBe(200);
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
  });
});

describe('HSTS', () => {
  it('is sent when the request came over TLS through a trusted proxy, and not when an untrusted peer claims it', async () => {
    const db = await testDatabase();
    const trusted = await startTestServer(db, { env: { TRUST_PROXY: '127.0.0.1' }, redisPrefix: 'hsts-trusted' });
    const untrusted = await startTestServer(db, { env: { TRUST_PROXY: '10.0.0.0/8' }, redisPrefix: 'hsts-untrusted' });
    try {
      const overTls = { 'x-forwarded-proto': 'https' };
      expect((await trusted.request('GET', '/api/health', { headers: overTls })).headers.get('strict-transport-security')).toMatch(
        /^max-age=\d{8,}/,
      );
      expect(
        (await trusted.request('GET', '/api/health', { headers: { 'x-forwarded-proto': 'http' } })).headers.get(
          'strict-transport-security',
        ),
      ).toBeNull();
      expect((await untrusted.request('GET', '/api/health', { headers: overTls })).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await trusted.close();
      await untrusted.close();
    }
  });
});

describe('Cache-Control: no-store on every answer with personal data', () => {
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 2, slots: 3, capacity: 10 });
    server = await startTestServer(db, { redisPrefix: 'no-store' });
  });
  afterAll(() => server.close());

  it('covers sign-in, the account, family, holds, reservations, look-up and logout, answered or refused', async () => {
    const [resident, member] = [town.residents[0]!, town.residents[1]!];
    const seen: [string, TestResponse][] = [];
    const call = async (what: string, method: string, url: string, options: { body?: unknown; session?: TestSession } = {}) => {
      const answer = await server.request(method, url, options);
      seen.push([`${what} (${answer.status})`, answer]);
      return answer;
    };

    await call('voucher, wrong', 'POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: '1900-01-01' },
    });
    const started = await call('voucher', 'POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
    });
    const phone = '09012340001';
    await call('sms', 'POST', '/api/v1/auth/sms', { body: { challengeId: started.body.challengeId, phone } });
    await call('verify, wrong', 'POST', '/api/v1/auth/verify', {
      body: { challengeId: started.body.challengeId, code: '000000' === latestCode(server.dataDir, phone) ? '111111' : '000000' },
    });
    const verified = await call('verify', 'POST', '/api/v1/auth/verify', {
      body: { challengeId: started.body.challengeId, code: latestCode(server.dataDir, phone) },
    });
    expect(verified.status).toBe(200);
    const session = { cookie: (verified.headers.get('set-cookie') ?? '').split(';')[0]!, csrfToken: verified.body.csrfToken as string };

    await call('me', 'GET', '/api/v1/me', { session });
    await call('me, signed out', 'GET', '/api/v1/me');
    await call('add family', 'POST', '/api/v1/me/family', {
      session,
      body: { voucherNumber: member.voucherNumber, birthDate: member.birthDate },
    });
    const hold = await call('hold', 'POST', '/api/v1/holds', { session, body: { slotId: town.slotIds[0] } });
    await call('release hold', 'DELETE', `/api/v1/holds/${hold.body.id}`, { session });
    const booked = await call('book', 'POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    await call('book again', 'POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[1] } });
    await call('list', 'GET', '/api/v1/reservations', { session });
    await call('change', 'POST', `/api/v1/reservations/${booked.body.number}/change`, { session, body: { slotId: town.slotIds[2] } });
    await call('look-up', 'POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: booked.body.number, birthDate: resident.birthDate },
    });
    await call('look-up, wrong', 'POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: booked.body.number, birthDate: '1900-01-01' },
    });
    await call('cancel', 'POST', `/api/v1/reservations/${booked.body.number}/cancel`, { session });
    await call('remove family', 'DELETE', `/api/v1/me/family/${member.id}`, { session });
    await call('logout', 'POST', '/api/v1/auth/logout', { session });

    expect(seen.map(([what]) => what)).toEqual([
      'voucher, wrong (401)',
      'voucher (200)',
      'sms (200)',
      'verify, wrong (401)',
      'verify (200)',
      'me (200)',
      'me, signed out (401)',
      'add family (201)',
      'hold (201)',
      'release hold (204)',
      'book (201)',
      'book again (422)',
      'list (200)',
      'change (200)',
      'look-up (200)',
      'look-up, wrong (404)',
      'cancel (200)',
      'remove family (204)',
      'logout (204)',
    ]);
    for (const [what, answer] of seen) expect(answer.headers.get('cache-control'), what).toBe('no-store');
  });
});
