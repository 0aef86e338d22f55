import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { CallerMatches } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { problemMessage, problemToErrors } from '../../components/problem';

const FIELDS = ['kana', 'birthDate', 'voucherNumber', 'reservationNumber', 'phone'] as const;
type Field = (typeof FIELDS)[number];
type Query = Record<Field, string>;
const EMPTY: Query = { kana: '', birthDate: '', voucherNumber: '', reservationNumber: '', phone: '' };

/**
 * Finding the caller: kana + birth date (as the caller says it) + voucher, or a reservation
 * number, or a phone number. The kana field has the focus when the screen opens; the results are
 * a list of buttons the arrow keys move through, Enter opening one.
 */
export function CallerSearch({
  code,
  formats,
  onPick,
}: {
  code: string;
  formats: { birthDate: (date: string) => string };
  onPick: (residentId: number) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<Query>(EMPTY);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<CallerMatches | undefined>();
  const results = useRef<HTMLUListElement>(null);

  // After the page's own focus on its heading (a parent's effect runs after ours): the operator types at once.
  useEffect(() => {
    const timer = setTimeout(() => document.getElementById(fieldId('kana'))?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  useEffect(() => {
    if (found && found.results.length > 0) results.current?.querySelector('button')?.focus();
  }, [found]);

  const label = (field: string) => ((FIELDS as readonly string[]).includes(field) ? t(`callCentre.search.${field}`) : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const given = Object.fromEntries(Object.entries(query).filter(([, value]) => value.trim() !== ''));
      setFound(
        await call((signal) =>
          client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/callers', {
            params: { path: { municipalityCode: code }, query: given },
            signal,
          }),
        ),
      );
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const fields = problemToErrors(t, problem, label);
      setErrors(Object.keys(fields).length > 0 ? fields : { [FORM]: problemMessage(t, problem) });
      setFound(undefined);
    } finally {
      setBusy(false);
    }
  }

  function move(event: KeyboardEvent<HTMLUListElement>) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(results.current?.querySelectorAll('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[Math.min(Math.max(at + (event.key === 'ArrowDown' ? 1 : -1), 0), buttons.length - 1)];
    next?.focus();
    event.preventDefault();
  }

  const field = (name: Field, width: 'narrow' | 'medium' | 'full', extra: { hint?: string; inputMode?: 'numeric' | 'tel' } = {}) => (
    <TextField
      id={fieldId(name)}
      label={t(`callCentre.search.${name}`)}
      hint={extra.hint}
      inputMode={extra.inputMode}
      width={width}
      value={query[name]}
      error={errors[fieldId(name)]}
      autoComplete="off"
      onChange={(value) => setQuery((q) => ({ ...q, [name]: value }))}
    />
  );

  return (
    <section aria-labelledby="search-title">
      <h2 id="search-title">{t('callCentre.search.title')}</h2>
      <form onSubmit={submit} noValidate className="call-search">
        <ErrorSummary errors={errors} />
        <fieldset className="plain">
          <legend className="label">{t('callCentre.search.byPerson')}</legend>
          {field('kana', 'medium', { hint: t('callCentre.search.kanaHint') })}
          {field('birthDate', 'medium', { hint: t('callCentre.search.birthDateHint') })}
          {field('voucherNumber', 'medium', { inputMode: 'numeric' })}
        </fieldset>
        <fieldset className="plain">
          <legend className="label">{t('callCentre.search.orBy')}</legend>
          {field('reservationNumber', 'medium', { hint: t('callCentre.search.reservationNumberHint') })}
          {field('phone', 'medium', { inputMode: 'tel' })}
        </fieldset>
        <SubmitButton busy={busy}>{t('callCentre.search.submit')}</SubmitButton>
      </form>
      {found && (
        <div aria-live="polite">
          <h3 id="results-title">{t('callCentre.search.results', { count: found.results.length })}</h3>
          {found.more && <p className="notice notice-warning">{t('callCentre.search.more')}</p>}
          {found.results.length > 0 && (
            <>
              <p className="hint" id="results-hint">
                {t('callCentre.search.resultsHint')}
              </p>
              <ul className="call-results" ref={results} onKeyDown={move} aria-labelledby="results-title" aria-describedby="results-hint">
                {found.results.map((match) => (
                  <li key={match.residentId}>
                    <button type="button" className="call-result" onClick={() => onPick(match.residentId)}>
                      <span className="call-result-kana">{match.nameKana}</span>
                      <span>{formats.birthDate(match.birthDate)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
