import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { QueueStat, QueueStats } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { fieldMessage, problemMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useSession } from '../../session/session';

const REFRESH_MS = 5_000;
const RATE_MAX = 1_000_000;

/**
 * The waiting room's operators' screen: the queues (of one municipality, or all of them) refreshed
 * every few seconds; super-administrators also pause, resume and set the admission rate, which
 * are the whole room's.
 */
export function OperatorsPage({ code }: { code?: string }) {
  const { t } = useTranslation();
  const { state } = useSession();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const stats = useResource(
    () =>
      code
        ? call((signal) =>
            client.GET('/api/v1/staff/municipalities/{municipalityCode}/waiting-room', {
              params: { path: { municipalityCode: code } },
              signal,
            }),
          )
        : call((signal) => client.GET('/api/v1/staff/waiting-room', { signal })),
    [code, tick],
  );
  const controls = state.status === 'signed-in' && state.superAdmin;
  return (
    <Page title={code ? t('room.title') : t('room.titleAll')}>
      {stats.state === 'loading' && <Loading />}
      {stats.state === 'failed' && <LoadError problem={stats.problem} onRetry={stats.retry} />}
      {stats.state === 'ready' && (
        <>
          <Room stats={stats.data} />
          {controls && stats.data.mode !== 'off' && <Controls stats={stats.data} onChanged={stats.retry} />}
          <Queues stats={stats.data} />
        </>
      )}
    </Page>
  );
}

function useNumbers() {
  const { i18n, t } = useTranslation();
  const number = (n: number) => new Intl.NumberFormat(i18n.language === 'ja' ? 'ja-JP' : 'en-GB').format(n);
  const drain = (seconds: number | null, waiting: number) =>
    waiting === 0
      ? t('room.empty')
      : seconds === null
        ? t('room.unknown')
        : t('room.minutes', { n: number(Math.max(1, Math.ceil(seconds / 60))) });
  return { number, drain, rate: (n: number) => t('room.perMinute', { n: number(n) }) };
}

function Room({ stats }: { stats: QueueStats }) {
  const { t } = useTranslation();
  const { number, rate, drain } = useNumbers();
  const waiting = stats.queues.reduce((sum, q) => sum + q.waiting, 0);
  const measured = stats.queues.reduce((sum, q) => sum + q.measuredRatePerMinute, 0);
  return (
    <section aria-labelledby="room-title" className="card">
      <h2 id="room-title" className="card-title">
        {t('room.whole')}
      </h2>
      <dl className="facts" aria-live="polite">
        <dt>{t('room.state')}</dt>
        <dd>
          {stats.mode === 'off'
            ? t('room.off')
            : `${stats.paused ? t('room.paused') : t('room.admitting')} · ${stats.active ? t('room.on') : t('room.notNow')} · ${t(`settings.modes.${stats.mode}`)}`}
        </dd>
        <dt>{t('room.rate')}</dt>
        <dd>
          {rate(stats.ratePerMinute)} {stats.autoTune ? t('room.autoTuned') : stats.autoTuneConfigured ? t('room.manual') : ''}
        </dd>
        <dt>{t('room.waiting')}</dt>
        <dd>{number(waiting)}</dd>
        <dt>{t('room.drain')}</dt>
        <dd>{stats.paused && waiting > 0 ? t('room.pausedDrain') : drain(measured > 0 ? (waiting / measured) * 60 : null, waiting)}</dd>
      </dl>
    </section>
  );
}

