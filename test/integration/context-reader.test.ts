import { describe, expect, it } from 'vitest';
import { createContextReader } from '../../server/modules/reservations/index.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';

/** The booking context read: requests arriving together share a statement, and each gets its own answer. */
describe('the booking context reader', () => {
  it('answers 300 requests at once, from two towns, family or not, each with its own person and slot, in fewer reads', async () => {
    const db = await testDatabase();
    const [a, b] = [
      await createTestMunicipality(db, { residents: 150, slots: 3 }),
      await createTestMunicipality(db, { residents: 150, slots: 3 }),
    ];
    // Each even resident of A acts for the next one, as a family member.
    for (let i = 0; i + 1 < a.residents.length; i += 2) {
      await db
        .insertInto('family_links')
        .values({ account_id: a.residents[i]!.id, member_id: a.residents[i + 1]!.id })
        .execute();
    }
    const reader = createContextReader(db);
    const requests = [
      ...a.residents.map((r, i) => ({
        town: a,
        residentId: r.id,
        accountId: i % 2 ? a.residents[i - 1]!.id : r.id,
        slotId: a.slotIds[i % 3]!,
      })),
      ...b.residents.map((r, i) => ({ town: b, residentId: r.id, accountId: null, slotId: b.slotIds[i % 3]! })),
    ];
    // One asking for a slot that does not exist, one for a person who does not.
    const missing = [
      { residentId: a.residents[0]!.id, accountId: null, slotId: 2_000_000_000 },
      { residentId: 2_000_000_000, accountId: null, slotId: a.slotIds[0]! },
    ];
    const answers = await Promise.all(
      [...requests, ...missing].map(({ residentId, accountId, slotId }) => reader.read({ residentId, accountId, slotId })),
    );
    requests.forEach((request, i) => {
      const { resident, slot } = answers[i]!;
      expect(resident).toMatchObject({ id: request.residentId, municipality_code: request.town.code });
      expect(resident!.is_family).toBe(request.town === a && i % 2 === 1);
      expect(slot).toMatchObject({ id: request.slotId, municipality_code: request.town.code });
    });
    expect(answers.at(-2)).toMatchObject({ resident: { id: a.residents[0]!.id }, slot: undefined });
    expect(answers.at(-1)).toMatchObject({ resident: undefined, slot: { id: a.slotIds[0] } });
    const counts = reader.counts();
    expect(counts.requests).toBe(302);
    expect(counts.reads).toBeLessThan(302);
  });
});
