import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Page } from '../../components/page';
import { Text } from '../../i18n/text';
import { useResource } from '../../components/use-resource';
import { useLocalName, useMunicipality } from '../../session/municipality';

/** Whether booking goes through the waiting room now (a missing room means no). */
async function waitingRoomActive(): Promise<boolean> {
  try {
    const response = await fetch('/api/v1/waiting-room/state', { headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    return Boolean(((await response.json()) as { active?: boolean }).active);
  } catch {
    return false;
  }
}

/** Where the QR code on the letter leads: who runs this, what you need, and the way in. */
export function StartPage() {
  const { t, i18n } = useTranslation();
  const municipality = useMunicipality();
  const localName = useLocalName();
  const room = useResource(waitingRoomActive, []);
  const queued = room.state === 'ready' && room.data;

  return (
    <Page title={t('start.title')} heading={<Text k="start.title" />}>
      <p className="lead">
        <Text k="start.intro" values={{ municipality: localName(municipality) }} />
      </p>
      {queued && (
        <div className="notice">
          <p>{t('start.queueOn')}</p>
          <p>{t('start.queueNotForChecking')}</p>
        </div>
      )}
      {queued ? (
        <a className="button button-start" href={`/waiting-room/?m=${municipality.code}&lang=${i18n.language}`}>
          {t('start.begin')}
        </a>
      ) : (
        <Link className="button button-start" href="/sign-in">
          {t('start.begin')}
        </Link>
      )}
      <h2>{t('start.needTitle')}</h2>
      <ul className="list">
        <li>
          <Text k="start.needVoucher" />
        </li>
        <li>
          <Text k="start.needPhone" />
        </li>
      </ul>
      {municipality.callCentrePhone && (
        <p>
          {t('start.noPhone')} <a href={`tel:${municipality.callCentrePhone.replace(/[^\d+]/g, '')}`}>{municipality.callCentrePhone}</a>
        </p>
      )}
      <h2>{t('start.alreadyTitle')}</h2>
      <p className="link-row">
        <Link href="/reservations">{t('start.myReservations')}</Link>
      </p>
      <p className="link-row">
        <Link href="/lookup">{t('start.lookup')}</Link>
      </p>
    </Page>
  );
}
