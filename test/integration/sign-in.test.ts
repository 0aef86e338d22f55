import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { testDatabase } from '../support/database.js';
import { latestCode, startTestServer, type TestServer } from '../support/server.js';

describe('sign-in with voucher number, birth date and SMS code', () => {
  let server: TestServer;
  let town: TestMunicipality;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 5 });
    server = await startTestServer(db, { env: { LIMIT_SIGNIN_FAILURES_PER_VOUCHER: '3' } });
  });
  afterAll(() => server.close());

  const start = (voucherNumber: string, birthDate: string, headers?: Record<string, string>) =>
    server.request('POST', '/api/v1/auth/voucher', { body: { municipalityCode: town.code, voucherNumber, birthDate }, headers });

  it('signs in an imported resident through the three steps and gives an HttpOnly session cookie', async () => {
    const resident = town.residents[0]!;
    const started = await start(resident.voucherNumber, resident.birthDate);
    expect(started.status).toBe(200);
    const sent = await server.request('POST', '/api/v1/auth/sms', {
      body: { challengeId: started.body.challengeId, phone: '090-1234-5678' },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.phoneLast4).toBe('5678');
    const code = latestCode(server.dataDir, '09012345678');
    const verified = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId: started.body.challengeId, code } });
    expect(verified.status).toBe(200);
    const cookie = verified.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await server.request('GET', '/api/v1/me', {
      session: { cookie: cookie.split(';')[0]!, csrfToken: verified.body.csrfToken },
    });
    expect(me.status).toBe(200);
    expect(me.body.account.id).toBe(resident.id);

    // The code is single use.
    const again = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId: started.body.challengeId, code } });
    expect(again.status).toBe(401);
  });

  it('refuses made-up voucher numbers and wrong birth dates with one generic, translated answer', async () => {
    const madeUp = await start('1111111111', '1970-01-01');
    const wrongDate = await start(town.residents[1]!.voucherNumber, '1970-01-02', { 'accept-language': 'en' });
    expect(madeUp.status).toBe(401);
    expect(madeUp.contentType).toContain('application/problem+json');
    expect(madeUp.body.code).toBe('sign-in-failed');
    expect(madeUp.body.title).toContain('接種券番号');
    expect(wrongDate.body.code).toBe('sign-in-failed');
    expect(wrongDate.body.title).toMatch(/could not confirm/);
  });

  it('locks a voucher out after repeated failures, even with the right birth date afterwards', async () => {
    const resident = town.residents[2]!;
    for (let i = 0; i < 3; i++) expect((await start(resident.voucherNumber, '1999-09-09')).status).toBe(401);
    const locked = await start(resident.voucherNumber, resident.birthDate);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('too-many-attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits code guesses per challenge and refuses an early resend', async () => {
    const resident = town.residents[3]!;
    const started = await start(resident.voucherNumber, resident.birthDate);
    const challengeId = started.body.challengeId;
    expect((await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '08011112222' } })).status).toBe(200);
    const resend = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '08011112222' } });
    expect(resend.status).toBe(429);
    expect(resend.body.code).toBe('resend-too-soon');
    const real = latestCode(server.dataDir, '08011112222');
    const wrong = real === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push((await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code: wrong } })).body.code);
    expect(answers).toEqual(['sign-in-failed', 'sign-in-failed', 'sign-in-failed']);
    // The voucher is now locked (3 failures), so even the right code is refused.
    const locked = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code: real } });
    expect(locked.body.code).toBe('too-many-attempts');
  });

  it('stores codes hashed, never in clear', async () => {
    const db = await testDatabase();
    const resident = town.residents[4]!;
    const started = await start(resident.voucherNumber, resident.birthDate);
    await server.request('POST', '/api/v1/auth/sms', { body: { challengeId: started.body.challengeId, phone: '07033334444' } });
    const code = latestCode(server.dataDir, '07033334444');
    const row = await db.selectFrom('sign_in_challenges').selectAll().where('id', '=', started.body.challengeId).executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    expect(row.code_hash).toHaveLength(43);
  });
});

