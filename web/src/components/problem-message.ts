import type { TFunction } from 'i18next';
import type { ApiProblem } from '../api/client';

let callCentrePhone: string | null = null;

/** The municipality's call-centre number, told with every limit (set when its site opens). */
export function setCallCentrePhone(phone: string | null): void {
  callCentrePhone = phone;
}

/** Limits that stop a person for a while: they are told what happened, when to try again, and whom to call. */
const LIMITS = new Set(['too-many-attempts', 'rate-limited', 'resend-too-soon']);

/** The user's-language message for a problem: ours for network trouble, else the server's code. */
export function problemMessage(t: TFunction, problem: ApiProblem): string {
  if (problem.code === 'network') return t('errors.network');
  if (problem.code === 'timeout') return t('errors.timeout');
  const retryAfter = problem.details.retryAfterSeconds;
  const parts = [t(`problems:${problem.code}`, { defaultValue: t('problems:internal') })];
  if (typeof retryAfter === 'number') parts.push(t('errors.retryAfter', { minutes: Math.max(1, Math.ceil(retryAfter / 60)) }));
  if (LIMITS.has(problem.code) && callCentrePhone) parts.push(t('errors.callCentre', { phone: callCentrePhone }));
  return parts.join(' ');
}

/**
 * Turns a refused submission into form errors: validation problems go beside the fields they
 * concern (with our own "what to do" message for each), everything else to the top of the form.
 */
export function problemToErrors(
  t: TFunction,
  problem: ApiProblem,
  fields: Record<string, { id: string; message: string }>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const error of problem.fields) {
    const field = fields[error.field.split('.')[0] ?? ''];
    if (field) errors[field.id] = field.message;
  }
  if (Object.keys(errors).length === 0) errors._form = problemMessage(t, problem);
  return errors;
}
