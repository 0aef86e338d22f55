import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { Page } from '../../components/page';
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
    <Page title={t('start.title')} caption={localName(municipality)}>
      <p className="lead">{t('start.intro', { municipality: localName(municipality) })}</p>
      <h2>{t('start.needTitle')}</h2>
      <ul className="list">
        <li>{t('start.needVoucher')}</li>
        <li>{t('start.needPhone')}</li>
      </ul>
      {queued && <p className="notice">{t('start.queueOn')}</p>}
      {queued ? (
        <a className="button button-start" href={`/waiting-room/?m=${municipality.code}&lang=${i18n.language}`}>
          {t('start.begin')}
        </a>
      ) : (
        <Link className="button button-start" href="/sign-in">
          {t('start.begin')}
        </Link>
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
