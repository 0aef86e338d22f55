import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Every test request reaches the server from 127.0.0.1: that socket is the "proxy" in front.
const LIMIT = 5;
const BURST = 40;
/** The one real client, as the proxy saw it (RFC 5737 documentation address). */
const CLIENT = '192.0.2.10';

/** A left-most X-Forwarded-For entry the client wrote itself, new every time. */
const forged = () => `198.51.100.${randomInt(1, 255)}, 203.0.113.${randomInt(1, 255)}`;
const madeUpVoucher = (i: number) => String(3_100_000_000 + i);

describe.each([
  { trust: '1', chain: (client: string) => `${forged()}, ${client}`, what: 'one hop' },
  // A second proxy inside the trusted range sits between the client and the one at 127.0.0.1.
  {
    trust: '127.0.0.1, 10.0.0.0/8',
    chain: (client: string) => `${forged()}, ${client}, 10.1.2.3`,
    what: 'a CIDR list containing 127.0.0.1',
  },
])('TRUST_PROXY=$trust ($what)', ({ trust, chain }) => {
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 1 });
    server = await startTestServer(db, {
      env: { TRUST_PROXY: trust, LIMIT_SIGNIN_FAILURES_PER_IP: String(LIMIT), LIMIT_WINDOW_SECONDS: '600' },
      redisPrefix: `proxy-trust-${trust.length}`,
    });
  });
  afterAll(() => server.close());

  const signIn = (xForwardedFor: string, voucherNumber: string, birthDate = '1970-01-01') =>
    server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber, birthDate },
      headers: { 'x-forwarded-for': xForwardedFor },
    });

  it('counts a burst with random forged left-most entries as one client, the right-most untrusted address', async () => {
    // One after another, so the count depends on whose address is used and not on how the
    // limiter counts parallel attempts.
    const answers: number[] = [];
    for (let i = 0; i < BURST; i++) answers.push((await signIn(chain(CLIENT), madeUpVoucher(i))).status);
    expect(answers.filter((status) => status === 401)).toHaveLength(LIMIT);
    expect(answers.filter((status) => status === 429)).toHaveLength(BURST - LIMIT);
    expect(answers.slice(LIMIT).every((status) => status === 429)).toBe(true);

    // The right voucher from the same client is locked out too, whatever it puts first.
    const resident = town.residents[0]!;
    expect((await signIn(chain(CLIENT), resident.voucherNumber, resident.birthDate)).status).toBe(429);
    // Another client behind the same proxy (another right-most untrusted address) is not.
    const neighbour = await signIn(chain('192.0.2.11'), resident.voucherNumber, resident.birthDate);
    expect(neighbour.status).toBe(200);
    expect(neighbour.body.challengeId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('TRUST_PROXY with a proxy address that is not the one in front', () => {
  it('ignores X-Forwarded-For from any other peer', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 1 });
    const server = await startTestServer(db, {
      env: { TRUST_PROXY: '10.0.0.0/8', LIMIT_SIGNIN_FAILURES_PER_IP: String(LIMIT), LIMIT_WINDOW_SECONDS: '600' },
      redisPrefix: 'proxy-trust-other',
    });
    try {
      const answers: number[] = [];
      for (let i = 0; i < LIMIT + 3; i++) {
        const answer = await server.request('POST', '/api/v1/auth/voucher', {
          body: { municipalityCode: town.code, voucherNumber: madeUpVoucher(100 + i), birthDate: '1970-01-01' },
          headers: { 'x-forwarded-for': `192.0.2.${100 + i}` },
        });
        answers.push(answer.status);
      }
      // Counted under 127.0.0.1 (the real peer), not under the addresses it claims.
      expect(answers).toEqual([...Array(LIMIT).fill(401), 429, 429, 429]);
    } finally {
      await server.close();
    }
  });
});
