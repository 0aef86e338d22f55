import type { Settings } from '../../api/types';

/**
 * The settings as the form holds them: every number as the text typed, so that what the person
 * wrote reaches the server as it is and the server's rules (the one place they live) say what is
 * wrong with it, field by field.
 */
export interface VaccineDraft {
  key: number;
  code: string;
  nameJa: string;
  nameEn: string;
  secondDoseMinDays: string;
  minAgeYears: string;
  maxAgeYears: string;
}

export interface WaveDraft {
  key: number;
  id: string;
  opensAt: string;
  youngest: string;
  oldest: string;
  birthDayDigits: string;
  share: string;
}

export const NUMBER_FIELDS = [
  'fewLeftRatio',
  'fewLeftAbsolute',
  'primaryDoses',
  'boosterIntervalMonths',
  'maxDoses',
  'holdMinutes',
  'familyLimit',
  'reminderDaysBefore',
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];

export interface SettingsDraft {
  numbers: Record<NumberField, string>;
  autoScheduleSecondDose: boolean;
  vaccines: VaccineDraft[];
  waves: WaveDraft[];
}

let nextKey = 1;
export const newKey = () => nextKey++;

export function draftOf(settings: Settings): SettingsDraft {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((field) => [field, String(settings[field])])) as Record<NumberField, string>;
  return {
    numbers,
    autoScheduleSecondDose: settings.autoScheduleSecondDose,
    vaccines: Object.entries(settings.vaccines).map(([code, rule]) => ({
      key: newKey(),
      code,
      nameJa: rule.nameJa,
      nameEn: rule.nameEn,
      secondDoseMinDays: String(rule.secondDoseMinDays),
      minAgeYears: String(rule.minAgeYears),
      maxAgeYears: rule.maxAgeYears === undefined ? '' : String(rule.maxAgeYears),
    })),
    waves: settings.waitingRoom.waves.map((wave) => ({
      key: newKey(),
      id: wave.id,
      opensAt: wave.opensAt,
      youngest: wave.ages ? String(wave.ages[0]) : '',
      oldest: wave.ages ? String(wave.ages[1]) : '',
      birthDayDigits: wave.birthDayDigits?.join(',') ?? '',
      share: wave.share === undefined ? '' : String(wave.share),
    })),
  };
}

/** A number where the text is one; the text itself otherwise (the server names it as not a number). */
function numberOr(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  const value = trimmed === '' ? NaN : Number(trimmed);
  return (Number.isFinite(value) ? value : trimmed) as number;
}

function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : numberOr(text);
}

export function settingsOf(draft: SettingsDraft): Settings {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((field) => [field, numberOr(draft.numbers[field])])) as Record<NumberField, number>;
  return {
    ...numbers,
    autoScheduleSecondDose: draft.autoScheduleSecondDose,
    vaccines: Object.fromEntries(
      draft.vaccines.map((v) => {
        const maxAgeYears = optionalNumber(v.maxAgeYears);
        return [
          v.code.trim(),
          {
            nameJa: v.nameJa.trim(),
            nameEn: v.nameEn.trim(),
            secondDoseMinDays: numberOr(v.secondDoseMinDays),
            minAgeYears: numberOr(v.minAgeYears),
            ...(maxAgeYears === undefined ? {} : { maxAgeYears }),
          },
        ];
      }),
    ),
    waitingRoom: {
      waves: draft.waves.map((w) => {
        const share = optionalNumber(w.share);
        const digits = w.birthDayDigits.trim();
        const hasAges = w.youngest.trim() !== '' || w.oldest.trim() !== '';
        return {
          id: w.id.trim(),
          opensAt: w.opensAt.trim(),
          ...(hasAges ? { ages: [numberOr(w.youngest), numberOr(w.oldest)] } : {}),
          ...(digits
            ? {
                birthDayDigits: digits
                  .split(/[\s,、]+/)
                  .filter(Boolean)
                  .map(numberOr),
              }
            : {}),
          ...(share === undefined ? {} : { share }),
        };
      }),
    },
  };
}
