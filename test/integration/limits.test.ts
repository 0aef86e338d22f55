import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReservationNumber } from '../../server/modules/reservations/index.js';
import { createFixedClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { latestCode, startTestServer, type TestResponse, type TestServer } from '../support/server.js';

// Documentation addresses (RFC 5737), standing in for residents behind a trusted proxy.
const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '198.51.100.9';
const WINDOW_SECONDS = 600;

const from = (ip: string) => ({ 'x-forwarded-for': ip });

/** A made-up voucher number no test municipality imports (theirs start at 2000000000). */
const madeUpVoucher = (i: number) => String(3_000_000_000 + i);

function expectLockedOut(answer: TestResponse, code: 'too-many-attempts' | 'rate-limited'): void {
  expect(answer.status).toBe(429);
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.body.code).toBe(code);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe('per-IP lock-out of the voucher step', () => {
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 3 });
    server = await startTestServer(db, {
      env: { TRUST_PROXY: '1', LIMIT_SIGNIN_FAILURES_PER_IP: '4', LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) },
      redisPrefix: 'limits-ip',
    });
  });
  afterAll(() => server.close());

  const start = (ip: string, voucherNumber: string, birthDate: string) =>
    server.request('POST', '/api/v1/auth/voucher', { body: { municipalityCode: town.code, voucherNumber, birthDate }, headers: from(ip) });

  it('locks out an IP that tries many different voucher numbers, but not its neighbour', async () => {
    // Every voucher is tried once, so the per-voucher limit (5) plays no part: only the IP's count can lock.
    for (let i = 0; i < 4; i++) {
      const failed = await start(ATTACKER, madeUpVoucher(i), '1970-01-01');
      expect(failed.status).toBe(401);
      expect(failed.body.code).toBe('sign-in-failed');
    }
    expectLockedOut(await start(ATTACKER, madeUpVoucher(4), '1970-01-01'), 'too-many-attempts');

    // The right voucher and birth date from the locked IP are refused too, so the lock cannot be probed around.
    const resident = town.residents[0]!;
    expectLockedOut(await start(ATTACKER, resident.voucherNumber, resident.birthDate), 'too-many-attempts');

    // Another address is not affected: it signs in, and its own mistakes are ordinary failures.
    const neighbour = await start(NEIGHBOUR, resident.voucherNumber, resident.birthDate);
    expect(neighbour.status).toBe(200);
    expect(neighbour.body.challengeId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await start(NEIGHBOUR, madeUpVoucher(5), '1970-01-01')).status).toBe(401);
  });

  it('refuses the code step from the locked IP without using up the code', async () => {
    const resident = town.residents[1]!;
    const started = await start(NEIGHBOUR, resident.voucherNumber, resident.birthDate);
    expect(started.status).toBe(200);
    const challengeId = started.body.challengeId as string;
    const phone = '09055550001';
    expect((await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone }, headers: from(NEIGHBOUR) })).status).toBe(200);
    const code = latestCode(server.dataDir, phone);

    const locked = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code }, headers: from(ATTACKER) });
    expectLockedOut(locked, 'too-many-attempts');
    const verified = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code }, headers: from(NEIGHBOUR) });
    expect(verified.status).toBe(200);
    expect(verified.body.accountId).toBe(resident.id);
  });
});

describe('per-IP lock-out without a trusted proxy', () => {
  it('ignores X-Forwarded-For, so rotating it does not escape the lock-out', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 1 });
    const server = await startTestServer(db, {
      env: { LIMIT_SIGNIN_FAILURES_PER_IP: '3', LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) },
      redisPrefix: 'limits-noproxy',
    });
    try {
      const start = (i: number, voucherNumber: string, birthDate: string) =>
        server.request('POST', '/api/v1/auth/voucher', {
          body: { municipalityCode: town.code, voucherNumber, birthDate },
          headers: from(`192.0.2.${i + 1}`),
        });
      for (let i = 0; i < 3; i++) expect((await start(i, madeUpVoucher(100 + i), '1970-01-01')).status).toBe(401);
      const resident = town.residents[0]!;
      expectLockedOut(await start(3, resident.voucherNumber, resident.birthDate), 'too-many-attempts');
    } finally {
      await server.close();
    }
  });
});

