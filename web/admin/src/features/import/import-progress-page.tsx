import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { ImportMissing, ResidentImport } from '../../api/types';
import { BackLink, Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { ImportStatus, useImportFormats } from './import-status';

const POLL_MS = 1_000;
/** The missing shown at once: those with active bookings first (they need a decision), then the rest. */
const MISSING_SHOWN = 100;
const finished = (record: ResidentImport) => record.status === 'done' || record.status === 'failed';

/**
 * One import, followed while its job runs on the server: the page can be left and opened again
 * (from the import page's list) at any time, since it only reads the import's state.
 */
export function ImportProgressPage({ code, importId }: { code: string; importId: number }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const record = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}', {
          params: { path: { municipalityCode: code, importId } },
          signal,
        }),
      ),
    [code, importId, tick],
  );
  const running = record.state === 'ready' && !finished(record.data);
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [running, tick]);
  return (
    <Page title={t('import.progressTitle', { id: importId })}>
      <BackLink href={`/m/${code}/import`} label={t('import.back')} />
      {record.state === 'loading' && <Loading />}
      {record.state === 'failed' && <LoadError problem={record.problem} onRetry={record.retry} />}
      {record.state === 'ready' && <Progress code={code} record={record.data} />}
    </Page>
  );
}

function Progress({ code, record }: { code: string; record: ResidentImport }) {
  const { t } = useTranslation();
  const { number, when } = useImportFormats();
  const share = record.status === 'done' ? 1 : (record.progress ?? 0);
  const percent = Math.round(share * 100);
  return (
    <>
      <dl className="facts">
        <dt>{t('import.fileName')}</dt>
        <dd>{record.fileName}</dd>
        <dt>{t('import.state')}</dt>
        <dd data-testid="import-status">
          <ImportStatus record={record} />
        </dd>
        <dt>{t('import.uploadedAt')}</dt>
        <dd>{when(record.createdAt)}</dd>
        <dt>{t('import.kind')}</dt>
        <dd>{record.full ? t('import.kindFull') : t('import.kindPartial')}</dd>
      </dl>
      <div className="field">
        <label htmlFor="import-progress" className="label">
          {t('import.progress')}
        </label>
        <progress id="import-progress" className="progress" max={100} value={percent} aria-describedby="import-progress-text">
          {percent}%
        </progress>
        <p id="import-progress-text" aria-live="polite">
          {record.rowsTotal === null
            ? t('import.rowsDone', { done: number(record.rowsDone) })
            : t('import.rowsOf', { done: number(record.rowsDone), total: number(record.rowsTotal), percent })}
        </p>
      </div>
      {record.status === 'failed' && <p className="notice-warning">{t('import.failed', { error: record.error ?? '' })}</p>}
      <dl className="facts">
        <dt>{t('import.created')}</dt>
        <dd data-testid="import-created">{number(record.created)}</dd>
        <dt>{t('import.updated')}</dt>
        <dd>{number(record.updated)}</dd>
        <dt>{t('import.rejected')}</dt>
        <dd data-testid="import-rejected">{number(record.rejected)}</dd>
        {record.missing !== null && (
          <>
            <dt>{t('import.missing')}</dt>
            <dd>{number(record.missing)}</dd>
          </>
        )}
      </dl>
      {record.status === 'done' && record.rejected > 0 && (
        <p>
          <a
            className="button button-secondary"
            href={`/api/v1/staff/municipalities/${code}/resident-imports/${record.id}/rejects`}
            download
          >
            {t('import.rejects')}
          </a>
        </p>
      )}
      {record.status === 'done' && record.full && <Missing code={code} record={record} />}
    </>
  );
}

function Missing({ code, record }: { code: string; record: ResidentImport }) {
  const { t, i18n } = useTranslation();
  const { when } = useImportFormats();
  const missing = useResource<ImportMissing>(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}/missing', {
          params: { path: { municipalityCode: code, importId: record.id } },
          signal,
        }),
      ),
    [code, record.id],
  );
  return (
    <section aria-labelledby="missing-title">
      <h2 id="missing-title">{t('import.missingTitle')}</h2>
      <p>{record.markMissingIneligible ? t('import.missingMarked') : t('import.missingNotMarked')}</p>
      {missing.state === 'loading' && <Loading />}
      {missing.state === 'failed' && <LoadError problem={missing.problem} onRetry={missing.retry} />}
      {missing.state === 'ready' && missing.data.residents.length > MISSING_SHOWN && (
        <p>{t('import.missingFirst', { shown: MISSING_SHOWN, count: missing.data.residents.length })}</p>
      )}
      {missing.state === 'ready' &&
        (missing.data.residents.length === 0 ? (
          <p>{t('import.noneMissing')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="missing-caption" tabIndex={0}>
            <table className="table table-compact">
              <caption id="missing-caption">{t('import.missingCaption', { count: missing.data.residents.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('import.fields.voucherNumber')}</th>
                  <th scope="col">{t('import.fields.nameKanji')}</th>
                  <th scope="col">{t('import.fields.birthDate')}</th>
                  <th scope="col">{t('import.eligible')}</th>
                  <th scope="col">{t('import.activeBookings')}</th>
                </tr>
              </thead>
              <tbody>
                {[...missing.data.residents]
                  .sort((a, b) => Number(b.activeBookings.length > 0) - Number(a.activeBookings.length > 0))
                  .slice(0, MISSING_SHOWN)
                  .map((r) => (
                    <tr key={r.id}>
                      <td>{r.voucherNumber}</td>
                      <td>
                        {r.nameKanji}
                        <br />
                        <span className="hint">{r.nameKana}</span>
                      </td>
                      <td>{r.birthDate}</td>
                      <td>{r.eligible ? t('import.yes') : t('import.no')}</td>
                      <td>
                        {r.activeBookings.length === 0 ? (
                          t('common.none')
                        ) : (
                          <ul className="plain-list">
                            {r.activeBookings.map((b) => (
                              <li key={b.reservationNumber}>
                                {t('import.booking', {
                                  number: b.reservationNumber,
                                  dose: b.dose,
                                  at: when(b.startsAt),
                                  venue: i18n.language === 'ja' ? b.venue.nameJa : b.venue.nameEn,
                                })}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
