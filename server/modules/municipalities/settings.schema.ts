import { Type, type Static } from '@sinclair/typebox';
import type { CampaignPolicy } from '../reservations/index.js';

/**
 * A municipality's settings as staff edit them: the campaign policy the booking rules read
 * (reservations/campaign-policy.ts) and the waiting room's opening plan (waves), which the waiting
 * room reads from `settings.waitingRoom` (waiting-room/queue-rules.ts, parseOpeningPlan). Every bound
 * here is a field error with its own translated message; the checks between fields are
 * `settingsFieldErrors` below.
 */
const whole = (minimum: number, maximum: number, description: string) => Type.Integer({ minimum, maximum, description });

export const VaccineRuleSchema = Type.Object(
  {
    nameJa: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 100 }),
    secondDoseMinDays: whole(1, 365, 'Minimum days between dose 1 and dose 2 with this product'),
    minAgeYears: whole(0, 150, 'Youngest age, on the day of the dose'),
    maxAgeYears: Type.Optional(whole(0, 150, 'Oldest age, on the day of the dose (none: no upper limit)')),
  },
  { additionalProperties: false },
);

export const WaveSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,20}$', description: 'Part of the queue id: lower-case letters, digits, hyphens' }),
    opensAt: Type.String({ format: 'date-time', description: 'When this wave may start queueing (ISO 8601)' }),
    ages: Type.Optional(
      Type.Array(whole(0, 150, 'Age on the day the wave opens'), {
        minItems: 2,
        maxItems: 2,
        description: '[youngest, oldest], inclusive',
      }),
    ),
    birthDayDigits: Type.Optional(
      Type.Array(whole(0, 9, 'Last digit of the day of birth'), { minItems: 1, maxItems: 10, uniqueItems: true }),
    ),
    share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Share of the admission rate (default 1)' })),
  },
  { additionalProperties: false },
);

export const SettingsSchema = Type.Object(
  {
    fewLeftRatio: Type.Number({ minimum: 0, maximum: 1, description: '△ when at most this share of the places is left…' }),
    fewLeftAbsolute: whole(0, 10_000, '…or at most this many'),
    primaryDoses: whole(1, 5, 'Doses in the primary series (same product, interval per vaccine)'),
    boosterIntervalMonths: whole(1, 60, 'Months between doses after the primary series'),
    maxDoses: whole(1, 20, 'Most doses a person may book in all'),
    holdMinutes: whole(1, 60, 'How long a chosen time is held while the person confirms'),
    autoScheduleSecondDose: Type.Boolean({
      description: 'Booking dose 1 also books dose 2 at the same venue and time, the interval later',
    }),
    familyLimit: whole(0, 20, 'Family members one account may add'),
    reminderDaysBefore: whole(0, 30, 'Days before the appointment the reminder is sent'),
    vaccines: Type.Record(Type.String({ pattern: '^[a-z0-9-]{1,40}$' }), VaccineRuleSchema, {
      minProperties: 1,
      maxProperties: 30,
      description: 'Products by code (the code venues name)',
    }),
    waitingRoom: Type.Object(
      { waves: Type.Array(WaveSchema, { maxItems: 50, description: 'Empty: one queue for the whole municipality' }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Settings = Static<typeof SettingsSchema>;

export interface FieldError {
  field: string;
  rule: string;
}

/** What the schema cannot say: the relations between fields, and vaccines still given at a venue. */
export function settingsFieldErrors(settings: Settings, vaccinesInUse: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (settings.maxDoses < settings.primaryDoses) errors.push({ field: 'maxDoses', rule: 'maxDosesBelowPrimary' });
  for (const [code, rule] of Object.entries(settings.vaccines)) {
    if (rule.maxAgeYears !== undefined && rule.maxAgeYears < rule.minAgeYears) {
      errors.push({ field: `vaccines.${code}.maxAgeYears`, rule: 'minAgeAboveMax' });
    }
  }
  for (const code of vaccinesInUse)
    if (!Object.hasOwn(settings.vaccines, code)) errors.push({ field: `vaccines.${code}`, rule: 'vaccineInUse' });
  const seen = new Set<string>();
  settings.waitingRoom.waves.forEach((wave, i) => {
    if (seen.has(wave.id)) errors.push({ field: `waitingRoom.waves.${i}.id`, rule: 'duplicate' });
    seen.add(wave.id);
    if (wave.ages && wave.ages[0]! > wave.ages[1]!) errors.push({ field: `waitingRoom.waves.${i}.ages`, rule: 'agesOrder' });
  });
  return errors;
}

/** The settings in force: the stored ones laid over the defaults, in the shape the editor edits. */
export function settingsOf(policy: CampaignPolicy, stored: Record<string, unknown>): Settings {
  const plan = stored.waitingRoom as { waves?: unknown } | undefined;
  return {
    fewLeftRatio: policy.fewLeftRatio,
    fewLeftAbsolute: policy.fewLeftAbsolute,
    primaryDoses: policy.primaryDoses,
    boosterIntervalMonths: policy.boosterIntervalMonths,
    maxDoses: policy.maxDoses,
    holdMinutes: policy.holdMinutes,
    autoScheduleSecondDose: policy.autoScheduleSecondDose,
    familyLimit: policy.familyLimit,
    reminderDaysBefore: policy.reminderDaysBefore,
    vaccines: policy.vaccines,
    waitingRoom: { waves: Array.isArray(plan?.waves) ? (plan.waves as Settings['waitingRoom']['waves']) : [] },
  };
}
