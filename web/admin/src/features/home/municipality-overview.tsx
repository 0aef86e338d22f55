import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { call, client } from '../../api/client';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';

/** A municipality's front page: its facts and the sections one's roles open there. */
export function MunicipalityOverview({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { may, membership, state } = useSession();
  const record = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  if (record.state === 'loading') return <Loading />;
  if (record.state === 'failed') return <LoadError problem={record.problem} onRetry={record.retry} />;
  const m = record.data;
  const roles = membership(code)?.roles ?? [];
  const sections = [
    { action: 'check-in.view', href: `/m/${code}/check-in`, label: t('nav.checkIn') },
    { action: 'municipality.update', href: `/m/${code}/details`, label: t('overview.details') },
    { action: 'accounts.list', href: `/m/${code}/accounts`, label: t('nav.accounts') },
    { action: 'settings.view', href: `/m/${code}/settings`, label: t('nav.settings') },
    { action: 'audit.search', href: `/m/${code}/audit`, label: t('nav.audit') },
    { action: 'schedule.manage', href: `/m/${code}/venues`, label: t('nav.schedule') },
    { action: 'waiting-room.view', href: `/m/${code}/waiting-room`, label: t('nav.waitingRoom') },
    { action: 'call-centre.search', href: `/m/${code}/call-centre`, label: t('nav.callCentre') },
    { action: 'dashboard.view', href: `/m/${code}/dashboard`, label: t('nav.dashboard') },
    { action: 'residents.import', href: `/m/${code}/import`, label: t('nav.import') },
    { action: 'reports.lists', href: `/m/${code}/lists`, label: t('nav.lists') },
    { action: 'reports.view', href: `/m/${code}/crosstab`, label: t('nav.crosstab') },
  ] as const;
  return (
    <Page title={i18n.language === 'ja' ? m.nameJa : m.nameEn}>
      <dl className="facts">
        <dt>{t('municipality.code')}</dt>
        <dd>{m.code}</dd>
        <dt>{t('municipality.timeZone')}</dt>
        <dd>{m.timeZone}</dd>
        <dt>{t('municipality.phone')}</dt>
        <dd>{m.callCentrePhone ?? t('common.none')}</dd>
        <dt>{t('overview.yourRoles')}</dt>
        <dd>
          {state.status === 'signed-in' && state.superAdmin
            ? t('roles.superAdmin')
            : roles.map((role) => t(`roles.${role}`)).join(t('common.listSeparator'))}
        </dd>
      </dl>
      <ul className="link-list">
        {sections
          .filter((section) => may(code, section.action))
          .map((section) => (
            <li key={section.href}>
              <Link href={section.href}>{section.label}</Link>
            </li>
          ))}
      </ul>
    </Page>
  );
}
