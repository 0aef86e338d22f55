import type { AvailabilityPolicy } from '../venues/index.js';

export interface VaccineRule {
  nameJa: string;
  nameEn: string;
  /** Minimum days between dose 1 and dose 2 of the primary series with this product. */
  secondDoseMinDays: number;
  minAgeYears: number;
  maxAgeYears?: number;
}

/**
 * A municipality's campaign rules. Every number here is a policy: the defaults follow
 * docs/domain.md, and a municipality's `settings` overrides any of them.
 */
export interface CampaignPolicy extends AvailabilityPolicy {
  /** Doses in the primary series; later doses are boosters. */
  primaryDoses: number;
  boosterIntervalMonths: number;
  maxDoses: number;
  holdMinutes: number;
  /** Booking dose 1 also books dose 2 at the same venue and time of day, the interval later. */
  autoScheduleSecondDose: boolean;
  familyLimit: number;
  reminderDaysBefore: number;
  vaccines: Record<string, VaccineRule>;
}

export const defaultVaccines: Record<string, VaccineRule> = {
  pfizer: { nameJa: 'ファイザー(コミナティ)', nameEn: 'Pfizer/BioNTech (Comirnaty)', secondDoseMinDays: 21, minAgeYears: 12 },
  moderna: { nameJa: 'モデルナ(スパイクバックス)', nameEn: 'Moderna (Spikevax)', secondDoseMinDays: 28, minAgeYears: 12 },
  novavax: { nameJa: '武田社ワクチン(ノババックス)', nameEn: 'Novavax (Nuvaxovid)', secondDoseMinDays: 21, minAgeYears: 12 },
  'pfizer-pediatric': {
    nameJa: 'ファイザー(5~11歳用)',
    nameEn: 'Pfizer/BioNTech (ages 5–11)',
    secondDoseMinDays: 21,
    minAgeYears: 5,
    maxAgeYears: 11,
  },
};

export const defaultPolicy: CampaignPolicy = {
  fewLeftRatio: 0.2,
  fewLeftAbsolute: 3,
  primaryDoses: 2,
  boosterIntervalMonths: 6,
  maxDoses: 7,
  holdMinutes: 5,
  autoScheduleSecondDose: false,
  familyLimit: 6,
  reminderDaysBefore: 2,
  vaccines: defaultVaccines,
};

/**
 * The municipality's policy: its stored settings laid over the defaults. Stored vaccines are the
 * municipality's whole list (the settings editor saves all of them), so a product can be taken off.
 */
export function campaignPolicy(settings: Record<string, unknown> | null | undefined): CampaignPolicy {
  const overrides = (settings ?? {}) as Partial<CampaignPolicy>;
  return {
    ...defaultPolicy,
    ...overrides,
    vaccines: overrides.vaccines ?? defaultVaccines,
  };
}