describe('rate limit of the reservation look-up without sign-in', () => {
  let town: TestMunicipality;
  let server: TestServer;
  let number: string;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 2 });
    server = await startTestServer(db, {
      env: { TRUST_PROXY: '1', LIMIT_LOOKUPS_PER_IP: '6', LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) },
      redisPrefix: 'limits-lookup',
    });
    const session = server.sessionFor(town.residents[0]!.id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booked.status).toBe(201);
    number = booked.body.number;
  });
  afterAll(() => server.close());

  const lookUp = (ip: string, reservationNumber: string, birthDate: string) =>
    server.request('POST', '/api/v1/reservations/lookup', { body: { reservationNumber, birthDate }, headers: from(ip) });

  /** Everything a caller can see of an answer, bar the moment it was sent. */
  const visible = (answer: TestResponse) => ({
    status: answer.status,
    contentType: answer.contentType,
    retryAfter: answer.headers.get('retry-after'),
    body: answer.body,
  });

  it('answers an unknown number and a wrong birth date alike, then locks the IP out, right answers included', async () => {
    const birthDate = town.residents[0]!.birthDate;
    let unknown = generateReservationNumber();
    while (unknown === number) unknown = generateReservationNumber();
    // Same body, wrong check character: well-formed to the eye, never a reservation.
    const misspelt = number.slice(0, 7) + (number[7] === '2' ? '3' : '2');

    const found = await lookUp(ATTACKER, number, birthDate);
    expect(found.status).toBe(200);
    expect(found.body.number).toBe(number);

    const answers = [
      await lookUp(ATTACKER, unknown, birthDate),
      await lookUp(ATTACKER, number, '1900-01-01'),
      await lookUp(ATTACKER, misspelt, birthDate),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe('reservation-not-found');
    }
    expect(visible(answers[1]!)).toEqual(visible(answers[0]!));
    expect(visible(answers[2]!)).toEqual(visible(answers[0]!));

    // Six look-ups per window, found or not: the next ones are refused whatever they ask.
    expect((await lookUp(ATTACKER, unknown, '1900-01-01')).status).toBe(404);
    expect((await lookUp(ATTACKER, unknown, '1900-01-02')).status).toBe(404);
    const lockedRight = await lookUp(ATTACKER, number, birthDate);
    const lockedUnknown = await lookUp(ATTACKER, unknown, birthDate);
    const lockedWrongDate = await lookUp(ATTACKER, number, '1900-01-01');
    for (const answer of [lockedRight, lockedUnknown, lockedWrongDate]) {
      expectLockedOut(answer, 'rate-limited');
      expect(answer.body).not.toHaveProperty('number');
      expect(answer.body).not.toHaveProperty('slot');
    }
    // Nothing but the waiting time may differ between a number that exists and one that does not.
    const withoutWait = (answer: TestResponse) => ({
      ...visible(answer),
      retryAfter: null,
      body: { ...answer.body, retryAfterSeconds: null },
    });
    expect(withoutWait(lockedUnknown)).toEqual(withoutWait(lockedRight));
    expect(withoutWait(lockedWrongDate)).toEqual(withoutWait(lockedRight));

    const neighbour = await lookUp(NEIGHBOUR, number, birthDate);
    expect(neighbour.status).toBe(200);
    expect(neighbour.body.number).toBe(number);
  });

  it('locks one number after a few wrong birth dates, however many addresses they come from', async () => {
    const resident = town.residents[1]!;
    const target = await server.request('POST', '/api/v1/reservations', {
      session: server.sessionFor(resident.id, town.code),
      body: { slotId: town.slotIds[0] },
    });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    const victim: string = target.body.number;
    const birthDate = resident.birthDate;
    // Five guesses (LIMIT_SIGNIN_FAILURES_PER_VOUCHER, default 5), each from a new address.
    for (let i = 0; i < 5; i++) expect((await lookUp(`203.0.113.${100 + i}`, victim, `1900-01-0${i + 1}`)).status).toBe(404);
    const locked = await lookUp('203.0.113.200', victim, birthDate);
    expectLockedOut(locked, 'too-many-attempts');
    expect(locked.body).not.toHaveProperty('slot');
    // Another number is not affected.
    let other = generateReservationNumber();
    while (other === victim) other = generateReservationNumber();
    expect((await lookUp('203.0.113.201', other, birthDate)).status).toBe(404);
  });
});

