import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { NotificationFailure, NotificationUsageTotal } from '../../api/types';
import { SelectField } from '../../components/form';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { localeOf } from '../../i18n';
import { useSession } from '../../session/session';
import { formatInstant } from '../accounts/format';

/** The last twelve months, newest first, as YYYY-MM. */
function recentMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
  });
}

/**
 * Staff: the messages a month cost, per kind and channel (SMS segments × the price per segment,
 * e-mails counted), as a table first; below, the messages that could not be delivered and why
 * (that listing is audited: it says who was not reached).
 */
export function MessagesPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { may } = useSession();
  const months = recentMonths();
  const [month, setMonth] = useState(months[0]!);
  const usage = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/notifications/usage', {
          params: { path: { municipalityCode: code }, query: { month } },
          signal,
        }),
      ),
    [code, month],
  );
  const locale = localeOf(i18n.language);
  const monthLabel = (m: string) =>
    new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const yen = (n: number) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency: 'JPY', currencyDisplay: 'narrowSymbol', maximumFractionDigits: 2 }).format(
      n,
    );

  return (
    <Page title={t('messages.title')}>
      <p>{t('messages.intro')}</p>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <SelectField
          id="month"
          label={t('messages.month')}
          value={month}
          options={months.map((m) => ({ value: m, label: monthLabel(m) }))}
          onChange={setMonth}
        />
      </form>
      {usage.state === 'loading' && <Loading />}
      {usage.state === 'failed' && <LoadError problem={usage.problem} onRetry={usage.retry} />}
      {usage.state === 'ready' && (
        <>
          <UsageTable totals={usage.data.totals} caption={t('messages.caption', { month: monthLabel(month) })} number={number} yen={yen} />
          <p>
            {t('messages.price', { price: yen(usage.data.pricePerSegmentYen) })} {t('messages.total', { cost: yen(usage.data.costYen) })}
          </p>
        </>
      )}
      {may(code, 'notifications.failures') && <Failures code={code} />}
    </Page>
  );
}

function UsageTable({
  totals,
  caption,
  number,
  yen,
}: {
  totals: NotificationUsageTotal[];
  caption: string;
  number: (n: number) => string;
  yen: (n: number) => string;
}) {
  const { t } = useTranslation();
  if (totals.length === 0) return <p>{t('messages.none')}</p>;
  const sum = (pick: (row: NotificationUsageTotal) => number) => totals.reduce((s, row) => s + pick(row), 0);
  return (
    <div className="table-wrap" role="region" aria-labelledby="usage-caption" tabIndex={0}>
      <table className="table table-figures">
        <caption id="usage-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('messages.kindAndChannel')}</th>
            <th scope="col" className="num">
              {t('messages.sent')}
            </th>
            <th scope="col" className="num">
              {t('messages.segments')}
            </th>
            <th scope="col" className="num">
              {t('messages.cost')}
            </th>
            <th scope="col" className="num">
              {t('messages.failed')}
            </th>
          </tr>
        </thead>
        <tbody>
          {totals.map((row) => (
            <tr key={`${row.kind}/${row.channel}`}>
              {/* Kind and channel in one header cell: six columns would not fit a phone. */}
              <th scope="row">
                {t(`messages.kinds.${row.kind}`)} <span className="channel">{t(`messages.channels.${row.channel}`)}</span>
              </th>
              <td className="num">{number(row.messages)}</td>
              <td className="num">{row.channel === 'sms' ? number(row.segments) : '—'}</td>
              <td className="num">{row.channel === 'sms' ? yen(row.costYen) : '—'}</td>
              <td className="num">{number(row.failed)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('messages.totalRow')}</th>
            <td className="num">{number(sum((r) => r.messages))}</td>
            <td className="num">{number(sum((r) => r.segments))}</td>
            <td className="num">{yen(sum((r) => r.costYen))}</td>
            <td className="num">{number(sum((r) => r.failed))}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Failures({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const failures = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/notifications/failures', {
          params: { path: { municipalityCode: code }, query: { page } },
          signal,
        }),
      ),
    [code, page],
  );
  return (
    <>
      <h2 id="failures-title">{t('messages.failuresTitle')}</h2>
      <p>{t('messages.failuresIntro')}</p>
      {failures.state === 'loading' && <Loading />}
      {failures.state === 'failed' && <LoadError problem={failures.problem} onRetry={failures.retry} />}
      {failures.state === 'ready' &&
        (failures.data.items.length === 0 ? (
          <p>{t('messages.noFailures')}</p>
        ) : (
          <div className="table-wrap" role="region" aria-labelledby="failures-caption" tabIndex={0}>
            <table className="table">
              <caption id="failures-caption">{t('messages.failuresCaption', { count: failures.data.items.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('messages.failedAt')}</th>
                  <th scope="col">{t('messages.kind')}</th>
                  <th scope="col">{t('messages.channel')}</th>
                  <th scope="col">{t('messages.recipient')}</th>
                  <th scope="col">{t('messages.reservation')}</th>
                  <th scope="col" className="num">
                    {t('messages.attempts')}
                  </th>
                  <th scope="col">{t('messages.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {failures.data.items.map((f: NotificationFailure) => (
                  <tr key={f.id}>
                    <td>{formatInstant(f.failedAt, i18n.language)}</td>
                    <td>{t(`messages.kinds.${f.kind}`)}</td>
                    <td>{t(`messages.channels.${f.channel}`)}</td>
                    <td>{f.recipient}</td>
                    <td>{f.reservationNumber ?? '—'}</td>
                    <td className="num">{f.attempts}</td>
                    <td className="break">{f.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {failures.state === 'ready' && (page > 1 || failures.data.nextPage !== null) && (
        <p className="row-actions">
          {page > 1 && (
            <button type="button" className="button button-secondary" onClick={() => setPage(page - 1)}>
              {t('messages.newer')}
            </button>
          )}
          {failures.data.nextPage !== null && (
            <button type="button" className="button button-secondary" onClick={() => setPage(failures.data.nextPage!)}>
              {t('messages.older')}
            </button>
          )}
        </p>
      )}
    </>
  );
}
