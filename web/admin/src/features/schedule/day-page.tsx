import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearch } from 'wouter';
import { call, client, type ApiProblem } from '../../api/client';
import type { DaySlot, ReopenReport } from '../../api/types';
import { TextField } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { problemMessage } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { CapacityEditor } from './capacity-editor';
import { ClosePanel } from './close-panel';
import { ReopenButton } from './reopen-button';
import { formatTime, placesText, todayIn } from './schedule-format';
import { useMunicipality } from './use-municipality';

/** One venue's day: each slot with doses, extra places, taken and booked; edit capacity, close slots or the day, reopen them. */
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
  const [reopening, setReopening] = useState<{ message: string } | { problem: ApiProblem }>();
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
  const slots = day.state === 'ready' ? (day.data?.slots ?? []) : [];
  const open = slots.filter((s) => s.closedAt === null);
  const now = Date.now();
  const reopenable = slots.filter((s) => s.closedAt !== null && Date.parse(s.startsAt) > now);
  const timesOf = (ids: number[]) =>
    slots
      .filter((s) => ids.includes(s.id))
      .map((s) => formatTime(s.startsAt, i18n.language, timeZone))
      .join(t('common.listSeparator'));
  const reopenProps = {
    code,
    venueId,
    date,
    onDone: (report: ReopenReport) => {
      // Said with the times as they are now: the day reloads under it.
      const message = [
        report.reopenedSlotIds.length > 0
          ? t('schedule.reopened', { times: timesOf(report.reopenedSlotIds) })
          : t('schedule.nothingReopened'),
        report.stillClosedSlotIds.length > 0 ? t('schedule.stillClosed', { times: timesOf(report.stillClosedSlotIds) }) : '',
      ]
        .filter(Boolean)
        .join(' ');
      setClosing(undefined);
      setReopening({ message });
      day.retry();
    },
    onFailed: (problem: ApiProblem) => setReopening({ problem }),
  };

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
          setReopening(undefined);
        }}
        width="medium"
      />
      {reopening && 'message' in reopening && <Done message={reopening.message} />}
      {reopening && 'problem' in reopening && (
        <div className="notice notice-error" role="alert">
          <p>{problemMessage(t, reopening.problem)}</p>
        </div>
      )}
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
                          <div className="row-actions">
                            {reopenable.includes(slot) && (
                              <ReopenButton {...reopenProps} slotId={slot.id} label={t('schedule.reopenSlot', { time })} />
                            )}
                            {slot.closedAt === null || slot.booked > 0 ? (
                              <button
                                type="button"
                                className="button button-secondary button-small"
                                onClick={() => setClosing({ slots: [slot], wholeDay: false })}
                              >
                                {slot.closedAt === null ? t('schedule.closeSlot', { time }) : t('schedule.resolveSlot', { time })}
                              </button>
                            ) : null}
                          </div>
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
          {reopenable.length > 1 && <ReopenButton {...reopenProps} label={t('schedule.reopenDay')} />}
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
