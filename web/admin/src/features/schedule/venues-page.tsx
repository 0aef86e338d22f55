import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { call, client } from '../../api/client';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';

/** The municipality's venues, each with links to its details, its schedule and its days. */
export function VenuesPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const venues = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  return (
    <Page title={t('schedule.venuesTitle')}>
      <Link href={`/m/${code}/venues/new`} className="button">
        {t('schedule.addVenue')}
      </Link>
      {venues.state === 'loading' && <Loading />}
      {venues.state === 'failed' && <LoadError problem={venues.problem} onRetry={venues.retry} />}
      {venues.state === 'ready' && (
        <div className="table-wrap" role="region" aria-labelledby="venues-caption" tabIndex={0}>
          <table className="table">
            <caption id="venues-caption">{t('schedule.venuesCaption', { count: venues.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('schedule.venueName')}</th>
                <th scope="col">{t('schedule.address')}</th>
                <th scope="col">{t('schedule.vaccine')}</th>
                <th scope="col">{t('schedule.overbooking')}</th>
                <th scope="col">{t('schedule.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {venues.data.map((venue) => {
                const name = i18n.language === 'ja' ? venue.nameJa : venue.nameEn;
                return (
                  <tr key={venue.id}>
                    <td>
                      <Link href={`/m/${code}/venues/${venue.id}`}>{name}</Link>
                    </td>
                    <td className="break">{venue.address}</td>
                    <td>{venue.vaccine}</td>
                    <td>{t('schedule.percent', { value: venue.overbookingPercent })}</td>
                    <td>
                      <div className="row-actions">
                        <Link href={`/m/${code}/venues/${venue.id}/template`} aria-label={t('schedule.makeScheduleFor', { name })}>
                          {t('schedule.makeSchedule')}
                        </Link>
                        <Link href={`/m/${code}/venues/${venue.id}/day`} aria-label={t('schedule.daysOf', { name })}>
                          {t('schedule.days')}
                        </Link>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
