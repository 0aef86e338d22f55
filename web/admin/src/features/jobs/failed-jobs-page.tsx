import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { FailedJob } from '../../api/types';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { formatInstant } from '../accounts/format';

/** Super-administrators: background jobs whose retries ran out, newest first (no personal data in them). */
export function FailedJobsPage() {
  const { t, i18n } = useTranslation();
  const first = useResource(
    () => call((signal) => client.GET('/api/v1/staff/jobs/failed', { params: { query: { limit: 50 } }, signal })),
    [],
  );
  const [more, setMore] = useState<{ jobs: FailedJob[]; nextBefore: number | null }>();
  const [problem, setProblem] = useState<ApiProblem>();
  if (first.state === 'loading') return <Loading />;
  if (first.state === 'failed') return <LoadError problem={first.problem} onRetry={first.retry} />;
  const jobs = [...first.data.jobs, ...(more?.jobs ?? [])];
  const nextBefore = more ? more.nextBefore : first.data.nextBefore;

  async function loadMore(before: number) {
    try {
      const page = await call((signal) => client.GET('/api/v1/staff/jobs/failed', { params: { query: { limit: 50, before } }, signal }));
      setMore((previous) => ({ jobs: [...(previous?.jobs ?? []), ...page.jobs], nextBefore: page.nextBefore }));
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem('internal', 0));
    }
  }

  return (
    <Page title={t('jobs.title')}>
      <p>{t('jobs.intro')}</p>
      {problem && <LoadError problem={problem} onRetry={() => nextBefore !== null && void loadMore(nextBefore)} />}
      {jobs.length === 0 ? (
        <p>{t('jobs.none')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="jobs-caption" tabIndex={0}>
          <table className="table">
            <caption id="jobs-caption">{t('jobs.caption', { count: jobs.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.failedAt')}</th>
                <th scope="col">{t('jobs.name')}</th>
                <th scope="col">{t('jobs.municipality')}</th>
                <th scope="col">{t('jobs.attempts')}</th>
                <th scope="col">{t('jobs.error')}</th>
                <th scope="col">{t('jobs.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td>{formatInstant(job.failedAt, i18n.language)}</td>
                  <td>
                    <code>{job.name}</code>
                  </td>
                  <td>{job.municipalityCode ?? t('jobs.deployment')}</td>
                  <td>{job.attempts}</td>
                  <td className="break">{job.lastError}</td>
                  <td className="break detail">{JSON.stringify(job.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore !== null && (
        <button type="button" className="button button-secondary" onClick={() => void loadMore(nextBefore)}>
          {t('jobs.more')}
        </button>
      )}
    </Page>
  );
}
