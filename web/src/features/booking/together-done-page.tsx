import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { api } from '../../api/client';
import type { Reservation } from '../../api/types';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { formatReservationNumber, useFormat } from '../../i18n/format';
import { useMunicipality } from '../../session/municipality';
import { useVenueWords } from './venue-texts';
import { useVenue } from './use-venue';

/** One confirmation for everyone booked together, with each person's own reservation number. */
export function TogetherDonePage() {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const format = useFormat(municipality.timeZone);
  const numbers = (new URLSearchParams(useSearch()).get('numbers') ?? '').split(',').filter(Boolean);
  const mine = useResource(() => api<Reservation[]>('GET', '/reservations'), [numbers.join(',')]);
  const booked = mine.state === 'ready' ? numbers.map((n) => mine.data.find((r) => r.number === n)).filter((r) => r !== undefined) : [];
  const first = booked[0];
  return (
    <Page title={t('together.doneTitle')}>
      {mine.state === 'loading' && <Loading />}
      {mine.state === 'failed' && <LoadError problem={mine.problem} onRetry={mine.retry} />}
      {first && (
        <>
          <VenueAndTime reservation={first} when={`${format.dayOf(first.slot.startsAt)} ${format.time(first.slot.startsAt)}`} />
          <p>{t('done.keepNumber')}</p>
          <ul className="cards">
            {booked.map((r) => (
              <li key={r.number} className="card">
                <p className="context">{t('together.personDose', { name: r.personName, dose: r.dose })}</p>
                <p className="panel-label">{t('reservation.number')}</p>
                <p className="reservation-number">{formatReservationNumber(r.number)}</p>
              </li>
            ))}
          </ul>
          <p>{t('done.bring')}</p>
          <Link className="button button-secondary" href="/reservations">
            {t('done.toMine')}
          </Link>
        </>
      )}
    </Page>
  );
}

function VenueAndTime({ reservation, when }: { reservation: Reservation; when: string }) {
  const venue = useVenue(reservation.venue.id);
  const words = useVenueWords();
  const name = venue.state === 'ready' ? words(venue.data).name : reservation.venue.nameEn;
  return <p className="lead">{`${when} · ${name}`}</p>;
}
