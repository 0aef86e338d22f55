import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem } from '../../api/client';
import type { Reservation } from '../../api/types';
import { BirthDateField, emptyBirthDate, readBirthDate } from '../../components/birth-date-field';
import { ErrorSummary, SubmitButton, TextField, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemToErrors } from '../../components/problem-message';
import { ReservationFacts } from './reservation-card';

/** Check a booking with its number and the birth date, without signing in (read-only). */
export function LookupPage() {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [birth, setBirth] = useState(emptyBirthDate);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<Reservation>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = number
      .normalize('NFKC')
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '');
    const problems: FormErrors = {};
    if (cleaned.length !== 8) problems.number = t('lookup.numberError');
    const birthDate = readBirthDate(t, birth);
    if (birthDate.error) problems.birth = birthDate.error;
    setErrors(problems);
    setFound(undefined);
    if (Object.keys(problems).length > 0 || !birthDate.date) return;
    setBusy(true);
    try {
      setFound(await api<Reservation>('POST', '/reservations/lookup', { reservationNumber: cleaned, birthDate: birthDate.date }));
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors(problemToErrors(t, problem, { reservationNumber: { id: 'number', message: t('lookup.numberError') } }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('lookup.title')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/" />
      <ErrorSummary errors={errors} />
      <p>{t('lookup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <TextField
          id="number"
          label={t('reservation.number')}
          hint={t('lookup.numberHint')}
          error={errors.number}
          value={number}
          onChange={setNumber}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          width="medium"
          className="input-digits"
        />
        <BirthDateField id="birth" value={birth} onChange={setBirth} error={errors.birth} legend={t('lookup.birthLegend')} />
        <SubmitButton busy={busy}>{t('lookup.submit')}</SubmitButton>
      </form>
      {found && (
        <section aria-live="polite">
          <h2>{t('lookup.resultTitle')}</h2>
          <ReservationFacts reservation={found} />
          <p className="hint">{t('lookup.signInToChange')}</p>
        </section>
      )}
    </Page>
  );
}
