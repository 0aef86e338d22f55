import type { TFunction } from 'i18next';
import type { ApiProblem } from '../api/client';
import { FORM, fieldId, type FormErrors } from './form';

/**
 * The message for a problem in the reader's language: the staff app's own wording where the
 * residents' would be wrong for staff (`staffProblems.*`), else the server's title for the code.
 */
/** Between a field's label and the server's message in the error summary. */
const LABEL_SEPARATOR = ': ';

export function problemMessage(t: TFunction, problem: ApiProblem): string {
  if (problem.code === 'network') return t('errors.network');
  if (problem.code === 'timeout') return t('errors.timeout');
  const own = t(`staffProblems.${problem.code}`, { defaultValue: '' });
  const base = own || t(`problems:${problem.code}`, { defaultValue: t('problems:internal') });
  const retryAfter = problem.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') return `${base} ${t('errors.retryAfter', { minutes: Math.max(1, Math.ceil(retryAfter / 60)) })}`;
  return base;
}

/**
 * A refused submission as form errors: each field error beside its field, with the server's
 * translated message (it names the bound: "Must be 60 or less."), prefixed by the field's label so
 * the summary at the top says which field; anything else goes to the top of the form.
 * `labelOf` maps a field path of the API to its label (and the path of the input that shows it, when
 * another), or undefined when the form has no such field.
 */
export function problemToErrors(
  t: TFunction,
  problem: ApiProblem,
  labelOf: (path: string) => string | { label: string; path: string } | undefined,
): FormErrors {
  const errors: FormErrors = {};
  for (const error of problem.fields) {
    const found = labelOf(error.field);
    if (found === undefined) continue;
    // A field may stand for several paths of the API (each age of a pair): `path` names the input.
    const { label, path } = typeof found === 'string' ? { label: found, path: error.field } : found;
    const message = error.message ?? t('errors.invalidField');
    errors[fieldId(path)] ??= `${label}${LABEL_SEPARATOR}${message}`;
  }
  if (Object.keys(errors).length === 0) errors[FORM] = problemMessage(t, problem);
  return errors;
}

/** The message beside a field: the summary's entry without the label (the field shows its label). */
export function fieldMessage(errors: FormErrors, path: string): string | undefined {
  const message = errors[fieldId(path)];
  if (message === undefined) return undefined;
  const colon = message.indexOf(LABEL_SEPARATOR);
  return colon < 0 ? message : message.slice(colon + LABEL_SEPARATOR.length);
}
