import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { CloseReport, DaySlot } from '../../api/types';
import { ErrorSummary, Fieldset, SelectField, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { problemToErrors } from '../../components/problem';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { formatDateTime, formatTime } from './schedule-format';
import { formatReservationNumber } from '../../../../shared/reservation-number';

type Choice = 'moveDay' | 'moveSlot' | 'cancel';

/**
 * Closing slots or a day: first the people booked there (an audited view), then where they go —
 * another day (each to the nearest time with room), one slot, or cancelled — and the report.
 */
export function ClosePanel(props: {
  code: string;
  venueId: number;
  date: string;
  timeZone: string;
  slots: DaySlot[];
  wholeDay: boolean;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { code, venueId, date, timeZone, slots, wholeDay } = props;
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const [choice, setChoice] = useState<Choice>('moveDay');
  const [toDate, setToDate] = useState('');
  const [toSlotId, setToSlotId] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<CloseReport>();
  const path = { municipalityCode: code, venueId, date };
  const people = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/people', {
          params: { path, query: wholeDay ? {} : { slotId: slots[0]!.id } },
          signal,
        }),
      ),
    [code, venueId, date, wholeDay, slots[0]?.id],
  );
  const targetDay = useResource(
    () =>
      choice === 'moveSlot' && /^\d{4}-\d{2}-\d{2}$/.test(toDate)
        ? call((signal) =>
            client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}', {
              params: { path: { ...path, date: toDate } },
              signal,
            }),
          )
        : Promise.resolve(undefined),
    [choice, toDate],
  );
  useEffect(() => heading.current?.focus(), []);
  const closingIds = new Set(slots.map((s) => s.id));
  const targets =
    targetDay.state === 'ready' ? (targetDay.data?.slots ?? []).filter((s) => s.closedAt === null && !closingIds.has(s.id)) : [];
  const title = wholeDay
    ? t('schedule.closeDayTitle')
    : t('schedule.closeSlotTitle', { time: formatTime(slots[0]!.startsAt, i18n.language, timeZone) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FormErrors = {};
    if (choice !== 'cancel' && !/^\d{4}-\d{2}-\d{2}$/.test(toDate)) found[fieldId('toDate')] = t('schedule.errors.toDate');
    if (choice === 'moveSlot' && !toSlotId && !found[fieldId('toDate')]) found[fieldId('toSlotId')] = t('schedule.errors.toSlot');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/close', {
          params: { path },
          body: {
            slotIds: wholeDay ? undefined : slots.map((s) => s.id),
            action: choice === 'cancel' ? 'cancel' : 'move',
            ...(choice === 'moveDay' ? { toDate } : choice === 'moveSlot' ? { toSlotId: Number(toSlotId) } : {}),
          },
          signal,
        }),
      );
      setReport(answer);
      props.onDone();
    } catch (error) {
      setErrors(
        problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), (p) =>
          p === 'body.toDate' ? t('schedule.toDate') : p === 'body.toSlotId' ? t('schedule.toSlot') : undefined,
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  const at = (iso: string) => formatDateTime(iso, i18n.language, timeZone);
  return (
    <section className="close-panel" aria-labelledby="close-title">
      <h2 id="close-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {people.state === 'loading' && <Loading />}
      {people.state === 'failed' && <LoadError problem={people.problem} onRetry={people.retry} />}
      {people.state === 'ready' && !report && (
        <>
          <p>{t('schedule.peopleIntro', { count: people.data.length })}</p>
          {people.data.length > 0 && (
            <div className="table-wrap" role="region" aria-labelledby="people-caption" tabIndex={0}>
              <table className="table">
                <caption id="people-caption">{t('schedule.peopleCaption', { count: people.data.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedule.time')}</th>
                    <th scope="col">{t('schedule.name')}</th>
                    <th scope="col">{t('schedule.kana')}</th>
                    <th scope="col">{t('schedule.number')}</th>
                    <th scope="col">{t('schedule.phone')}</th>
                  </tr>
                </thead>
                <tbody>
                  {people.data.map((p) => (
                    <tr key={p.reservationNumber}>
                      <td>{formatTime(p.startsAt, i18n.language, timeZone)}</td>
                      <td lang="ja">{p.nameKanji}</td>
                      <td lang="ja">{p.nameKana}</td>
                      <td>{formatReservationNumber(p.reservationNumber)}</td>
                      <td>{p.phone ?? t('common.none')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ErrorSummary errors={errors} />
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Fieldset legend={t('schedule.whatNext')}>
              {(['moveDay', 'moveSlot', 'cancel'] as const).map((value) => (
                <div className="radio" key={value}>
                  <input
                    id={`choice-${value}`}
                    type="radio"
                    name="choice"
                    value={value}
                    checked={choice === value}
                    onChange={() => setChoice(value)}
                  />
                  <label htmlFor={`choice-${value}`}>{t(`schedule.choices.${value}`)}</label>
                </div>
              ))}
            </Fieldset>
            {choice !== 'cancel' && (
              <TextField
                id={fieldId('toDate')}
                label={t('schedule.toDate')}
                type="date"
                value={toDate}
                error={errors[fieldId('toDate')]}
                onChange={setToDate}
                width="medium"
              />
            )}
            {choice === 'moveSlot' && targets.length > 0 && (
              <SelectField
                id={fieldId('toSlotId')}
                label={t('schedule.toSlot')}
                value={toSlotId}
                error={errors[fieldId('toSlotId')]}
                options={[
                  { value: '', label: t('schedule.chooseSlot') },
                  ...targets.map((s) => ({
                    value: String(s.id),
                    label: t('schedule.slotOption', {
                      time: formatTime(s.startsAt, i18n.language, timeZone),
                      free: Math.max(s.capacity - s.taken, 0),
                    }),
                  })),
                ]}
                onChange={setToSlotId}
              />
            )}
            {choice === 'moveSlot' && targetDay.state === 'ready' && targetDay.data && targets.length === 0 && (
              <p>{t('schedule.noTargets')}</p>
            )}
            <div className="row-actions">
              <SubmitButton busy={busy} variant="warning">
                {choice === 'cancel'
                  ? t('schedule.confirmCancel', { count: people.data.length })
                  : t('schedule.confirmMove', { count: people.data.length })}
              </SubmitButton>
              <button type="button" className="button button-secondary" onClick={props.onCancel}>
                {t('schedule.back')}
              </button>
            </div>
          </form>
        </>
      )}
      {report && (
        <div role="status">
          <h3>{t('schedule.reportTitle')}</h3>
          <p>
            {t('schedule.reportSummary', {
              moved: report.moved.length,
              notMoved: report.notMoved.length,
              cancelled: report.cancelled.length,
            })}
          </p>
          {report.moved.length > 0 && (
            <div className="table-wrap" role="region" aria-labelledby="moved-caption" tabIndex={0}>
              <table className="table">
                <caption id="moved-caption">{t('schedule.movedCaption', { count: report.moved.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedule.name')}</th>
                    <th scope="col">{t('schedule.number')}</th>
                    <th scope="col">{t('schedule.from')}</th>
                    <th scope="col">{t('schedule.to')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.moved.map((m) => (
                    <tr key={m.reservationNumber}>
                      <td lang="ja">{m.nameKanji}</td>
                      <td>{formatReservationNumber(m.reservationNumber)}</td>
                      <td>{at(m.fromStartsAt)}</td>
                      <td>{at(m.toStartsAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.notMoved.length > 0 && (
            <div className="table-wrap" role="region" aria-labelledby="not-moved-caption" tabIndex={0}>
              <table className="table">
                <caption id="not-moved-caption">{t('schedule.notMovedCaption', { count: report.notMoved.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('schedule.name')}</th>
                    <th scope="col">{t('schedule.number')}</th>
                    <th scope="col">{t('schedule.from')}</th>
                    <th scope="col">{t('schedule.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.notMoved.map((m) => (
                    <tr key={m.reservationNumber}>
                      <td lang="ja">{m.nameKanji}</td>
                      <td>{formatReservationNumber(m.reservationNumber)}</td>
                      <td>{at(m.fromStartsAt)}</td>
                      <td>{t(`staffProblems.${m.reason}`, { defaultValue: t(`problems:${m.reason}`, { defaultValue: m.reason }) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.cancelled.length > 0 && (
            <p>
              {t('schedule.cancelledList', { numbers: report.cancelled.map((c) => c.reservationNumber).join(t('common.listSeparator')) })}
            </p>
          )}
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('schedule.closeReport')}
          </button>
        </div>
      )}
    </section>
  );
}
