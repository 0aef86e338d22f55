import type { TFunction } from 'i18next';

/**
 * One counter for the whole journey, sign-in and booking together: a resident sees "step 5 of
 * 7", never a second "step 1" half-way through.
 */
const STEPS = ['voucher', 'phone', 'code', 'venue', 'date', 'time', 'confirm'] as const;

export function journeyStep(t: TFunction, step: (typeof STEPS)[number]): string {
  return t('journey.step', { step: STEPS.indexOf(step) + 1, of: STEPS.length });
}
