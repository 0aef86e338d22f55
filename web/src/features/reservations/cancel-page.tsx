import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Reservation } from '../../api/types';
import { ErrorSummary, FORM, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemMessage } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { ReservationFacts } from './reservation-card';

/** Cancelling asks once more, showing exactly what will be cancelled. */
export function CancelPage({ number }: { number: string }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const session = useSession();
  const reservations = useResource(() => api<Reservation[]>('GET', '/reservations'), [number]);
  const reservation =
    reservations.state === 'ready' ? reservations.data.find((r) => r.number === number && r.status === 'booked') : undefined;
  // Later doses rest on this one (the server cancels them with it): say so before, not after.
  const later =
    reservations.state === 'ready' && reservation
      ? reservations.data.filter((r) => r.residentId === reservation.residentId && r.status === 'booked' && r.dose > reservation.dose)
      : [];
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function cancel() {
    setBusy(true);
    setErrors({});
    try {
      await api<Reservation>('POST', `/reservations/${number}/cancel`);
      await session.reload();
      navigate('/reservations?notice=cancelled');
    } catch (error) {
      setErrors({ [FORM]: problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('cancel.title')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href="/reservations" />
      <ErrorSummary errors={errors} />
      {reservations.state === 'loading' && <Loading />}
      {reservations.state === 'failed' && <LoadError problem={reservations.problem} onRetry={reservations.retry} />}
      {reservations.state === 'ready' && !reservation && <p className="notice">{t('problems:reservation-not-active')}</p>}
      {reservation && (
        <>
          <ReservationFacts reservation={reservation} />
          <p className="warning-text">{t('cancel.warning')}</p>
          {later.map((r) => (
            <div key={r.number}>
              <p className="warning-text">{t('cancel.alsoCancelled', { dose: r.dose })}</p>
              <ReservationFacts reservation={r} />
            </div>
          ))}
          <div className="actions">
            <button type="button" className="button button-warning" disabled={busy} onClick={() => void cancel()}>
              {busy
                ? t('common.sending')
                : later.length > 0
                  ? t('cancel.confirmWithLater', { count: later.length + 1 })
                  : t('cancel.confirm')}
            </button>
            <Link href="/reservations">{t('cancel.keep')}</Link>
          </div>
        </>
      )}
    </Page>
  );
}
