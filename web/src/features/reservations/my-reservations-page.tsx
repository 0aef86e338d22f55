import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Me, Person, Reservation } from '../../api/types';
import { Page } from '../../components/page';
import { problemMessage } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useFormat } from '../../i18n/format';
import { useMunicipality } from '../../session/municipality';
import { useSession } from '../../session/session';
import { ReservationFacts } from './reservation-card';
import { forgetBooking } from '../booking/booking-params';

/**
 * The signed-in home: for the account holder and each family member, the doses they had, their
 * active bookings (change, cancel) and the next dose they can book.
 */
export function MyReservationsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const search = new URLSearchParams(useSearch());
  const reservations = useResource(() => api<Reservation[]>('GET', '/reservations'), [me]);
  const notice = search.get('notice');
  // Back on their bookings page, a new booking is meant again (booking-params.ts).
  forgetBooking();

  return (
    <Page title={t('mine.title')}>
      {notice && (
        <p className="notice notice-success" role="status">
          {t(`mine.notices.${notice}`, { defaultValue: '' })}
        </p>
      )}
      {reservations.state === 'loading' && <Loading />}
      {reservations.state === 'failed' && <LoadError problem={reservations.problem} onRetry={reservations.retry} />}
      {reservations.state === 'ready' &&
        [me.account, ...me.family].map((person) => (
          <PersonSection key={person.id} person={person} reservations={reservations.data.filter((r) => r.residentId === person.id)} />
        ))}
      {[me.account, ...me.family].filter((p) => p.nextDose).length >= 2 && (
        <>
          <h2>{t('together.title')}</h2>
          <p>{t('together.offer')}</p>
          <Link className="button button-secondary together-link" href="/book/together">
            {t('together.start')}
          </Link>
        </>
      )}
      <h2>{t('mine.familyTitle')}</h2>
      <p>{t('mine.familyText')}</p>
      <Link className="button button-secondary" href="/family/add">
        {t('mine.addFamily')}
      </Link>
      <h2>{t('mine.messagesTitle')}</h2>
      <p>{t('mine.messagesText')}</p>
      <Link className="button button-secondary" href="/messages">
        {t('mine.messagesLink')}
      </Link>
      <SignOutEverywhere />
    </Page>
  );
}

function PersonSection({ person, reservations }: { person: Person; reservations: Reservation[] }) {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const format = useFormat(municipality.timeZone);
  const active = reservations.filter((r) => r.status === 'booked');
  const past = reservations.filter((r) => r.status !== 'booked');
  const headingId = `person-${person.id}`;
  return (
    <section className="person" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {person.nameKanji}
        {person.relation === 'family' && <span className="tag">{t('mine.family')}</span>}
      </h2>
      {person.doses.length > 0 && (
        <p className="doses">
          {t('mine.received')}{' '}
          {person.doses.map((d) => t('mine.receivedDose', { dose: d.dose, date: format.date(d.date) })).join(t('mine.separator'))}
        </p>
      )}
      {active.map((reservation) => (
        <div key={reservation.number} className="card">
          <ReservationFacts reservation={reservation} />
          <div className="actions">
            <Link className="button button-secondary" href={`/book?for=${person.id}&change=${reservation.number}`}>
              {t('mine.change')}
              <WhichBooking name={person.nameKanji} dose={reservation.dose} />
            </Link>
            <Link className="button button-warning" href={`/reservations/${reservation.number}/cancel`}>
              {t('mine.cancel')}
              <WhichBooking name={person.nameKanji} dose={reservation.dose} />
            </Link>
            <Link href={`/reservations/${reservation.number}`}>
              {t('mine.details')}
              <WhichBooking name={person.nameKanji} dose={reservation.dose} />
            </Link>
          </div>
        </div>
      ))}
      {person.nextDose ? (
        <div className="next-dose">
          <p>
            {t('mine.nextDose', { dose: person.nextDose.dose })}
            {person.nextDose.earliestDate && ` ${t('mine.nextDoseFrom', { date: format.date(person.nextDose.earliestDate) })}`}
          </p>
          <Link className="button" href={`/book?for=${person.id}`}>
            {t('mine.book', { dose: person.nextDose.dose })}
            <span className="visually-hidden"> ({t('mine.forPerson', { name: person.nameKanji })})</span>
          </Link>
        </div>
      ) : (
        <p>{t('mine.nothingToBook')}</p>
      )}
      {past.length > 0 && (
        <details className="details">
          <summary>{t('mine.history', { count: past.length })}</summary>
          {past.map((reservation) => (
            <ReservationFacts key={reservation.number} reservation={reservation} />
          ))}
        </details>
      )}
    </section>
  );
}

/** For a shared or lost device: ends every session of the account, this one too. */
function SignOutEverywhere() {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function signOut() {
    setBusy(true);
    setFailure(undefined);
    try {
      await session.signOutEverywhere();
    } catch (error) {
      setFailure(problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)));
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">{t('mine.devicesTitle')}</h2>
      <p>{t('mine.devicesText')}</p>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => void signOut()}>
        {busy ? t('common.sending') : t('mine.signOutEverywhere')}
      </button>
    </section>
  );
}

/** For screen readers: whose booking, and which dose, a repeated button is about. */
function WhichBooking({ name, dose }: { name: string; dose: number }) {
  const { t } = useTranslation();
  return <span className="visually-hidden"> ({t('mine.whichBooking', { name, dose })})</span>;
}
