import { useTranslation } from 'react-i18next';
import { Link, Redirect } from 'wouter';
import { api } from '../../api/client';
import type { Me, Venue } from '../../api/types';
import { BackLink, Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useLocalName, useMunicipality } from '../../session/municipality';
import { bookingQuery, useBookingMade, useBookingParams } from './booking-params';
import { PersonBanner } from './person-banner';
import { useVenueWords } from './venue-texts';
import { journeyStep } from '../journey-step';

/** Choose a venue. Each venue gives one vaccine; dose 2 must be the vaccine of dose 1. */
export function VenuesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const localName = useLocalName();
  const params = useBookingParams(me);
  const made = useBookingMade(params);
  const venues = useResource(() => api<Venue[]>('GET', `/municipalities/${municipality.code}/venues`), [municipality.code]);
  const required = params.window?.requiredVaccine;

  if (made) return <Redirect to={`/reservations/${made}`} replace />;
  return (
    <Page title={t('booking.venuesTitle')} caption={journeyStep(t, 'venue')}>
      <BackLink href="/reservations" />
      <PersonBanner params={params} />
      {venues.state === 'loading' && <Loading />}
      {venues.state === 'failed' && <LoadError problem={venues.problem} onRetry={venues.retry} />}
      {venues.state === 'ready' && (
        <VenueList
          venues={venues.data.filter((v) => !required || v.vaccine.code === required)}
          query={bookingQuery(params)}
          localName={localName}
        />
      )}
      {required && venues.state === 'ready' && (
        <p className="hint">
          {t('booking.onlyRequiredVaccine', {
            vaccine: localName(venues.data.find((v) => v.vaccine.code === required)?.vaccine ?? { nameJa: required, nameEn: required }),
          })}
        </p>
      )}
    </Page>
  );
}

function VenueList({
  venues,
  query,
  localName,
}: {
  venues: Venue[];
  query: string;
  localName: (n: { nameJa: string; nameEn: string }) => string;
}) {
  const { t, i18n } = useTranslation();
  const wordsOf = useVenueWords();
  /** `lang` only where a fallback put another language's words on this page. */
  const langIf = (lang: string) => (lang === i18n.language ? undefined : lang);
  if (venues.length === 0) return <p className="notice">{t('booking.noVenues')}</p>;
  return (
    <ul className="cards">
      {venues.map((venue) => {
        const words = wordsOf(venue);
        return (
          <li key={venue.id} className="card">
            <h2 className="card-title" lang={langIf(words.lang.name)}>
              {words.name}
            </h2>
            <dl className="facts">
              <dt>{t('booking.vaccine')}</dt>
              <dd>{localName(venue.vaccine)}</dd>
              <dt>{t('booking.address')}</dt>
              <dd lang={langIf(words.lang.address)}>{words.address}</dd>
              {words.accessNotes && (
                <>
                  <dt>{t('booking.access')}</dt>
                  <dd lang={langIf(words.lang.accessNotes)}>{words.accessNotes}</dd>
                </>
              )}
            </dl>
            {venue.mapUrl && (
              <p className="map-link">
                <a href={venue.mapUrl} target="_blank" rel="noopener noreferrer">
                  {t('booking.map')}
                  <span className="visually-hidden"> ({t('common.newWindow')})</span>
                </a>
              </p>
            )}
            <Link className="button" href={`/book/${venue.id}${query}`} aria-label={t('booking.chooseVenueLabel', { venue: words.name })}>
              {t('booking.chooseVenue')}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
