import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiProblem, call, client } from '../../api/client';
import type { Generated, TemplateInput, TemplatePreview } from '../../api/types';
import { Checkbox, ErrorSummary, Fieldset, SubmitButton, TextField, fieldId, type FormErrors } from '../../components/form';
import { BackLink, Page } from '../../components/page';
import { fieldMessage, problemToErrors } from '../../components/problem';
import { Done, LoadError, Loading } from '../../components/status';
import { formatDateTime, placesText, todayIn } from './schedule-format';
import { useMunicipality } from './use-municipality';

const NUMBERS = ['intervalMinutes', 'durationMinutes', 'capacity', 'opensDaysBefore', 'closesDaysBefore'] as const;
type DraftText = 'from' | 'to' | 'startTime' | 'endTime' | 'opensAtTime' | 'closesAtTime';
type Draft = Record<(typeof NUMBERS)[number] | DraftText, string> & { weekdays: number[] };

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A slot template for one venue: dates, weekdays, times every N minutes, duration, capacity and the
 * booking window. Preview first (which slots are new, which meet existing ones), then generate.
 */
export function TemplatePage({ code, venueId }: { code: string; venueId: number }) {
  const municipality = useMunicipality(code);
  if (municipality.state === 'loading') return <Loading />;
  if (municipality.state === 'failed') return <LoadError problem={municipality.problem} onRetry={municipality.retry} />;
  return <TemplateForm code={code} venueId={venueId} timeZone={municipality.data.timeZone} />;
}

