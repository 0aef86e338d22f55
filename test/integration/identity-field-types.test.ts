import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { latestCode, startTestServer, type TestServer, type TestSession } from '../support/server.js';
import { tenantState } from '../support/tenant-state.js';
import { startRoomServer, type RoomServer } from './waiting-room-support.js';

/**
 * Identity fields are strings and nothing else. The right voucher number, birth date, code, phone
 * or reservation number sent as a JSON number, a one-element array, an object or a boolean is a
 * 400 invalid-request that changes nothing, not a value the validator turns into the right string.
 */
const wrongShapes = (right: string): [string, unknown][] => [
  ['number', Number(right.replace(/\D/g, '') || 1)],
  ['one-element array', [right]],
  ['object', { value: right }],
  ['boolean', true],
];

function expectInvalid(answer: { status: number; body: { code?: string } }, label: string): void {
  expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(400);
  expect(answer.body.code, label).toBe('invalid-request');
}

describe('identity fields that are not strings', () => {
  let db: Db;
  let town: TestMunicipality;
  let server: TestServer;
  let session: TestSession;
  let number: string;

  beforeAll(async () => {
    db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 4, slots: 2 });
    server = await startTestServer(db, { redisPrefix: 'identity-types' });
    session = server.sessionFor(town.residents[0]!.id, town.code);
    const booked = await server.request('POST', '/api/v1/reservations', { session, body: { slotId: town.slotIds[0] } });
    expect(booked.status).toBe(201);
    number = booked.body.number;
  });
  afterAll(() => server.close());

  const outbox = () => {
    const file = path.join(server.dataDir, 'outbox', 'sms.jsonl');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };

  it('refuses them at sign-in (voucher, birth date, phone, code), and the right strings still work afterwards', async () => {
    const resident = town.residents[1]!;
    const right = { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate };
    const before = await tenantState(db, town.code);
    for (const field of ['voucherNumber', 'birthDate'] as const) {
      for (const [shape, value] of wrongShapes(right[field])) {
        expectInvalid(await server.request('POST', '/api/v1/auth/voucher', { body: { ...right, [field]: value } }), `${field} as ${shape}`);
      }
    }
    expect(await tenantState(db, town.code)).toEqual(before);

    const started = await server.request('POST', '/api/v1/auth/voucher', { body: right });
    expect(started.status).toBe(200);
    const challengeId = started.body.challengeId as string;
    const sentBefore = outbox();
    const stateBefore = await tenantState(db, town.code);
    for (const [shape, value] of wrongShapes('09012345678')) {
      expectInvalid(await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: value } }), `phone as ${shape}`);
    }
    expect(outbox()).toBe(sentBefore);
    expect(await tenantState(db, town.code)).toEqual(stateBefore);

    expect((await server.request('POST', '/api/v1/auth/sms', { body: { challengeId, phone: '09012345678' } })).status).toBe(200);
    const code = latestCode(server.dataDir, '09012345678');
    const afterSend = await tenantState(db, town.code);
    for (const [shape, value] of wrongShapes(code)) {
      expectInvalid(await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code: value } }), `code as ${shape}`);
    }
    expect(await tenantState(db, town.code)).toEqual(afterSend);
    const verified = await server.request('POST', '/api/v1/auth/verify', { body: { challengeId, code } });
    expect(verified.status).toBe(200);
  });

  it('refuses them when adding a family member', async () => {
    const member = town.residents[2]!;
    const right = { voucherNumber: member.voucherNumber, birthDate: member.birthDate };
    const before = await tenantState(db, town.code);
    for (const field of ['voucherNumber', 'birthDate'] as const) {
      for (const [shape, value] of wrongShapes(right[field])) {
        expectInvalid(
          await server.request('POST', '/api/v1/me/family', { session, body: { ...right, [field]: value } }),
          `${field} as ${shape}`,
        );
      }
    }
    expect(await tenantState(db, town.code)).toEqual(before);
    expect((await server.request('POST', '/api/v1/me/family', { session, body: right })).status).toBe(201);
  });

  it('refuses them at the look-up and as the reservation a hold would replace', async () => {
    const birthDate = town.residents[0]!.birthDate;
    const before = await tenantState(db, town.code);
    for (const [shape, value] of wrongShapes(number)) {
      expectInvalid(
        await server.request('POST', '/api/v1/reservations/lookup', { body: { reservationNumber: value, birthDate } }),
        `reservationNumber as ${shape}`,
      );
      expectInvalid(
        await server.request('POST', '/api/v1/holds', { session, body: { slotId: town.slotIds[1], changing: value } }),
        `changing as ${shape}`,
      );
    }
    for (const [shape, value] of wrongShapes(birthDate)) {
      expectInvalid(
        await server.request('POST', '/api/v1/reservations/lookup', { body: { reservationNumber: number, birthDate: value } }),
        `birthDate as ${shape}`,
      );
    }
    expect(await tenantState(db, town.code)).toEqual(before);
    expect((await server.request('POST', '/api/v1/reservations/lookup', { body: { reservationNumber: number, birthDate } })).status).toBe(
      200,
    );
  });
});

describe('identity fields that are not strings, at the waiting room', () => {
  let town: TestMunicipality;
  let room: RoomServer;

  beforeAll(async () => {
    const db = await testDatabase();
    town = await createTestMunicipality(db, { residents: 1 });
    room = await startRoomServer(db);
  });
  afterAll(() => room.close());

  it('refuses them at joining, and nobody is queued', async () => {
    const resident = town.residents[0]!;
    const right = { municipalityCode: town.code, voucherNumber: resident.voucherNumber, birthDate: resident.birthDate };
    for (const field of ['voucherNumber', 'birthDate'] as const) {
      for (const [shape, value] of wrongShapes(right[field])) {
        expectInvalid(await room.browser().call('POST', '/api/v1/waiting-room/join', { ...right, [field]: value }), `${field} as ${shape}`);
      }
    }
    expect((await room.room.service.stats()).queues.find((q) => q.queueId === town.code)).toBeUndefined();
    expect((await room.browser().call('POST', '/api/v1/waiting-room/join', right)).status).toBe(200);
  });
});
