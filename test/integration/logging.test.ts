import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/platform/logger.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';

/** A logger writing into memory, as the server's writes to stdout. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

describe('what the logs keep and what they hide', () => {
  it("keeps a database error's SQLSTATE, and hides the row values PostgreSQL repeats in its detail", async () => {
    const db = await testDatabase();
    const town = await createTestMunicipality(db, { residents: 1, capacity: 1 });
    // A real refusal by the database: one place more than the slot has.
    const error = await sql`update slots set taken = capacity + 1 where id = ${town.slotIds[0]!}`.execute(db).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeDefined();
    const { logger, lines } = capturedLogger();
    logger.error({ err: error }, 'request failed'); // as the problem handler logs a 500
    const [line] = lines();
    expect(line!.err.code).toBe('23514');
    expect(line!.err.message).toContain('slots_not_overbooked');
    expect(line!.err.detail).toBe('[redacted]'); // "Failing row contains (…)": the row's values
  });

  it('hides an SMS code in a request body, the text message, and personal fields, wherever they are logged', () => {
    const { logger, lines } = capturedLogger();
    const body = { challengeId: 'c-1', code: '123456', phone: '09012345678', voucherNumber: '1000000001', birthDate: '1950-04-01' };
    logger.info({ body }, 'a body');
    logger.info(
      { req: { body, headers: { cookie: 'yoyaku_session=abc', 'x-csrf-token': 'def', authorization: 'Bearer ghi' } } },
      'a request',
    );
    logger.info({ sms: { to: '+819012345678', text: 'コード 123456', purpose: 'sign-in-code' } }, 'a text');
    logger.info(
      { resident: { name_kanji: '山田 太郎', name_kana: 'ヤマダ タロウ', email: 'taro@example.jp', birth_date: '1950-04-01' } },
      'a row',
    );
    const text = JSON.stringify(lines());
    for (const secret of [
      '123456',
      '09012345678',
      '1000000001',
      '1950-04-01',
      'abc',
      'def',
      'ghi',
      '+819012345678',
      '山田',
      'ヤマダ',
      'taro@',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [fromBody, , fromSms] = lines();
    expect(fromBody!.body).toMatchObject({ challengeId: 'c-1', code: '[redacted]' });
    expect(fromSms!.sms.purpose).toBe('sign-in-code');
  });
});
