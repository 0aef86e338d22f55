import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { CrossTab } from '../../api/types';
import { BarChart } from '../../components/bar-chart';
import { ErrorSummary, FORM, SelectField, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage, problemToErrors } from '../../components/problem';
import { useFormats } from '../dashboard/formats';

const PERIODS = ['day', 'week', 'month'] as const;
type Period = (typeof PERIODS)[number];
const SEXES = ['F', 'M', 'X'] as const;
const COLOURS = { F: '#d4351c', M: '#1d70b8', X: '#85994b' } as const;

function isoDay(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

/** Bookings and attended doses per day, ISO week or month × age band × sex: a chart, its table, and the .xlsx. */
export default function CrossTabPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<{ from: string; to: string; period: Period }>({ from: isoDay(-30), to: isoDay(30), period: 'week' });
  const [result, setResult] = useState<{ data: CrossTab; query: typeof query }>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);

  async function show(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    try {
      const data = await call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/crosstab', {
          params: { path: { municipalityCode: code }, query },
          signal,
        }),
      );
      setErrors({});
      setResult({ data, query });
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const found = problemToErrors(t, problem, (path) =>
        path === 'from' ? t('crosstab.from') : path === 'to' ? t('crosstab.to') : undefined,
      );
      setErrors(Object.keys(found).length > 0 ? found : { [FORM]: problemMessage(t, problem) });
    } finally {
      setBusy(false);
    }
  }

  const exportHref = result
    ? `/api/v1/staff/municipalities/${encodeURIComponent(code)}/reports/crosstab/export?${new URLSearchParams(result.query).toString()}`
    : undefined;
  return (
    <Page title={t('crosstab.title')} hasErrors={Object.keys(errors).length > 0}>
      <p>{t('crosstab.intro')}</p>
      <ErrorSummary errors={errors} />
      <form onSubmit={show} noValidate className="filters">
        <TextField
          id={fieldId('from')}
          label={t('crosstab.from')}
          type="date"
          value={query.from}
          error={errors[fieldId('from')]}
          onChange={(from) => setQuery({ ...query, from })}
          width="medium"
        />
        <TextField
          id={fieldId('to')}
          label={t('crosstab.to')}
          type="date"
          value={query.to}
          error={errors[fieldId('to')]}
          onChange={(to) => setQuery({ ...query, to })}
          width="medium"
        />
        <SelectField
          id={fieldId('period')}
          label={t('crosstab.period')}
          value={query.period}
          onChange={(period) => setQuery({ ...query, period: period as Period })}
          options={PERIODS.map((p) => ({ value: p, label: t(`crosstab.periods.${p}`) }))}
        />
        <SubmitButton busy={busy}>{t('crosstab.show')}</SubmitButton>
      </form>
      {result && (
        <>
          <p>
            <a className="button button-secondary" href={exportHref} download>
              {t('crosstab.export')}
            </a>
          </p>
          <Result data={result.data} />
        </>
      )}
    </Page>
  );
}

function Result({ data }: { data: CrossTab }) {
  const { t } = useTranslation();
  const { number } = useFormats();
  const periods = useMemo(() => [...new Set(data.rows.map((r) => r.period))].sort(), [data]);
  const bands = useMemo(
    () => [...new Map(data.rows.map((r) => [r.ageBand, r.ageBandLabel])).entries()].sort((a, b) => a[0] - b[0]),
    [data],
  );
  const byBand = useMemo(
    () =>
      SEXES.map((sex) => ({
        label: t(`crosstab.sex.${sex}`),
        colour: COLOURS[sex],
        values: bands.map(([band]) => data.rows.filter((r) => r.ageBand === band && r.sex === sex).reduce((sum, r) => sum + r.bookings, 0)),
      })),
    [bands, data, t],
  );
  const bandLabels = useMemo(() => bands.map(([, label]) => label), [bands]);
  if (data.rows.length === 0) return <p>{t('crosstab.none')}</p>;
  return (
    <>
      <h2 id="chart-title">{t('crosstab.chartTitle')}</h2>
      <BarChart labels={bandLabels} series={byBand} />
      <div className="table-wrap" role="region" aria-labelledby="crosstab-caption" tabIndex={0}>
        <table className="table table-compact">
          <caption id="crosstab-caption">{t('crosstab.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('crosstab.periodCol')}</th>
              <th scope="col">{t('crosstab.ageBand')}</th>
              <th scope="col">{t('crosstab.sexCol')}</th>
              <th scope="col" className="num">
                {t('crosstab.bookings')}
              </th>
              <th scope="col" className="num">
                {t('crosstab.attended')}
              </th>
            </tr>
          </thead>
          <tbody>
            {periods.flatMap((period) =>
              data.rows
                .filter((r) => r.period === period)
                .map((r) => (
                  <tr key={`${r.period}-${r.ageBand}-${r.sex}`}>
                    <th scope="row">{r.period}</th>
                    <td>{r.ageBandLabel}</td>
                    <td>{t(`crosstab.sex.${r.sex}`)}</td>
                    <td className="num">{number(r.bookings)}</td>
                    <td className="num">{number(r.attended)}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