describe('how many codes are sent', () => {
  let server: TestServer;
  let town: TestMunicipality;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 8 });
    server = await startTestServer(db);
  });
  afterAll(() => server.close());

  /** Opens a fresh challenge for the resident and asks for a code to `phone`. */
  async function sendFresh(resident: TestMunicipality['residents'][number], phone: string) {
    const started = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
    });
    expect(started.status).toBe(200);
    return server.request('POST', '/api/v1/auth/sms', { body: { challengeId: started.body.challengeId, phone } });
  }

  it('sends one person at most 6 codes per window, however many challenges they open and numbers they give', async () => {
    const resident = town.residents[0]!;
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await sendFresh(resident, `0901000000${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await sendFresh(resident, '09010000009');
    expect(refused.body.code).toBe('rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('sends one phone number at most 6 codes per window, whoever asks', async () => {
    const statuses = [];
    for (const resident of town.residents.slice(1, 8)) statuses.push((await sendFresh(resident, '08077778888')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    // Only six texts reached the outbox for that number.
    const outbox = fs
      .readFileSync(path.join(server.dataDir, 'outbox', 'sms.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(outbox.filter((line) => JSON.parse(line).to === '+818077778888')).toHaveLength(6);
  });
});

describe('one count of wrong answers per voucher, whichever door they come through', () => {
  it('locks sign-in after wrong birth dates given when adding the voucher as a family member', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 3 });
    const server = await startTestServer(db, { env: { LIMIT_SIGNIN_FAILURES_PER_VOUCHER: '3' } });
    try {
      const [account, target, bystander] = town.residents as [
        TestMunicipality['residents'][number],
        TestMunicipality['residents'][number],
        TestMunicipality['residents'][number],
      ];
      const session = server.sessionFor(account.id, town.code);
      for (const birthDate of ['1901-01-01', '1902-02-02']) {
        const guess = await server.request('POST', '/api/v1/me/family', {
          session,
          body: { voucherNumber: target.voucherNumber, birthDate },
        });
        expect(guess.body.code).toBe('resident-not-found');
      }
      // A third wrong answer through sign-in: the voucher has now had its three.
      const third = await server.request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode: town.code, voucherNumber: target.voucherNumber, birthDate: '1903-03-03' },
      });
      expect(third.body.code).toBe('sign-in-failed');
      const right = await server.request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode: town.code, voucherNumber: target.voucherNumber, birthDate: target.birthDate },
      });
      expect(right.status).toBe(429);
      expect(right.body.code).toBe('too-many-attempts');
      // Adding it as family is refused too, even with the right date; other vouchers are untouched.
      const family = await server.request('POST', '/api/v1/me/family', {
        session,
        body: { voucherNumber: target.voucherNumber, birthDate: target.birthDate },
      });
      expect(family.body.code).toBe('too-many-attempts');
      const other = await server.request('POST', '/api/v1/auth/voucher', {
        body: { municipalityCode: town.code, voucherNumber: bystander.voucherNumber, birthDate: bystander.birthDate },
      });
      expect(other.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('the Secure flag of the session cookie', () => {
  it('is set when the request came over TLS (here through a trusted proxy), and not over plain HTTP', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 2 });
    const server = await startTestServer(db, { env: { TRUST_PROXY: '1' } });
    try {
      const signIn = async (resident: TestMunicipality['residents'][number], proto: string) => {
        const headers = { 'x-forwarded-proto': proto };
        const started = await server.request('POST', '/api/v1/auth/voucher', {
          body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
          headers,
        });
        const phone = `0906${String(resident.id).padStart(7, '0')}`;
        await server.request('POST', '/api/v1/auth/sms', { body: { challengeId: started.body.challengeId, phone }, headers });
        const verified = await server.request('POST', '/api/v1/auth/verify', {
          body: { challengeId: started.body.challengeId, code: latestCode(server.dataDir, phone) },
          headers,
        });
        expect(verified.status).toBe(200);
        return verified.headers.get('set-cookie') ?? '';
      };
      expect(await signIn(town.residents[0]!, 'https')).toMatch(/;\s*Secure/i);
      expect(await signIn(town.residents[1]!, 'http')).not.toMatch(/;\s*Secure/i);
    } finally {
      await server.close();
    }
  });
});
