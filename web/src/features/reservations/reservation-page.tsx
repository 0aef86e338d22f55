import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { buildIcs } from '../../../../shared/ics';
import { api, ApiProblem } from '../../api/client';
import type { Me, Reservation } from '../../api/types';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { formatReservationNumber } from '../../i18n/format';
import { useLocalName } from '../../session/municipality';
import { ReservationFacts } from './reservation-card';

/** Done (after booking or changing) or the details of one reservation: the number large, what next. */
export function ReservationPage({ me, number }: { me: Me; number: string }) {
  const { t } = useTranslation();
  const search = new URLSearchParams(useSearch());
  const done = search.get('done');
  const reservations = useResource(() => api<Reservation[]>('GET', '/reservations'), [me, number]);
  const reservation = reservations.state === 'ready' ? reservations.data.find((r) => r.number === number) : undefined;
  const followUp = reservations.state === 'ready' ? reservations.data.find((r) => r.number === search.get('followUp')) : undefined;
  const title = done === 'booked' ? t('done.titleBooked') : done === 'changed' ? t('done.titleChanged') : t('reservation.title');

  return (
    <Page title={title}>
      {reservations.state === 'loading' && <Loading />}
      {reservations.state === 'failed' && <LoadError problem={reservations.problem} onRetry={reservations.retry} />}
      {reservations.state === 'ready' && !reservation && (
        <LoadError problem={new ApiProblem('reservation-not-found', 404)} onRetry={reservations.retry} />
      )}
      {reservation && (
        <>
          <div className={done ? 'panel panel-success' : 'panel'}>
            <p className="panel-label">{t('reservation.number')}</p>
            <p className="reservation-number">{formatReservationNumber(reservation.number)}</p>
            <p className="panel-note">{t('done.keepNumber')}</p>
          </div>
          <ReservationFacts reservation={reservation} />
          {reservation.status === 'booked' && <CalendarLink reservation={reservation} />}
          {followUp && (
            <>
              <h2>{t('done.followUpTitle')}</h2>
              <p>{t('done.followUpText')}</p>
              <ReservationFacts reservation={followUp} />
            </>
          )}
          <h2>{t('done.nextTitle')}</h2>
          <ul className="list">
            <li>{t('done.bring')}</li>
            <li>{t('done.remember')}</li>
            <li>{t('done.changeLater')}</li>
          </ul>
        </>
      )}
      <p>
        <Link className="button button-secondary" href="/reservations">
          {t('done.toMine')}
        </Link>
      </p>
    </Page>
  );
}

/** "Add to calendar": a one-event .ics file made in the browser, in the person's language. */
function CalendarLink({ reservation }: { reservation: Reservation }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const href = useMemo(() => {
    const ics = buildIcs({
      uid: `${reservation.number}@yoyaku`,
      start: new Date(reservation.slot.startsAt),
      durationMinutes: reservation.slot.durationMinutes,
      summary: t('done.calendarSummary', { dose: reservation.dose, venue: localName(reservation.venue) }),
      location: reservation.venue.address,
      description: `${t('reservation.number')}: ${formatReservationNumber(reservation.number)}\n${localName(reservation.vaccine)}`,
      stamp: new Date(),
    });
    return `data:text/calendar;charset=utf-8,${encodeURIComponent(ics)}`;
  }, [reservation, t, localName]);
  return (
    <p>
      <a className="button button-secondary" href={href} download={`vaccination-${reservation.number}.ics`}>
        {t('done.addToCalendar')}
      </a>
    </p>
  );
}