function Controls({ stats, onChanged }: { stats: QueueStats; onChanged: () => void }) {
  const { t } = useTranslation();
  const { number } = useNumbers();
  const [rate, setRate] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();

  async function control(body: { paused?: boolean; ratePerMinute?: number; autoTune?: boolean }, message: string) {
    setBusy(true);
    setDone(undefined);
    try {
      await call((signal) => client.POST('/api/v1/staff/waiting-room/control', { body, signal }));
      setErrors({});
      setDone(message);
      onChanged();
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      const found = problemToErrors(t, problem, (path) => (path === 'ratePerMinute' ? t('room.newRate') : undefined));
      setErrors(Object.keys(found).length > 0 ? found : { [FORM]: problemMessage(t, problem) });
    } finally {
      setBusy(false);
    }
  }

  function setTheRate(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    const value = Number(rate.trim());
    if (!/^\d+$/.test(rate.trim()) || value > RATE_MAX) {
      setErrors({ [fieldId('ratePerMinute')]: t('room.errors.rate', { max: number(RATE_MAX) }) });
      return;
    }
    void control({ ratePerMinute: value }, t('room.rateSet', { n: value }));
  }

  return (
    <section aria-labelledby="controls-title">
      <h2 id="controls-title">{t('room.controls')}</h2>
      <p>{t('room.controlsNote')}</p>
      {done && <Done message={done} />}
      <ErrorSummary errors={errors} />
      <div className="actions">
        {stats.paused ? (
          <button type="button" className="button" disabled={busy} onClick={() => void control({ paused: false }, t('room.resumed'))}>
            {t('room.resume')}
          </button>
        ) : (
          <button
            type="button"
            className="button button-warning"
            disabled={busy}
            onClick={() => void control({ paused: true }, t('room.pausedDone'))}
          >
            {t('room.pause')}
          </button>
        )}
        {stats.autoTuneConfigured && !stats.autoTune && (
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => void control({ autoTune: true }, t('room.autoTuneBackDone'))}
          >
            {t('room.autoTuneBack')}
          </button>
        )}
      </div>
      <form onSubmit={setTheRate} noValidate>
        <TextField
          id={fieldId('ratePerMinute')}
          label={t('room.newRate')}
          hint={
            stats.autoTune
              ? `${t('room.rateHint', { max: number(RATE_MAX) })} ${t('room.rateHintTune')}`
              : t('room.rateHint', { max: number(RATE_MAX) })
          }
          inputMode="numeric"
          value={rate}
          error={fieldMessage(errors, 'ratePerMinute')}
          onChange={setRate}
          width="narrow"
        />
        <SubmitButton busy={busy}>{t('room.setRate')}</SubmitButton>
      </form>
    </section>
  );
}

function Queues({ stats }: { stats: QueueStats }) {
  const { t } = useTranslation();
  const queues = [...stats.queues].sort((a, b) => a.queueId.localeCompare(b.queueId));
  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">{t('room.queues')}</h2>
      {queues.length === 0 ? <p>{t('room.noQueues')}</p> : queues.map((q) => <Queue key={q.queueId} queue={q} stats={stats} />)}
    </section>
  );
}

function Queue({ queue, stats }: { queue: QueueStat; stats: QueueStats }) {
  const { t, i18n } = useTranslation();
  const { number, rate, drain } = useNumbers();
  const opens = queue.opensAt
    ? new Intl.DateTimeFormat(i18n.language === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(queue.opensAt),
      )
    : '';
  const state = !queue.open
    ? t('room.opensAt', { at: opens })
    : stats.paused
      ? t('room.paused')
      : queue.waiting > 0
        ? t('room.admitting')
        : t('room.empty');
  return (
    <article className="card">
      <h3 className="card-title">
        <code>{queue.queueId}</code> <span className="tag">{state}</span>
      </h3>
      <dl className="facts">
        <dt>{t('room.waiting')}</dt>
        <dd>{number(queue.waiting)}</dd>
        <dt>{t('room.through')}</dt>
        <dd>
          {number(queue.admittedThrough)} / {number(queue.issued)}
        </dd>
        {(!queue.open || queue.lobby > 0) && (
          <>
            <dt>{t('room.lobby')}</dt>
            <dd>{number(queue.lobby)}</dd>
          </>
        )}
        <dt>{t('room.measured')}</dt>
        <dd>{rate(queue.measuredRatePerMinute)}</dd>
        <dt>{t('room.claimed')}</dt>
        <dd>{number(queue.claimed)}</dd>
        <dt>{t('room.booked')}</dt>
        <dd>{number(queue.booked)}</dd>
        <dt>{t('room.abandoned')}</dt>
        <dd>{number(queue.abandoned)}</dd>
        <dt>{t('room.drain')}</dt>
        <dd>{stats.paused && queue.waiting > 0 ? t('room.pausedDrain') : drain(queue.drainSeconds, queue.waiting)}</dd>
      </dl>
    </article>
  );
}
