import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect } from 'wouter';
import { call, client } from '../../api/client';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';

/**
 * The start page is the municipality switcher: the municipalities one works for (every one for a
 * super-administrator), each a link to act there. Someone with one municipality goes straight in.
 */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const { state, signOutEverywhere } = useSession();
  const [busy, setBusy] = useState(false);
  const superAdmin = state.status === 'signed-in' && state.superAdmin;
  const all = useResource(
    () => (superAdmin ? call((signal) => client.GET('/api/v1/staff/municipalities', { signal })) : Promise.resolve([])),
    [superAdmin],
  );
  if (state.status !== 'signed-in') return null;
  const only = state.memberships.length === 1 && !superAdmin ? state.memberships[0] : undefined;
  if (only) return <Redirect to={`/m/${only.municipalityCode}`} replace />;
  const name = (m: { nameJa: string; nameEn: string }) => (i18n.language === 'ja' ? m.nameJa : m.nameEn);
  const places = superAdmin
    ? all.state === 'ready'
      ? all.data.map((m) => ({
          code: m.code,
          name: name(m),
          roles: state.memberships.find((x) => x.municipalityCode === m.code)?.roles ?? [],
        }))
      : []
    : state.memberships.map((m) => ({ code: m.municipalityCode, name: name(m), roles: m.roles }));

  return (
    <Page title={t('home.title')}>
      <p>{t('home.greeting', { name: state.account.displayName || state.account.email })}</p>
      {superAdmin && (
        <>
          <h2>{t('home.deploymentTitle')}</h2>
          <p>{t('home.superAdmin')}</p>
          <ul className="link-list">
            <li>
              <Link href="/municipalities">{t('nav.municipalities')}</Link>
            </li>
            <li>
              <Link href="/accounts">{t('nav.allAccounts')}</Link>
            </li>
            <li>
              <Link href="/audit">{t('nav.auditAll')}</Link>
            </li>
            <li>
              <Link href="/waiting-room">{t('nav.waitingRoomAll')}</Link>
            </li>
            <li>
              <Link href="/jobs">{t('nav.failedJobs')}</Link>
            </li>
          </ul>
        </>
      )}
      <h2>{t('home.chooseTitle')}</h2>
      {superAdmin && all.state === 'loading' && <Loading />}
      {superAdmin && all.state === 'failed' && <LoadError problem={all.problem} onRetry={all.retry} />}
      {places.length === 0 && (all.state === 'ready' || !superAdmin) ? (
        <p>{superAdmin ? t('home.noMunicipalitiesYet') : t('home.noMemberships')}</p>
      ) : (
        <ul className="link-list" aria-label={t('home.chooseTitle')}>
          {places.map((place) => (
            <li key={place.code}>
              <Link href={`/m/${place.code}`}>
                {place.name} <span className="context-code">({place.code})</span>
              </Link>
              {place.roles.length > 0 && (
                <span className="roles"> {place.roles.map((role) => t(`roles.${role}`)).join(t('common.listSeparator'))}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('home.yourAccount')}</h2>
      <p>{t('home.everywhereText')}</p>
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOutEverywhere().finally(() => setBusy(false));
        }}
      >
        {t('home.everywhere')}
      </button>
    </Page>
  );
}
