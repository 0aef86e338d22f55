import net from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReservationNumber } from '../../server/modules/reservations/index.js';
import { createLogger } from '../../server/platform/logger.js';
import { createRedisRateLimitStore } from '../../server/platform/rate-limit/redis-store.js';
import { createRedisClient } from '../../server/platform/redis.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectProblem } from '../support/problem-checks.js';

/** A port nothing listens on: taken from the OS, then closed again. */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The sign-in counters live in Redis when several processes share them. With Redis gone, every
 * endpoint that counts attempts answers a translated 503 "try again shortly", never a 500, and
 * never lets the attempt through uncounted.
 */
describe('sign-in limits when their Redis is unreachable', () => {
  let server: TestServer;
  let town: TestMunicipality;
  let redis: Redis;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 2 });
    redis = createRedisClient(
      {
        host: '127.0.0.1',
        port: await deadPort(),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      },
      createLogger('silent'),
    );
    server = await startTestServer(db, { rateLimits: createRedisRateLimitStore(redis, 'outage:') });
  });
  afterAll(async () => {
    await server?.close();
    redis?.disconnect();
  });

  const answer = (r: { status: number; contentType: string; body: unknown }) => ({
    status: r.status,
    contentType: r.contentType,
    text: JSON.stringify(r.body),
  });

  it('refuses sign-in, look-up and adding family with 503 problems, in the asked language', async () => {
    const resident = town.residents[0]!;
    const signIn = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
      headers: { 'accept-language': 'en' },
    });
    expect(signIn.body).toMatchObject({ code: 'unavailable' });
    expect(signIn.status).toBe(503);
    expectProblem(answer(signIn), 'en', 'auth/voucher');
    expect(signIn.body.code).toBe('unavailable');

    const lookup = await server.request('POST', '/api/v1/reservations/lookup', {
      body: { reservationNumber: generateReservationNumber(), birthDate: resident.birthDate },
      headers: { 'accept-language': 'ja' },
    });
    expect(lookup.status).toBe(503);
    expectProblem(answer(lookup), 'ja', 'reservations/lookup');

    const session = server.sessionFor(resident.id, town.code);
    const other = town.residents[1]!;
    const family = await server.request('POST', '/api/v1/me/family', {
      session,
      body: { voucherNumber: other.voucherNumber, birthDate: '1900-01-01' },
    });
    expect(family.status).toBe(503);
    expectProblem(answer(family), undefined, 'me/family');
  });
});
