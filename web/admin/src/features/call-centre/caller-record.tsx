import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { CallerRecord as Record_, CallerReservation, CallScripts, PhoneBooked } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, fieldId, type FormErrors } from '../../components/form';
import { problemMessage } from '../../components/problem';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { BookingForm } from './booking-form';
import type { callFormats } from './format';
import { ScriptLines } from './script-lines';
import { formatReservationNumber } from '../../../../shared/reservation-number';

type Formats = ReturnType<typeof callFormats>;
type Booking = { residentId: number; name: string; changing?: string };

export const postcardUrl = (code: string, number: string, language: string) =>
  `/api/v1/staff/municipalities/${code}/call-centre/reservations/${number}/postcard?language=${language === 'ja' ? 'ja' : 'en'}`;

/**
 * The caller found: first who they are (name, kana, birth date, address) to confirm with them,
 * and nothing can change until the operator has; then their bookings and family's, booking,
 * changing and cancelling for any of them, and the call notes.
 */
export function CallerRecord({
  code,
  residentId,
  formats,
  scripts,
  onBack,
  onBooked,
}: {
  code: string;
  residentId: number;
  formats: Formats;
  scripts: CallScripts | undefined;
  onBack: () => void;
  onBooked: (booked: PhoneBooked) => void;
}) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const [booking, setBooking] = useState<Booking | undefined>();
  const record = useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/residents/{residentId}', {
          params: { path: { municipalityCode: code, residentId } },
          signal,
        }),
      ),
    [code, residentId],
  );
  useEffect(() => {
    if (record.state === 'ready') document.getElementById(confirmed ? 'caller-actions' : 'confirm-title')?.focus();
  }, [record.state, confirmed]);

  if (record.state === 'loading') return <Loading />;
  if (record.state === 'failed') return <LoadError problem={record.problem} onRetry={record.retry} />;
  const { person, family, reservations, notes } = record.data;
  const nameOf = (id: number) => (id === person.residentId ? person.name : (family.find((f) => f.residentId === id)?.name ?? ''));

  return (
    <>
      <section aria-labelledby="confirm-title" className="card">
        <h2 id="confirm-title" className="card-title" tabIndex={-1}>
          {confirmed ? t('callCentre.confirm.caller') : t('callCentre.confirm.title')}
        </h2>
        <dl className="facts">
          <dt>{t('callCentre.confirm.name')}</dt>
          <dd>{person.name}</dd>
          <dt>{t('callCentre.confirm.kana')}</dt>
          <dd>{person.nameKana}</dd>
          <dt>{t('callCentre.confirm.birthDate')}</dt>
          <dd>{formats.birthDate(person.birthDate)}</dd>
          <dt>{t('callCentre.confirm.address')}</dt>
          <dd>{person.address ?? t('common.none')}</dd>
          <dt>{t('callCentre.confirm.voucher')}</dt>
          <dd>{person.voucherNumber}</dd>
        </dl>
        {!confirmed && (
          <>
            <ScriptLines scripts={scripts} screen="confirm" />
            <div className="row-actions">
              <button type="button" className="button" onClick={() => setConfirmed(true)}>
                {t('callCentre.confirm.yes')}
              </button>
              <button type="button" className="button button-secondary" onClick={onBack}>
                {t('callCentre.confirm.no')}
              </button>
            </div>
          </>
        )}
      </section>
      {confirmed && (
        <>
          {booking ? (
            <>
              <ScriptLines scripts={scripts} screen="book" />
              <BookingForm
                code={code}
                residentId={booking.residentId}
                personName={booking.name}
                changing={booking.changing}
                formats={formats}
                onDone={onBooked}
                onCancel={() => setBooking(undefined)}
              />
            </>
          ) : (
            <div id="caller-actions" tabIndex={-1} className="row-actions">
              <button type="button" className="button" onClick={() => setBooking({ residentId: person.residentId, name: person.name })}>
                {t('callCentre.record.book', { name: person.name })}
              </button>
              <button type="button" className="button button-secondary" onClick={onBack}>
                {t('callCentre.record.nextCall')}
              </button>
            </div>
          )}
          <Reservations
            code={code}
            reservations={reservations}
            formats={formats}
            nameOf={nameOf}
            onChange={(r) => setBooking({ residentId: r.residentId, name: nameOf(r.residentId), changing: r.number })}
            onCancelled={record.retry}
          />
          {family.length > 0 && (
            <section aria-labelledby="family-title">
              <h2 id="family-title">{t('callCentre.record.family')}</h2>
              <ul className="link-list">
                {family.map((member) => (
                  <li key={member.residentId}>
                    {member.name} ({member.nameKana}, {formats.birthDate(member.birthDate)}){' '}
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setBooking({ residentId: member.residentId, name: member.name })}
                    >
                      {t('callCentre.record.book', { name: member.name })}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Notes code={code} residentId={person.residentId} notes={notes} formats={formats} onAdded={record.retry} />
        </>
      )}
    </>
  );
}

function Reservations({
  code,
  reservations,
  formats,
  nameOf,
  onChange,
  onCancelled,
}: {
  code: string;
  reservations: CallerReservation[];
  formats: Formats;
  nameOf: (id: number) => string;
  onChange: (reservation: CallerReservation) => void;
  onCancelled: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [cancelling, setCancelling] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  async function cancel(number: string) {
    try {
      await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/reservations/{number}/cancel', {
          params: { path: { municipalityCode: code, number } },
          signal,
        }),
      );
      setCancelling(undefined);
      onCancelled();
    } catch (error) {
      setProblem(problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)));
    }
  }
  return (
    <section aria-labelledby="reservations-title">
      <h2 id="reservations-title">{t('callCentre.record.reservations')}</h2>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {reservations.length === 0 ? (
        <p>{t('callCentre.record.noReservations')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="reservations-title">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('callCentre.record.number')}</th>
                <th scope="col">{t('callCentre.record.person')}</th>
                <th scope="col">{t('callCentre.record.when')}</th>
                <th scope="col">{t('callCentre.record.venue')}</th>
                <th scope="col">{t('callCentre.record.status')}</th>
                <th scope="col">{t('callCentre.record.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {reservations.map((r) => (
                <tr key={r.number}>
                  <td className="tabular">{formatReservationNumber(r.number)}</td>
                  <td>
                    {nameOf(r.residentId)} {t('callCentre.record.dose', { n: r.dose })}
                  </td>
                  <td>{formats.dateTime(r.slot.startsAt)}</td>
                  <td>{i18n.language === 'ja' ? r.venue.nameJa : r.venue.nameEn}</td>
                  <td>{t(`callCentre.status.${r.status}`)}</td>
                  <td>
                    {r.status === 'booked' && (
                      <div className="row-actions">
                        <button type="button" className="button button-secondary button-small" onClick={() => onChange(r)}>
                          {t('callCentre.record.change')}
                        </button>
                        {cancelling === r.number ? (
                          <button type="button" className="button button-warning button-small" onClick={() => void cancel(r.number)}>
                            {t('callCentre.record.confirmCancel')}
                          </button>
                        ) : (
                          <button type="button" className="button button-secondary button-small" onClick={() => setCancelling(r.number)}>
                            {t('callCentre.record.cancel')}
                          </button>
                        )}
                        <a
                          className="button button-secondary button-small"
                          href={postcardUrl(code, r.number, i18n.language)}
                          target="_blank"
                          rel="noopener"
                        >
                          {t('callCentre.record.postcard')}
                        </a>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Notes({
  code,
  residentId,
  notes,
  formats,
  onAdded,
}: {
  code: string;
  residentId: number;
  notes: Record_['notes'];
  formats: Formats;
  onAdded: () => void;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/call-centre/residents/{residentId}/notes', {
          params: { path: { municipalityCode: code, residentId } },
          body: { body },
          signal,
        }),
      );
      setBody('');
      onAdded();
    } catch (error) {
      setErrors({ [FORM]: problemMessage(t, error instanceof ApiProblem ? error : new ApiProblem('internal', 0)) });
    } finally {
      setBusy(false);
    }
  }
  const id = fieldId('note');
  return (
    <section aria-labelledby="notes-title">
      <h2 id="notes-title">{t('callCentre.notes.title')}</h2>
      {notes.length === 0 ? (
        <p>{t('callCentre.notes.none')}</p>
      ) : (
        <ul className="call-notes">
          {notes.map((note) => (
            <li key={note.id}>
              <p className="hint">{t('callCentre.notes.by', { name: note.by.name ?? note.by.accountId, at: formats.dateTime(note.at) })}</p>
              <p>{note.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} />
        <div className="field">
          <label htmlFor={id} className="label">
            {t('callCentre.notes.add')}
          </label>
          <textarea id={id} className="textarea" rows={3} maxLength={500} value={body} onChange={(event) => setBody(event.target.value)} />
        </div>
        <SubmitButton busy={busy} variant="secondary">
          {t('callCentre.notes.save')}
        </SubmitButton>
      </form>
    </section>
  );
}
