import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearch } from 'wouter';
import { call, client } from '../../api/client';
import type { DaySlot } from '../../api/types';
import { TextField } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { CapacityEditor } from './capacity-editor';
import { ClosePanel } from './close-panel';
import { formatTime, placesText, todayIn } from './schedule-format';
import { useMunicipality } from './use-municipality';

/** One venue's day: each slot with doses, extra places, taken and booked; edit capacity, close slots or the day. */
export function DayPage({ code, venueId }: { code: string; venueId: number }) {
  const municipality = useMunicipality(code);
  if (municipality.state === 'loading') return <Loading />;
  if (municipality.state === 'failed') return <LoadError problem={municipality.problem} onRetry={municipality.retry} />;
  return <Day code={code} venueId={venueId} timeZone={municipality.data.timeZone} />;
}

function Day({ code, venueId, timeZone }: { code: string; venueId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const search = new URLSearchParams(useSearch());
  const [date, setDate] = useState(search.get('date') ?? todayIn(timeZone));
  const [closing, setClosing] = useState<{ slots: DaySlot[]; wholeDay: boolean }>();
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const venue = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', {
          params: { path: { municipalityCode: code, venueId } },
          signal,
        }),
      ),
    [code, venueId],
  );
  const day = useResource(
    () =>
      valid
        ? call((signal) =>
            client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}', {
              params: { path: { municipalityCode: code, venueId, date } },
              signal,
            }),
          )
        : Promise.resolve(undefined),
    [code, venueId, date],
  );
  const name = venue.state === 'ready' ? (i18n.language === 'ja' ? venue.data.nameJa : venue.data.nameEn) : '';
  const open = (day.state === 'ready' ? (day.data?.slots ?? []) : []).filter((s) => s.closedAt === null);

  return (
    <Page title={t('schedule.dayTitle')} caption={name}>
      <BackLink href={`/m/${code}/venues`} label={t('schedule.backToVenues')} />
      <TextField
        id="day-date"
        label={t('schedule.date')}
        type="date"
        value={date}
        onChange={(value) => {
          setDate(value);
          setClosing(undefined);
        }}
        width="medium"
      />
      {day.state === 'loading' && <Loading />}
      {day.state === 'failed' && <LoadError problem={day.problem} onRetry={day.retry} />}
      {day.state === 'ready' && day.data && (
        <>
          {day.data.slots.length === 0 ? (
            <p>{t('schedule.noSlots')}</p>
          ) : (
            <div className="table-wrap" role="region" aria-labelledby="day-caption" tabIndex={0}>
              <table className="table">
                <caption id="day-caption">{t('schedule.dayCaption', { count: day.data.slots.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedule.time')}</th>
                    <th scope="col">{t('schedule.places')}</th>
                    <th scope="col">{t('schedule.taken')}</th>
                    <th scope="col">{t('schedule.capacity')}</th>
                    <th scope="col">{t('schedule.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {day.data.slots.map((slot) => {
                    const time = formatTime(slot.startsAt, i18n.language, timeZone);
                    return (
                      <tr key={slot.id}>
                        <th scope="row">{time}</th>
                        <td>
                          {placesText(slot.capacity, slot.extraPlaces)}
                          {slot.extraPlaces > 0 && (
                            <span className="hint"> {t('schedule.extraExplained', { count: slot.extraPlaces })}</span>
                          )}
                        </td>
                        <td>{t('schedule.takenOf', { taken: slot.taken, booked: slot.booked })}</td>
                        <td>
                          {slot.closedAt === null ? (
                            <CapacityEditor code={code} slot={slot} time={time} onSaved={day.retry} />
                          ) : (
                            <span className="status status-disabled">{t('schedule.closed')}</span>
                          )}
                        </td>
                        <td>
                          {slot.closedAt === null || slot.booked > 0 ? (
                            <button
                              type="button"
                              className="button button-secondary button-small"
                              onClick={() => setClosing({ slots: [slot], wholeDay: false })}
                            >
                              {slot.closedAt === null ? t('schedule.closeSlot', { time }) : t('schedule.resolveSlot', { time })}
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {day.data.slots.length > 0 && (open.length > 0 || day.data.slots.some((s) => s.booked > 0)) && (
            <button type="button" className="button button-warning" onClick={() => setClosing({ slots: day.data!.slots, wholeDay: true })}>
              {t('schedule.closeDay')}
            </button>
          )}
          {closing && (
            <ClosePanel
              key={closing.slots.map((s) => s.id).join('-')}
              code={code}
              venueId={venueId}
              date={date}
              timeZone={timeZone}
              slots={closing.slots}
              wholeDay={closing.wholeDay}
              onDone={day.retry}
              onCancel={() => setClosing(undefined)}
            />
          )}
        </>
      )}
    </Page>
  );
}
