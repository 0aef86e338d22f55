import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { OperatorSlot, PhoneBooked } from '../../api/types';
import { ErrorSummary, FORM, Fieldset, SelectField, SubmitButton, fieldId, type FormErrors } from '../../components/form';
import { problemMessage } from '../../components/problem';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { slotCountsText, type callFormats } from './format';
import { formatReservationNumber } from '../../../../shared/reservation-number';

const DAYS = 28;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

interface Existing {
  number: string;
  dose: number;
  startsAt: string;
  venue: string;
}

/**
 * Booking on the phone (or moving a booking, `changing`): venue, then date, then time, each time
 * with the web's and the telephone's counts (`3/5 (phone 1/3)`); an operator may take any free place.
 * A person who holds a booking already is booked only once the operator confirms the caller wants
 * another (the server's existing-booking answer, read out from the warning).
 */
export function BookingForm({
  code,
  residentId,
  personName,
  changing,
  formats,
  onDone,
  onCancel,
}: {
  code: string;
  residentId: number;
  personName: string;
  changing?: string;
  formats: ReturnType<typeof callFormats>;
  onDone: (booked: PhoneBooked) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const venues = useResource(
    () => call((signal) => client.GET('/api/v1/municipalities/{code}/venues', { params: { path: { code } }, signal })),
    [code],
  );
  const [venueId, setVenueId] = useState<number | undefined>();
  const [date, setDate] = useState<string>('');
  const [slotId, setSlotId] = useState<number | undefined>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [existing, setExisting] = useState<Existing[] | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (venues.state === 'ready' && venueId === undefined && venues.data[0]) setVenueId(venues.data[0].id);
  }, [venues, venueId]);

  const slots = useResource<OperatorSlot[]>(() => {
    if (venueId === undefined) return Promise.resolve([]);
    const from = isoDate(new Date());
    const to = isoDate(new Date(Date.now() + DAYS * 86_400_000));
    return call((signal) =>
      client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/venues/{venueId}/slots', {
        params: { path: { municipalityCode: code, venueId }, query: { from, to } },
        signal,
      }),
    );
  }, [code, venueId]);

  const byDate = useMemo(() => {
    const map = new Map<string, OperatorSlot[]>();
    if (slots.state !== 'ready') return map;
    for (const slot of slots.data) {
      if (!slot.bookable) continue;
      const day = formats.localDate(slot.startsAt);
      map.set(day, [...(map.get(day) ?? []), slot]);
    }
    return map;
  }, [slots, formats]);

  useEffect(() => {
    if (byDate.size > 0 && !byDate.has(date)) setDate([...byDate.keys()][0]!);
  }, [byDate, date]);

  async function send(acknowledgeExisting: boolean) {
    if (slotId === undefined) {
      setErrors({ [fieldId('slot')]: t('callCentre.book.pickTime') });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const booked = changing
        ? await call((signal) =>
            client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations/{number}/change', {
              params: { path: { municipalityCode: code, number: changing } },
              body: { slotId },
              signal,
            }),
          )
        : await call((signal) =>
            client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations', {
              params: { path: { municipalityCode: code } },
              body: { residentId, slotId, acknowledgeExisting },
              signal,
            }),
          );
      onDone(booked);
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      if (problem.code === 'existing-booking') {
        setExisting((problem.details.existing as Existing[] | undefined) ?? []);
      } else {
        setErrors({ [FORM]: problemMessage(t, problem) });
        slots.retry();
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(false);
  }

  useEffect(() => {
    if (existing) document.getElementById('existing-warning')?.focus();
  }, [existing]);

  if (venues.state === 'loading') return <Loading />;
  if (venues.state === 'failed') return <LoadError problem={venues.problem} onRetry={venues.retry} />;
  const times = byDate.get(date) ?? [];
  return (
    <section aria-labelledby="book-title" className="card">
      <h2 id="book-title" className="card-title">
        {changing ? t('callCentre.book.changeTitle', { name: personName }) : t('callCentre.book.title', { name: personName })}
      </h2>
      {existing ? (
        <div className="notice notice-warning" id="existing-warning" tabIndex={-1} role="alert">
          <h3>{t('callCentre.book.existingTitle')}</h3>
          <ul>
            {existing.map((e) => (
              <li key={e.number}>
                {t('callCentre.book.existingLine', {
                  number: formatReservationNumber(e.number),
                  dose: e.dose,
                  when: formats.dateTime(e.startsAt),
                  venue: e.venue,
                })}
              </li>
            ))}
          </ul>
          <p>{t('callCentre.book.existingAsk')}</p>
          <div className="row-actions">
            <button type="button" className="button button-warning" disabled={busy} onClick={() => void send(true)}>
              {t('callCentre.book.bookAnyway')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setExisting(undefined)}>
              {t('callCentre.book.dontBook')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <ErrorSummary errors={errors} />
          <SelectField
            id={fieldId('venue')}
            label={t('callCentre.book.venue')}
            value={venueId === undefined ? '' : String(venueId)}
            options={venues.data.map((v) => ({
              value: String(v.id),
              label: `${i18n.language === 'ja' ? v.nameJa : v.nameEn} (${i18n.language === 'ja' ? v.vaccine.nameJa : v.vaccine.nameEn})`,
            }))}
            onChange={(value) => {
              setVenueId(Number(value));
              setSlotId(undefined);
            }}
          />
          {slots.state === 'loading' && <Loading />}
          {slots.state === 'failed' && <LoadError problem={slots.problem} onRetry={slots.retry} />}
          {slots.state === 'ready' && byDate.size === 0 && <p>{t('callCentre.book.noSlots')}</p>}
          {byDate.size > 0 && (
            <>
              <SelectField
                id={fieldId('date')}
                label={t('callCentre.book.date')}
                value={date}
                options={[...byDate.keys()].map((day) => ({ value: day, label: formats.dayLabel(day) }))}
                onChange={(value) => {
                  setDate(value);
                  setSlotId(undefined);
                }}
              />
              <Fieldset
                legend={t('callCentre.book.time')}
                hint={t('callCentre.book.countsHint')}
                id={fieldId('slot')}
                error={errors[fieldId('slot')]}
              >
                <div className="radios">
                  {times.map((slot) => (
                    <div className="radio" key={slot.id}>
                      <input
                        type="radio"
                        id={`slot-${slot.id}`}
                        name="slot"
                        value={slot.id}
                        checked={slotId === slot.id}
                        onChange={() => setSlotId(slot.id)}
                      />
                      <label htmlFor={`slot-${slot.id}`}>
                        <span className="slot-time">{formats.time(slot.startsAt)}</span>{' '}
                        <span className="slot-counts">{slotCountsText(t, slot)}</span>
                      </label>
                    </div>
                  ))}
                </div>
              </Fieldset>
            </>
          )}
          <div className="row-actions">
            <SubmitButton busy={busy}>{changing ? t('callCentre.book.changeSubmit') : t('callCentre.book.submit')}</SubmitButton>
            <button type="button" className="button button-secondary" onClick={onCancel}>
              {t('callCentre.book.back')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
