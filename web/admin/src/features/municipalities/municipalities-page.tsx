import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { call, client } from '../../api/client';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';

/** Super-administrators: every municipality of the deployment, and the way to add one. */
export function MunicipalitiesPage() {
  const { t } = useTranslation();
  const list = useResource(() => call((signal) => client.GET('/api/v1/staff/municipalities', { signal })), []);
  return (
    <Page title={t('municipalities.title')}>
      <Link href="/municipalities/new" className="button">
        {t('municipalities.add')}
      </Link>
      {list.state === 'loading' && <Loading />}
      {list.state === 'failed' && <LoadError problem={list.problem} onRetry={list.retry} />}
      {list.state === 'ready' &&
        (list.data.length === 0 ? (
          <p>{t('home.noMunicipalitiesYet')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="municipalities-caption" tabIndex={0}>
            <table className="table">
              <caption id="municipalities-caption">{t('municipalities.caption', { count: list.data.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('municipality.code')}</th>
                  <th scope="col">{t('municipality.nameJa')}</th>
                  <th scope="col">{t('municipality.nameEn')}</th>
                  <th scope="col">{t('municipality.timeZone')}</th>
                  <th scope="col">{t('municipality.phone')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((m) => (
                  <tr key={m.code}>
                    <td>
                      <Link href={`/m/${m.code}`}>{m.code}</Link>
                    </td>
                    <td lang="ja">{m.nameJa}</td>
                    <td lang="en">{m.nameEn}</td>
                    <td>{m.timeZone}</td>
                    <td>{m.callCentrePhone ?? t('common.none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </Page>
  );
}