describe('SMS codes: ten minutes, once', () => {
  const clock = createFixedClock(new Date());
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 4 });
    server = await startTestServer(db, { clock, redisPrefix: 'limits-code' });
  });
  afterAll(() => server.close());

  /** Steps 1 and 2 for a resident; the code as the outbox SMS provider "sent" it. */
  async function codeFor(resident: { voucherNumber: string; birthDate: string }, phone: string) {
    const started = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
    });
    expect(started.status).toBe(200);
    const challengeId = started.body.challengeId as string;
    const sent = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone } });
    expect(sent.status).toBe(200);
    expect(new Date(sent.body.codeExpiresAt).getTime()).toBe(clock.now().getTime() + 10 * 60_000);
    return { challengeId, code: latestCode(server.dataDir, phone) };
  }

  const verify = (challengeId: string, code: string) => server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code } });

  it('accepts a code just under ten minutes old', async () => {
    const { challengeId, code } = await codeFor(town.residents[0]!, '09066660001');
    clock.advance(10 * 60_000 - 1000);
    const verified = await verify(challengeId, code);
    expect(verified.status).toBe(200);
    expect(verified.body.accountId).toBe(town.residents[0]!.id);
  });

  it('refuses a code older than ten minutes; a new code then works and the old one stays refused', async () => {
    const { challengeId, code } = await codeFor(town.residents[1]!, '09066660002');
    clock.advance(10 * 60_000 + 1000);
    const expired = await verify(challengeId, code);
    expect(expired.status).toBe(401);
    expect(expired.contentType).toContain('application/problem+json');
    expect(expired.body.code).toBe('code-expired');

    const resent = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '09066660002' } });
    expect(resent.status).toBe(200);
    const fresh = latestCode(server.dataDir, '09066660002');
    if (fresh !== code) {
      const old = await verify(challengeId, code);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe('sign-in-failed');
    }
    expect((await verify(challengeId, fresh)).status).toBe(200);
  });

  it('lets one of several simultaneous uses of a code through, and only one', async () => {
    const { challengeId, code } = await codeFor(town.residents[2]!, '09066660003');
    const answers = await Promise.all(Array.from({ length: 5 }, () => verify(challengeId, code)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.headers.get('set-cookie'))).toHaveLength(1);
    // The losers are refused; which refusal depends on where the race is lost (on PostgreSQL the
    // attempt counter, which skips used challenges, answers too-many-attempts).
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect([401, 429]).toContain(answer.status);
      expect(['sign-in-failed', 'too-many-attempts']).toContain(answer.body.code);
    }
    expect((await verify(challengeId, code)).status).toBe(401);
  });

  it('does not send a new code for a challenge whose code was used', async () => {
    const { challengeId, code } = await codeFor(town.residents[3]!, '09066660004');
    expect((await verify(challengeId, code)).status).toBe(200);
    clock.advance(2 * 60_000); // past the resend cooldown, so only the used challenge can be the reason
    const resend = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '09066660004' } });
    expect(resend.status).toBe(401);
    expect(resend.body.code).toBe('sign-in-failed');
    expect(latestCode(server.dataDir, '09066660004')).toBe(code);
  });
});
