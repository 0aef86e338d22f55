import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { latestCode, startTestServer, type TestServer } from '../support/server.js';
import { startRoomServer, type Browser, type RoomServer } from './waiting-room-support.js';

type Resident = TestMunicipality['residents'][number];

/** Every text the outbox SMS provider "sent", oldest first. */
function sentTexts(dataDir: string): { to: string; text: string }[] {
  const file = path.join(dataDir, 'outbox', 'sms.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Opens a challenge for the resident (step 1) and returns its id. */
async function challengeFor(server: TestServer, town: TestMunicipality, resident: Resident): Promise<string> {
  const started = await server.request('POST', '/api/v1/auth/voucher', {
    body: { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body.challengeId;
}

describe('SMS caps count phones, not spellings', () => {
  let town: TestMunicipality;
  let server: TestServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 10 });
    server = await startTestServer(db, { redisPrefix: 'sms-spellings' });
  });
  afterAll(() => server.close());

  it('sends one handset at most 6 codes, however its number is written, and always to its E.164 number', async () => {
    const spellings = ['090-4321-8765', '+819043218765', '0081 90 4321 8765', '+81 090 4321 8765'];
    const statuses = [];
    for (const [i, resident] of town.residents.slice(0, 8).entries()) {
      const challengeId = await challengeFor(server, town, resident);
      const sent = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: spellings[i % spellings.length] } });
      statuses.push(sent.status);
      if (sent.status === 429) expect(sent.body.code).toBe('rate-limited');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const texts = sentTexts(server.dataDir).filter((m) => m.to.endsWith('43218765'));
    expect(texts.map((m) => m.to)).toEqual(Array(6).fill('+819043218765'));
  });

  it('refuses numbers that cannot receive a text, and sends nothing', async () => {
    const challengeId = await challengeFor(server, town, town.residents[8]!);
    const before = sentTexts(server.dataDir).length;
    for (const phone of ['03-1234-5678', '050-1234-5678', '0120-123-456', '090-0123-4567', '010-1234-5678']) {
      const refused = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone } });
      expect(refused.status, phone).toBe(400);
      expect(refused.body).toMatchObject({ code: 'invalid-request', errors: [{ field: 'phone' }] });
    }
    expect(sentTexts(server.dataDir)).toHaveLength(before);
  });

  it('reads national numbers in the municipality’s region: a Korean mobile in a town on Asia/Seoul', async () => {
    const seoul = await createTestMunicipality(await testDatabase(), { residents: 1, timeZone: 'Asia/Seoul' });
    const challengeId = await challengeFor(server, seoul, seoul.residents[0]!);
    const sent = await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '010-1234-5678' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sentTexts(server.dataDir).at(-1)!.to).toBe('+821012345678');
  });
});

describe('texts sent per client address', () => {
  it('sends at most LIMIT_SMS_PER_IP texts for 200 residents asking at once from one address', async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 200 });
    const server = await startTestServer(db, { env: { LIMIT_SMS_PER_IP: '10', LIMIT_WINDOW_SECONDS: '120' }, redisPrefix: 'sms-ip' });
    try {
      const challenges: string[] = [];
      for (const resident of town.residents) challenges.push(await challengeFor(server, town, resident));
      await Promise.all(challenges.map(() => fetch(`${server.url}/api/health`).then((r) => r.text())));
      const answers = await Promise.all(
        challenges.map((challengeId, i) =>
          server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: `0908${String(i).padStart(7, '0')}` } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
      for (const refused of answers.filter((a) => a.status !== 200)) {
        expect(refused.status).toBe(429);
        expect(refused.body.code).toBe('rate-limited');
        expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(120);
      }
      expect(sentTexts(server.dataDir)).toHaveLength(10);
    } finally {
      await server.close();
    }
  });
});

describe('an admission has codes sent for its own person only', () => {
  const clock = createFixedClock(new Date());
  let town: TestMunicipality;
  let room: RoomServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 3 });
    room = await startRoomServer(db, { clock, env: { WAITING_ROOM_RATE_PER_MINUTE: '60' } });
  });
  afterAll(() => room.close());

  const prove = async (browser: Browser, resident: Resident) => {
    const started = await browser.call('POST', '/api/v1/auth/voucher', {
      municipalityCode: town.code,
      voucherNumber: resident.voucherNumber,
      birthDate: resident.birthDate,
    });
    expect(started.status).toBe(200);
    return started.body.challengeId as string;
  };

  it('refuses codes for another resident, sends them for the admitted one, and for their family once signed in', async () => {
    const [admitted, stranger, relative] = town.residents as [Resident, Resident, Resident];
    const browser = room.browser();
    const joined = await browser.call('POST', '/api/v1/waiting-room/join', {
      municipalityCode: town.code,
      voucherNumber: admitted.voucherNumber,
      birthDate: admitted.birthDate,
    });
    expect(joined.status).toBe(200);
    for (let s = 0; s < 5; s++) {
      clock.advance(1000);
      await room.room.service.tick();
    }
    expect((await browser.call('POST', '/api/v1/waiting-room/admit', {})).status).toBe(200);

    // The admitted browser proves a voucher it knows, not the one that queued: no code is sent.
    const strangersChallenge = await prove(browser, stranger);
    const refused = await browser.call('POST', '/api/v1/auth/sms', { challengeId: strangersChallenge, phone: '090-5555-0101' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'admission-required', reason: 'admission-other-person' });
    expect(sentTexts(room.dataDir)).toHaveLength(0);

    // The person who queued signs in.
    const own = await prove(browser, admitted);
    expect((await browser.call('POST', '/api/v1/auth/sms', { challengeId: own, phone: '090-5555-0102' })).status).toBe(200);
    const verified = await browser.call('POST', '/api/v1/auth/verify', { challengeId: own, code: latestCode(room.dataDir, '09055550102') });
    expect(verified.status).toBe(200);
    const csrf = { 'x-csrf-token': verified.body.csrfToken as string };
    const added = await browser.call(
      'POST',
      '/api/v1/me/family',
      { voucherNumber: relative.voucherNumber, birthDate: relative.birthDate },
      csrf,
    );
    expect(added.status).toBe(201);

    // Signed in, their family member may be sent a code from this browser; the stranger still may not.
    const relativesChallenge = await prove(browser, relative);
    expect((await browser.call('POST', '/api/v1/auth/sms', { challengeId: relativesChallenge, phone: '090-5555-0103' })).status).toBe(200);
    const again = await browser.call('POST', '/api/v1/auth/sms', { challengeId: strangersChallenge, phone: '090-5555-0101' });
    expect(again.body).toMatchObject({ code: 'admission-required', reason: 'admission-other-person' });
    expect(sentTexts(room.dataDir).map((m) => m.to)).toEqual(['+819055550102', '+819055550103']);
  });
});
