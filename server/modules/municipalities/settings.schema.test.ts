import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../reservations/index.js';
import { parseOpeningPlan } from '../waiting-room/index.js';
import { settingsFieldErrors, settingsOf, SettingsSchema, WaveSchema } from './settings.schema.js';

describe('SettingsSchema', () => {
  it('accepts the defaults as they are', () => {
    expect([...Value.Errors(SettingsSchema, settingsOf(defaultPolicy, {}))]).toEqual([]);
  });

  it('accepts exactly the waves the waiting room will use (a wave it would drop is refused here, with its field)', () => {
    const waves = fc.record(
      {
        id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.string({ maxLength: 22 })),
        opensAt: fc.oneof(
          fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString()),
          fc.string(),
        ),
        ages: fc.tuple(fc.integer({ min: -2, max: 152 }), fc.integer({ min: -2, max: 152 })),
        birthDayDigits: fc.uniqueArray(fc.integer({ min: -1, max: 10 }), { minLength: 1, maxLength: 4 }),
        share: fc.oneof(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.constant(0), fc.constant(-1)),
      },
      { requiredKeys: ['id', 'opensAt'] },
    );
    fc.assert(
      fc.property(waves, (wave) => {
        const schemaOk = Value.Check(WaveSchema, wave) && (wave.ages === undefined || wave.ages[0] <= wave.ages[1]);
        const roomUses = parseOpeningPlan({ waves: [wave] }) !== undefined;
        // Date-time text the room reads with Date.parse but the schema's format refuses is the only gap allowed: stricter here.
        if (schemaOk) expect(roomUses, JSON.stringify(wave)).toBe(true);
        if (!roomUses) expect(schemaOk, JSON.stringify(wave)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('names the fields whose relation is wrong', () => {
    const settings = structuredClone(settingsOf(defaultPolicy, {}));
    settings.maxDoses = 1;
    settings.vaccines.pfizer!.maxAgeYears = 10;
    settings.waitingRoom.waves = [
      { id: 'a', opensAt: '2026-01-01T00:00:00Z', ages: [60, 50] },
      { id: 'a', opensAt: '2026-01-02T00:00:00Z' },
    ];
    delete settings.vaccines.moderna;
    expect(settingsFieldErrors(settings, ['moderna', 'pfizer'])).toEqual([
      { field: 'maxDoses', rule: 'maxDosesBelowPrimary' },
      { field: 'vaccines.pfizer.maxAgeYears', rule: 'minAgeAboveMax' },
      { field: 'vaccines.moderna', rule: 'vaccineInUse' },
      { field: 'waitingRoom.waves.0.ages', rule: 'agesOrder' },
      { field: 'waitingRoom.waves.1.id', rule: 'duplicate' },
    ]);
  });
});
