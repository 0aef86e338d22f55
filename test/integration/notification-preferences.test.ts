import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer, type TestSession } from '../support/server.js';

/**
 * A resident's choice of how and in which language messages reach them, through the real HTTP
 * server: SMS, e-mail or both, reminders off, the language kept over later sign-ins, and the
 * booking confirmation that follows the choice.
 */
let db: Db;
let town: TestMunicipality;
let server: TestServer;
let session: TestSession;

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, { residents: 4, slots: 2, capacity: 20 });
  server = await startTestServer(db, { redisPrefix: 'notification-preferences' });
  session = await server.signIn(town.code, town.residents[0]!);
});

afterAll(async () => {
  await server?.close();
});

const resident = (i: number) => town.residents[i]!;
const preferences = (s: TestSession = session) => server.request('GET', '/api/v1/me/notifications', { session: s });
const change = (body: unknown, s: TestSession = session, headers?: Record<string, string>) =>
  server.request('PATCH', '/api/v1/me/notifications', { session: s, body, headers });

describe('the preferences', () => {
  it('start as SMS with reminders, in the language of the sign-in, to the number it confirmed', async () => {
    const answer = await preferences();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ channel: 'sms', reminders: true, language: 'ja' });
    expect(answer.body.phoneLast4).toMatch(/^\d{4}$/);
  });

  it('need a signed-in resident', async () => {
    expect((await server.request('GET', '/api/v1/me/notifications')).status).toBe(401);
    expect((await server.request('PATCH', '/api/v1/me/notifications', { body: { reminders: false } })).status).toBe(401);
  });

  it('refuse e-mail without an address, a malformed address, an unknown language or channel, and change nothing', async () => {
    const before = (await preferences()).body;
    const noAddress = await change({ channel: 'email' }, session, { 'accept-language': 'en' });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.type).toMatch(/invalid-request$/);
    expect(noAddress.body.errors).toEqual([expect.objectContaining({ field: 'email', rule: 'required', message: expect.any(String) })]);
    const both = await change({ channel: 'both', email: null });
    expect(both.status).toBe(400);
    expect(both.body.errors[0]).toMatchObject({ field: 'email' });
    for (const body of [
      { email: 'not-an-address' },
      { language: 'xx' },
      { channel: 'fax' },
      {},
      { reminders: 'no' },
      { phone: '0901234' },
    ]) {
      const refused = await change(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await preferences()).body).toEqual(before);
  });

  it('keep SMS, e-mail or both, the reminder opt-out and the language', async () => {
    const chosen = await change({ channel: 'both', email: 'hanako@example.jp', reminders: false, language: 'ko' });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body).toMatchObject({ channel: 'both', email: 'hanako@example.jp', reminders: false, language: 'ko' });
    expect((await preferences()).body).toEqual(chosen.body);
    const emailOnly = await change({ channel: 'email' });
    expect(emailOnly.body).toMatchObject({ channel: 'email', email: 'hanako@example.jp', reminders: false, language: 'ko' });
    // With e-mail chosen, the address cannot be taken away.
    expect((await change({ email: null })).status).toBe(400);
    const back = await change({ channel: 'both', reminders: true });
    expect(back.body).toMatchObject({ channel: 'both', reminders: true });
  });

  it('keep the chosen language when the resident signs in again in another one', async () => {
    const again = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident(0).voucherNumber, birthDate: resident(0).birthDate },
      headers: { 'accept-language': 'en' },
    });
    expect(again.status).toBe(200);
    const sms = await server.request('POST', '/api/v1/auth/sms', {
      body: { challengeId: again.body.challengeId, phone: '09011113333' },
      headers: { 'accept-language': 'en' },
    });
    expect(sms.status).toBeLessThan(300);
    expect((await preferences()).body.language).toBe('ko');
    // Someone who never chose follows the site's language at sign-in.
    const other = await server.request('POST', '/api/v1/auth/voucher', {
      body: { municipalityCode: town.code, voucherNumber: resident(1).voucherNumber, birthDate: resident(1).birthDate },
    });
    await server.request('POST', '/api/v1/auth/sms', {
      body: { challengeId: other.body.challengeId, phone: '09011114444' },
      headers: { 'accept-language': 'vi' },
    });
    const row = await db
      .selectFrom('notification_preferences')
      .select(['language', 'language_chosen'])
      .where('resident_id', '=', resident(1).id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ language: 'vi', language_chosen: false });
  });

  it('send the booking confirmation in the chosen language by SMS and e-mail', async () => {
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const rows = await db
      .selectFrom('notification_outbox')
      .select(['channel', 'language', 'recipient', 'body', 'subject'])
      .where('resident_id', '=', resident(0).id)
      .where('kind', '=', 'booking-confirmed')
      .orderBy('channel')
      .execute();
    expect(rows.map((r) => [r.channel, r.language])).toEqual([
      ['email', 'ko'],
      ['sms', 'ko'],
    ]);
    expect(rows[0]!.recipient).toBe('hanako@example.jp');
    expect(rows[0]!.subject).toContain('백신 접종 예약 확정');
    expect(rows[1]!.body).toContain('예약 확정');
  });

  it('hold under 20 changes at once: the last one wins whole, never e-mail without an address', async () => {
    const s = await server.signIn(town.code, resident(2));
    const bodies = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? { channel: 'email', email: `p${i}@example.jp` } : { channel: 'sms', email: null },
    );
    const answers = await Promise.all(bodies.map((body) => change(body, s)));
    for (const a of answers) expect([200, 400]).toContain(a.status);
    const final = (await preferences(s)).body;
    if (final.channel !== 'sms') expect(final.email).toMatch(/@example\.jp$/);
  });
});