function TemplateForm({ code, venueId, timeZone }: { code: string; venueId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const start = addDays(todayIn(timeZone), 14);
  const [draft, setDraft] = useState<Draft>({
    from: start,
    to: addDays(start, 6),
    weekdays: [1, 2, 3, 4, 5],
    startTime: '09:00',
    endTime: '12:00',
    intervalMinutes: '30',
    durationMinutes: '30',
    capacity: '20',
    opensDaysBefore: '14',
    opensAtTime: '09:00',
    closesDaysBefore: '1',
    closesAtTime: '17:00',
  });
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<TemplatePreview>();
  const [generated, setGenerated] = useState<Generated>();
  const label = (field: string) => t(`schedule.template.${field}`);
  const set = (field: keyof Draft) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setPreview(undefined);
    setGenerated(undefined);
  };

  function body(): TemplateInput | undefined {
    const found: FormErrors = {};
    for (const field of NUMBERS)
      if (!/^\d+$/.test(draft[field].trim())) found[fieldId(field)] = t('schedule.errors.number', { field: label(field) });
    if (draft.weekdays.length === 0) found[fieldId('weekdays')] = t('schedule.errors.weekdays');
    setErrors(found);
    if (Object.keys(found).length > 0) return undefined;
    const n = (field: (typeof NUMBERS)[number]) => Number(draft[field]);
    return {
      from: draft.from,
      to: draft.to,
      weekdays: draft.weekdays,
      startTime: draft.startTime,
      endTime: draft.endTime,
      intervalMinutes: n('intervalMinutes'),
      durationMinutes: n('durationMinutes'),
      capacity: n('capacity'),
      opensDaysBefore: n('opensDaysBefore'),
      opensAtTime: draft.opensAtTime,
      closesDaysBefore: n('closesDaysBefore'),
      closesAtTime: draft.closesAtTime,
    };
  }

  async function send(kind: 'preview' | 'generate') {
    const input = body();
    if (!input) return;
    setBusy(true);
    try {
      const path = { municipalityCode: code, venueId };
      if (kind === 'preview') {
        setPreview(
          await call((signal) =>
            client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/templates/preview', {
              params: { path },
              body: input,
              signal,
            }),
          ),
        );
        setGenerated(undefined);
      } else {
        setGenerated(
          await call((signal) =>
            client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/templates', {
              params: { path },
              body: input,
              signal,
            }),
          ),
        );
        setPreview(undefined);
      }
    } catch (error) {
      setErrors(
        problemToErrors(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0), (p) => {
          const field = p.replace(/^body\./, '').split(/[./]/)[0]!;
          if (field === 'times') return { label: label('startTime'), path: 'startTime' };
          return field in draft ? label(field) : undefined;
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send('preview');
  };
  const toggleDay = (day: number) => (checked: boolean) => {
    setDraft((d) => ({ ...d, weekdays: checked ? [...d.weekdays, day].sort() : d.weekdays.filter((w) => w !== day) }));
    setPreview(undefined);
  };
  const field = (name: (typeof NUMBERS)[number] | DraftText, type: string, width: 'narrow' | 'medium' = 'medium') => (
    <TextField
      id={fieldId(name)}
      label={label(name)}
      type={type}
      inputMode={type === 'text' ? 'numeric' : undefined}
      value={draft[name]}
      error={fieldMessage(errors, name)}
      onChange={set(name)}
      width={width}
    />
  );

  return (
    <Page title={t('schedule.templateTitle')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/m/${code}/venues`} label={t('schedule.backToVenues')} />
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <div className="filters">
          {field('from', 'date')}
          {field('to', 'date')}
        </div>
        <Fieldset legend={label('weekdays')} id={fieldId('weekdays')} error={fieldMessage(errors, 'weekdays')}>
          <div className="checkbox-row">
            {[1, 2, 3, 4, 5, 6, 7].map((day) => (
              <Checkbox
                key={day}
                id={`weekday-${day}`}
                label={t(`schedule.weekdays.${day}`)}
                checked={draft.weekdays.includes(day)}
                onChange={toggleDay(day)}
              />
            ))}
          </div>
        </Fieldset>
        <div className="filters">
          {field('startTime', 'time')}
          {field('endTime', 'time')}
          {field('intervalMinutes', 'text', 'narrow')}
          {field('durationMinutes', 'text', 'narrow')}
          {field('capacity', 'text', 'narrow')}
        </div>
        <Fieldset legend={t('schedule.template.window')} hint={t('schedule.template.windowHint', { timeZone })}>
          <div className="filters">
            {field('opensDaysBefore', 'text', 'narrow')}
            {field('opensAtTime', 'time')}
            {field('closesDaysBefore', 'text', 'narrow')}
            {field('closesAtTime', 'time')}
          </div>
        </Fieldset>
        <SubmitButton busy={busy} variant="secondary">
          {t('schedule.preview')}
        </SubmitButton>
      </form>

      {generated && (
        <>
          <Done message={t('schedule.generated', { created: generated.created, skipped: generated.skipped.length })} />
          <p>
            <Link href={`/m/${code}/venues/${venueId}/day?date=${draft.from}`} className="link-block">
              {t('schedule.seeDays')}
            </Link>
          </p>
        </>
      )}
      {preview && (
        <section aria-labelledby="preview-title">
          <h2 id="preview-title">{t('schedule.previewTitle')}</h2>
          <p role="status">{t('schedule.previewSummary', preview.summary)}</p>
          <button type="button" className="button" disabled={busy || preview.summary.new === 0} onClick={() => void send('generate')}>
            {t('schedule.generate', { count: preview.summary.new })}
          </button>
          <div className="table-wrap" role="region" aria-labelledby="preview-caption" tabIndex={0}>
            <table className="table">
              <caption id="preview-caption">{t('schedule.previewCaption', { count: preview.slots.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('schedule.startsAt')}</th>
                  <th scope="col">{t('schedule.places')}</th>
                  <th scope="col">{t('schedule.bookingOpens')}</th>
                  <th scope="col">{t('schedule.bookingCloses')}</th>
                  <th scope="col">{t('schedule.state')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.slots.slice(0, 500).map((slot) => (
                  <tr key={slot.startsAt} className={slot.overlap ? 'row-warning' : undefined}>
                    <td>{formatDateTime(slot.startsAt, i18n.language, timeZone)}</td>
                    <td>{placesText(slot.capacity, slot.extraPlaces)}</td>
                    <td>{formatDateTime(slot.opensAt, i18n.language, timeZone)}</td>
                    <td>{formatDateTime(slot.closesAt, i18n.language, timeZone)}</td>
                    <td>
                      {slot.overlap
                        ? t(`schedule.overlap.${slot.overlap.kind}`, {
                            time: formatDateTime(slot.overlap.startsAt, i18n.language, timeZone),
                          })
                        : t('schedule.overlap.new')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Page>
  );
}
