import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, useLocation, useSearch } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Booking, Me, Reservation, Slot } from '../../api/types';
import { ErrorSummary, FORM, SubmitButton, type FormErrors } from '../../components/form';
import { Page } from '../../components/page';
import { problemMessage } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useFormat } from '../../i18n/format';
import { useLocalName, useMunicipality } from '../../session/municipality';
import { useSession } from '../../session/session';
import { calmMinutes, useSecondsLeft } from '../sign-in/countdown';
import { localeOf } from '../../i18n/format';
import { bookingQuery, rememberBooking, useBookingParams } from './booking-params';
import { useVenueWords } from './venue-texts';
import { useVenue } from './use-venue';
import { journeyStep } from '../journey-step';

/** Check your answers: everything repeated in large type, each with a link to change it. */
export function ConfirmPage({ me, venueId, date, slotId }: { me: Me; venueId: number; date: string; slotId: number }) {
  const { t, i18n } = useTranslation();
  const municipality = useMunicipality();
  const localName = useLocalName();
  const venueWords = useVenueWords();
  const format = useFormat(municipality.timeZone);
  const session = useSession();
  const [, navigate] = useLocation();
  const params = useBookingParams(me);
  const search = new URLSearchParams(useSearch());
  const holdId = search.get('hold');
  const holdLeft = useSecondsLeft(search.get('until') ?? undefined);
  const venue = useVenue(venueId);
  const slot = useResource(async () => {
    const slots = await api<Slot[]>('GET', `/venues/${venueId}/slots?from=${date}&to=${date}`);
    const found = slots.find((s) => s.id === slotId);
    if (!found) throw new ApiProblem('slot-not-found', 404);
    return found;
  }, [venueId, date, slotId]);
  /**
   * Back after booking comes here again, now for the next dose: the slot this person has just
   * booked is shown as the booking it is, never offered as a new one the dose rules would refuse.
   */
  const madeHere = useResource(async () => {
    if (params.change || params.together) return undefined;
    const mine = await api<Reservation[]>('GET', '/reservations');
    return mine.find((r) => r.residentId === params.person.id && r.status === 'booked' && r.slot.id === slotId);
  }, [slotId, params.person.id, params.change]);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const query = bookingQuery(params);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      if (params.together) {
        const booked = await api<{ reservations: Reservation[] }>('POST', '/reservations/together', {
          slotId,
          residentIds: params.together.map((p) => p.id),
        });
        await session.reload();
        for (const r of booked.reservations) rememberBooking(r.residentId, r.number);
        navigate(`/booked?numbers=${booked.reservations.map((r) => r.number).join(',')}`, { replace: true });
        return;
      }
      const reservation: Booking = params.change
        ? await api<Reservation>('POST', `/reservations/${params.change}/change`, { slotId })
        : await api<Booking>('POST', '/reservations', { slotId, residentId: params.person.id });
      await session.reload();
      if (!params.change) rememberBooking(params.person.id, reservation.number);
      const done = new URLSearchParams({ done: params.change ? 'changed' : 'booked' });
      if (reservation.followUp) done.set('followUp', reservation.followUp.number);
      // Replaces this page in the history: Back from the confirmation leads to the times, not to a second booking.
      navigate(`/reservations/${reservation.number}?${done.toString()}`, { replace: true });
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      // A first press whose answer was lost (timeout, dropped connection) may have booked; the
      // second press is then refused by the dose rules (that dose is taken). If the person does
      // hold a booking of this very slot, that is the one: show it rather than an error.
      const refusedByRules = problem.status === 409 || problem.status === 422;
      const earlier = refusedByRules && !params.change && !params.together ? await bookedHere().catch(() => undefined) : undefined;
      const stopped = params.together?.find((p) => p.id === problem.details.residentId);
      if (params.together && problem.code === 'slot-full') setErrors({ [FORM]: t('together.full') });
      else if (stopped) setErrors({ [FORM]: `${stopped.nameKanji}: ${problemMessage(t, problem)}` });
      else if (earlier) navigate(`/reservations/${earlier.number}?done=booked`, { replace: true });
      else if (problem.code === 'network' || problem.code === 'timeout') setErrors({ [FORM]: t('confirm.noAnswer') });
      else setErrors({ [FORM]: problemMessage(t, problem) });
    } finally {
      setBusy(false);
    }
  }

  async function bookedHere(): Promise<Reservation | undefined> {
    const mine = await api<Reservation[]>('GET', '/reservations');
    return mine.find(
      (r) => r.residentId === params.person.id && r.status === 'booked' && r.slot.id === slotId && r.dose === params.window?.dose,
    );
  }

  /** Going back gives the held place to others at once instead of after the hold runs out. */
  function releaseHold() {
    if (holdId) void api('DELETE', `/holds/${holdId}`).catch(() => undefined);
  }

  const timesHref = `/book/${venueId}/${date}${query}`;
  const dose = params.window?.dose;
  if (madeHere.state === 'ready' && madeHere.data && !busy) return <Redirect to={`/reservations/${madeHere.data.number}`} replace />;
  return (
    <Page
      title={params.change ? t('confirm.titleChange') : t('confirm.title')}
      caption={journeyStep(t, 'confirm')}
      hasErrors={Object.keys(errors).length > 0}
    >
      <p className="back" onClickCapture={releaseHold}>
        <Link href={timesHref} className="back-link">
          {t('booking.backToTimes')}
        </Link>
      </p>
      <ErrorSummary errors={errors} />
      {(slot.state === 'loading' || venue.state === 'loading') && <Loading />}
      {slot.state === 'failed' && <LoadError problem={slot.problem} onRetry={slot.retry} />}
      {venue.state === 'failed' && <LoadError problem={venue.problem} onRetry={venue.retry} />}
      {slot.state === 'ready' && venue.state === 'ready' && (
        <>
          <dl className="summary">
            <SummaryRow
              label={t('confirm.person')}
              value={(params.together ?? [params.person]).map((p) => p.nameKanji).join(t('mine.separator'))}
            />
            {dose !== undefined && <SummaryRow label={t('confirm.dose')} value={t('confirm.doseValue', { dose })} />}
            <SummaryRow
              label={t('confirm.venue')}
              value={venueWords(venue.data).name}
              href={`/book${query}`}
              change={t('confirm.changeVenue')}
            />
            <SummaryRow
              label={t('confirm.date')}
              value={format.dayOf(slot.data.startsAt)}
              href={`/book/${venueId}${query}`}
              change={t('confirm.changeDate')}
            />
            <SummaryRow
              label={t('confirm.time')}
              value={format.time(slot.data.startsAt)}
              href={timesHref}
              change={t('confirm.changeTime')}
            />
            <SummaryRow label={t('confirm.vaccine')} value={localName(venue.data.vaccine)} />
            <SummaryRow label={t('confirm.address')} value={venueWords(venue.data).address} />
          </dl>
          {holdId && (
            <p className="notice" role="status">
              {holdLeft > 0 ? t('confirm.held', { time: calmMinutes(localeOf(i18n.language), holdLeft) }) : t('confirm.holdOver')}
            </p>
          )}
          <form onSubmit={confirm} noValidate>
            <SubmitButton busy={busy}>{params.change ? t('confirm.submitChange') : t('confirm.submit')}</SubmitButton>
          </form>
          {params.change && <p className="hint">{t('confirm.changeSafe')}</p>}
        </>
      )}
    </Page>
  );
}

function SummaryRow({ label, value, href, change }: { label: string; value: string; href?: string; change?: string }) {
  return (
    <div className="summary-row">
      <dt>{label}</dt>
      <dd className="summary-value">{value}</dd>
      {href && change && (
        <dd className="summary-action">
          <Link href={href}>{change}</Link>
        </dd>
      )}
    </div>
  );
}
