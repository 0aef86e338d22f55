import { useTranslation } from 'react-i18next';
import { Link, Redirect } from 'wouter';
import { addDays, localDate } from '../../../../shared/dates';
import { api } from '../../api/client';
import type { CalendarDay, Me } from '../../api/types';
import { MarkLabel, MarkLegend } from '../../components/mark';
import { BackLink, Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useFormat } from '../../i18n/format';
import { useLocalName, useMunicipality } from '../../session/municipality';
import { bookingQuery, useBookingMade, useBookingParams } from './booking-params';
import { useVenueWords } from './venue-texts';
import { PersonBanner } from './person-banner';
import { useVenue } from './use-venue';
import { journeyStep } from '../journey-step';

const DAYS_AHEAD = 60;

/** Choose a date: a month calendar with ○ / △ / × on the days that have times. */
export function CalendarPage({ me, venueId }: { me: Me; venueId: number }) {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const localName = useLocalName();
  const venueWords = useVenueWords();
  const params = useBookingParams(me);
  const made = useBookingMade(params);
  const format = useFormat(municipality.timeZone);
  const venue = useVenue(venueId);
  const today = localDate(new Date(), municipality.timeZone);
  const earliest = params.window?.earliestDate;
  const latest = params.window?.latestDate;
  const from = earliest && earliest > today ? earliest : today;
  const horizon = addDays(today, DAYS_AHEAD);
  const to = latest && latest < horizon ? latest : horizon;
  const days = useResource(
    () => (to < from ? Promise.resolve([]) : api<CalendarDay[]>('GET', `/venues/${venueId}/days?from=${from}&to=${to}`)),
    [venueId, from, to],
  );

  if (made) return <Redirect to={`/reservations/${made}`} replace />;
  return (
    <Page title={t('booking.dateTitle')} caption={journeyStep(t, 'date')}>
      <BackLink href={`/book${bookingQuery(params)}`} label={t('booking.backToVenues')} />
      <PersonBanner params={params} />
      {venue.state === 'ready' && (
        <p className="context">{t('common.pair', { first: venueWords(venue.data).name, second: localName(venue.data.vaccine) })}</p>
      )}
      {earliest && earliest > today && <p className="hint">{t('booking.earliestDate', { date: format.date(earliest) })}</p>}
      {latest && latest < horizon && <p className="hint">{t('booking.latestDate', { date: format.date(latest) })}</p>}
      <MarkLegend />
      {days.state === 'loading' && <Loading />}
      {days.state === 'failed' && <LoadError problem={days.problem} onRetry={days.retry} />}
      {days.state === 'ready' &&
        (days.data.length === 0 ? (
          <p className="notice">{t('booking.noDates')}</p>
        ) : (
          <MonthCalendars days={days.data} hrefFor={(date) => `/book/${venueId}/${date}${bookingQuery(params)}`} />
        ))}
    </Page>
  );
}

function MonthCalendars({ days, hrefFor }: { days: CalendarDay[]; hrefFor: (date: string) => string }) {
  const { t } = useTranslation();
  const format = useFormat('UTC');
  const byDate = new Map(days.map((d) => [d.date, d]));
  const months = [...new Set(days.map((d) => d.date.slice(0, 7)))];
  // Where each language's calendars start the week (Sunday in Japan and Brazil, Monday in Britain and China).
  const weekStart = Number(t('booking.weekStartsOn')) === 1 ? 1 : 0;
  const weekdays = Array.from({ length: 7 }, (_, i) => addDays('2023-01-01', weekStart + i)); // 2023-01-01 was a Sunday

  return (
    <>
      {months.map((month) => {
        const first = `${month}-01`;
        const lead = (new Date(`${first}T00:00:00Z`).getUTCDay() - weekStart + 7) % 7;
        const cells: (string | undefined)[] = Array.from({ length: lead }, () => undefined);
        for (let date = first; date.startsWith(month); date = addDays(date, 1)) cells.push(date);
        while (cells.length % 7 !== 0) cells.push(undefined);
        const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
        return (
          <table key={month} className="calendar">
            <caption>{format.monthTitle(first)}</caption>
            <thead>
              <tr>
                {weekdays.map((d) => (
                  <th key={d} scope="col">
                    {format.weekdayShort(d)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((week, w) => (
                <tr key={w}>
                  {week.map((date, i) => (
                    <td key={date ?? `empty-${w}-${i}`}>{date && <DayCell date={date} day={byDate.get(date)} href={hrefFor(date)} />}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}

function DayCell({ date, day, href }: { date: string; day?: CalendarDay; href: string }) {
  const { t } = useTranslation();
  const format = useFormat('UTC');
  const number = Number(date.slice(8));
  if (!day) return <span className="day day-none">{number}</span>;
  const label = `${format.date(date)} ${t(`marks.${day.mark}`)}`;
  if (day.mark === 'full') {
    return (
      <span className="day day-full">
        <span aria-hidden="true">{number}</span>
        <MarkLabel mark="full" compact />
        <span className="visually-hidden">{format.date(date)}</span>
      </span>
    );
  }
  return (
    <Link href={href} className={`day day-${day.mark}`} aria-label={label}>
      {number}
      <MarkLabel mark={day.mark} compact />
    </Link>
  );
}
