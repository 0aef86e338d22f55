import { describe, expect, it } from 'vitest';
import { createResidentsRepository } from '../../server/modules/residents/index.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';

/** The voucher look-up of every sign-in and join: look-ups asked together share a statement, each answered on its own. */
describe('identity look-ups', () => {
  it('answers 400 look-ups at once, from two towns with the same voucher numbers, each with its own resident or none', async () => {
    const db = await testDatabase();
    const [a, b] = [
      await createTestMunicipality(db, { residents: 150, slots: 0 }),
      await createTestMunicipality(db, { residents: 150, slots: 0 }),
    ];
    // The two towns number their vouchers alike: only the municipality tells them apart.
    expect(a.residents[0]!.voucherNumber).toBe(b.residents[0]!.voucherNumber);
    const residents = createResidentsRepository(db);
    const asked = [
      ...a.residents.map((r) => ({ code: a.code, voucher: r.voucherNumber, expected: r.id })),
      ...b.residents.map((r) => ({ code: b.code, voucher: r.voucherNumber, expected: r.id })),
      ...Array.from({ length: 100 }, (_, i) => ({
        code: i % 2 ? a.code : b.code,
        voucher: String(3_000_000_000 + i),
        expected: undefined,
      })),
    ].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(asked.map((q) => residents.findIdentity(q.code, q.voucher)));
    expect(answers.map((answer) => answer?.id)).toEqual(asked.map((q) => q.expected));
    expect(answers.filter(Boolean).every((answer) => answer!.birthDate === '1970-01-01')).toBe(true);
    const counts = residents.identityReadCounts();
    expect(counts.requests).toBe(400);
    expect(counts.reads).toBeLessThan(400);
  });
});
