import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dashboard, DayFill } from '../../api/types';
import { BarChart } from '../../components/bar-chart';
import { Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useFormats } from './formats';
import { useLiveDashboard } from './use-live-dashboard';

/**
 * The live dashboard: the campaign's counts, the fill of each venue for the next 14 days and the
 * waiting room, updated by the server as bookings happen. Each chart has its table of the same
 * numbers (screen readers read the tables; the charts are pictures).
 */
export default function DashboardPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const live = useLiveDashboard(code);
  return (
    <Page title={t('dashboard.title')}>
      <p className="live-state" role="status">
        {live.state === 'live'
          ? t('dashboard.live')
          : live.state === 'reconnecting'
            ? t('dashboard.reconnecting')
            : t('dashboard.connecting')}
      </p>
      {!live.data && live.problem && <LoadError problem={live.problem} onRetry={() => window.location.reload()} />}
      {!live.data && !live.problem && <Loading />}
      {live.data && <Numbers data={live.data} />}
    </Page>
  );
}

function Numbers({ data }: { data: Dashboard }) {
  const { t, i18n } = useTranslation();
  const { number, percent, day, time } = useFormats();
  const venueName = (id: number) => {
    const venue = data.venues.find((v) => v.id === id);
    return venue ? (i18n.language === 'ja' ? venue.nameJa : venue.nameEn) : String(id);
  };
  const totals = data.totals;
  return (
    <>
      <p className="caption">{t('dashboard.asOf', { at: time(data.at) })}</p>
      <section aria-labelledby="totals-title">
        <h2 id="totals-title">{t('dashboard.totals')}</h2>
        <dl className="tiles">
          <div className="tile">
            <dt>{t('dashboard.bookingsToday')}</dt>
            <dd data-testid="bookings-today">{number(totals.bookingsToday)}</dd>
          </div>
          <div className="tile">
            <dt>{t('dashboard.bookings')}</dt>
            <dd data-testid="bookings-total">{number(totals.bookings)}</dd>
          </div>
          <div className="tile">
            <dt>{t('dashboard.cancelled')}</dt>
            <dd>{number(totals.cancelled)}</dd>
          </div>
          <div className="tile">
            <dt>{t('dashboard.noShows')}</dt>
            <dd>
              {number(totals.noShows)}
              {totals.noShowRate !== null && <span className="tile-note"> ({percent(totals.noShowRate)})</span>}
            </dd>
          </div>
          <div className="tile">
            <dt>{t('dashboard.attended')}</dt>
            <dd>{number(totals.attended)}</dd>
          </div>
          <div className="tile">
            <dt>{t('dashboard.holds')}</dt>
            <dd>{number(totals.holds)}</dd>
          </div>
        </dl>
      </section>

      <WaitingRoom room={data.waitingRoom} />

      <section aria-labelledby="free-title">
        <h2 id="free-title">{t('dashboard.freeTitle')}</h2>
        <DaysChart days={data.days} />
        <DaysTable id="free" caption={t('dashboard.freeCaption')} days={data.days} format={{ number, percent, day }} />
      </section>

      <section aria-labelledby="fill-title">
        <h2 id="fill-title">{t('dashboard.fillTitle')}</h2>
        {data.fill.length === 0 && <p>{t('dashboard.noVenues')}</p>}
        {data.fill.map((venue) => (
          <div key={venue.venueId}>
            <h3>{venueName(venue.venueId)}</h3>
            <FillChart days={venue.days} />
            <DaysTable
              id={`venue-${venue.venueId}`}
              caption={t('dashboard.fillCaption', { venue: venueName(venue.venueId) })}
              days={venue.days}
              format={{ number, percent, day }}
            />
          </div>
        ))}
      </section>
    </>
  );
}

function WaitingRoom({ room }: { room: Dashboard['waitingRoom'] }) {
  const { t } = useTranslation();
  const { number } = useFormats();
  return (
    <section aria-labelledby="room-title">
      <h2 id="room-title">{t('dashboard.room')}</h2>
      <dl className="facts">
        <dt>{t('room.state')}</dt>
        <dd>
          {room.mode === 'off'
            ? t('room.off')
            : `${room.paused ? t('room.paused') : t('room.admitting')} · ${room.active ? t('room.on') : t('room.notNow')}`}
        </dd>
        <dt>{t('room.waiting')}</dt>
        <dd>{number(room.waiting)}</dd>
        <dt>{t('room.queues')}</dt>
        <dd>{number(room.queues.length)}</dd>
      </dl>
    </section>
  );
}

function DaysChart({ days }: { days: DayFill[] }) {
  const { t } = useTranslation();
  const { shortDay } = useFormats();
  const labels = useMemo(() => days.map((d) => shortDay(d.date)), [days, shortDay]);
  const series = useMemo(
    () => [
      { label: t('dashboard.taken'), values: days.map((d) => d.taken), colour: '#1d70b8' },
      { label: t('dashboard.free'), values: days.map((d) => d.free), colour: '#85994b' },
    ],
    [days, t],
  );
  return <BarChart labels={labels} series={series} />;
}

function FillChart({ days }: { days: DayFill[] }) {
  const { t } = useTranslation();
  const { shortDay } = useFormats();
  const labels = useMemo(() => days.map((d) => shortDay(d.date)), [days, shortDay]);
  const series = useMemo(
    () => [
      {
        label: t('dashboard.fillRate'),
        values: days.map((d) => (d.fillRate === null ? null : Math.round(d.fillRate * 100))),
        colour: '#1d70b8',
      },
    ],
    [days, t],
  );
  return <BarChart labels={labels} series={series} height={160} max={100} />;
}

function DaysTable({
  id,
  caption,
  days,
  format,
}: {
  id: string;
  caption: string;
  days: DayFill[];
  format: Pick<ReturnType<typeof useFormats>, 'number' | 'percent' | 'day'>;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="table table-compact">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.day')}</th>
            <th scope="col" className="num">
              {t('dashboard.capacity')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.taken')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.free')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.fillRate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <th scope="row">{format.day(d.date)}</th>
              <td className="num">{format.number(d.capacity)}</td>
              <td className="num">{format.number(d.taken)}</td>
              <td className="num">{format.number(d.free)}</td>
              <td className="num">{d.fillRate === null ? t('dashboard.noPlaces') : format.percent(d.fillRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
