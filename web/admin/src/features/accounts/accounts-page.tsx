import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { call, client } from '../../api/client';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';
import { formatInstant } from './format';

export function AccountsPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { may } = useSession();
  const members = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/accounts', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
  return (
    <Page title={t('accounts.title')}>
      {may(code, 'accounts.manage') && (
        <Link href={`/m/${code}/accounts/invite`} className="button">
          {t('accounts.invite')}
        </Link>
      )}
      {members.state === 'loading' && <Loading />}
      {members.state === 'failed' && <LoadError problem={members.problem} onRetry={members.retry} />}
      {members.state === 'ready' && (
        <div className="table-wrap" role="region" aria-labelledby="accounts-caption" tabIndex={0}>
          <table className="table">
            <caption id="accounts-caption">{t('accounts.caption', { count: members.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.name')}</th>
                <th scope="col">{t('accounts.email')}</th>
                <th scope="col">{t('accounts.roles')}</th>
                <th scope="col">{t('accounts.status')}</th>
                <th scope="col">{t('accounts.lastSignIn')}</th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => (
                <tr key={member.id}>
                  <td>
                    <Link href={`/m/${code}/accounts/${member.id}`}>{member.displayName || member.email}</Link>
                  </td>
                  <td className="break">{member.email}</td>
                  <td>{member.roles.map((role) => t(`roles.${role}`)).join(t('common.listSeparator'))}</td>
                  <td>
                    <span className={`status status-${member.status}`}>{t(`accounts.statuses.${member.status}`)}</span>
                  </td>
                  <td>{member.lastSignInAt ? formatInstant(member.lastSignInAt, i18n.language) : t('common.never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
