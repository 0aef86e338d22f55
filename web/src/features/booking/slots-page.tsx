import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, Redirect } from 'wouter';
import { api, ApiProblem } from '../../api/client';
import type { Hold, Me, Slot } from '../../api/types';
import { ErrorSummary, FORM, type FormErrors } from '../../components/form';
import { MarkLabel, MarkLegend } from '../../components/mark';
import { BackLink, Page } from '../../components/page';
import { problemMessage } from '../../components/problem-message';
import { LoadError, Loading } from '../../components/status';
import { useResource } from '../../components/use-resource';
import { useFormat } from '../../i18n/format';
import { useMunicipality } from '../../session/municipality';
import { bookingQuery, useBookingMade, useBookingParams } from './booking-params';
import { useVenueWords } from './venue-texts';
import { PersonBanner } from './person-banner';
import { useVenue } from './use-venue';
import { journeyStep } from '../journey-step';

/**
 * Choose a time. Picking one holds a place for a few minutes, so the confirmation page never
 * ends in "someone else took it".
 */
export function SlotsPage({ me, venueId, date }: { me: Me; venueId: number; date: string }) {
  const { t } = useTranslation();
  const municipality = useMunicipality();
  const venueWords = useVenueWords();
  const format = useFormat(municipality.timeZone);
  const [, navigate] = useLocation();
  const params = useBookingParams(me);
  const made = useBookingMade(params);
  const venue = useVenue(venueId);
  const slots = useResource(() => api<Slot[]>('GET', `/venues/${venueId}/slots?from=${date}&to=${date}`), [venueId, date]);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busySlot, setBusySlot] = useState<number>();

  /** Everyone booked together needs a place: a time with fewer places left is not offered. */
  const needed = params.together?.length ?? 1;

  async function pick(slot: Slot) {
    if (params.together) {
      // No hold: a hold is one person's; the booking of all of them takes the places at once.
      navigate(`/book/${venueId}/${date}/${slot.id}${bookingQuery(params)}`);
      return;
    }
    setBusySlot(slot.id);
    setErrors({});
    try {
      const hold = await api<Hold>('POST', '/holds', {
        slotId: slot.id,
        residentId: params.person.id,
        ...(params.change ? { changing: params.change } : {}),
      });
      const query = new URLSearchParams(bookingQuery(params));
      query.set('hold', String(hold.id));
      query.set('until', hold.expiresAt);
      navigate(`/book/${venueId}/${date}/${slot.id}?${query.toString()}`);
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      setErrors({ [FORM]: problemMessage(t, problem) });
      slots.retry();
    } finally {
      setBusySlot(undefined);
    }
  }

  if (made) return <Redirect to={`/reservations/${made}`} replace />;
  return (
    <Page title={t('booking.timeTitle')} caption={journeyStep(t, 'time')} hasErrors={Object.keys(errors).length > 0}>
      <BackLink href={`/book/${venueId}${bookingQuery(params)}`} label={t('booking.backToDates')} />
      <ErrorSummary errors={errors} />
      <PersonBanner params={params} />
      <p className="context">
        {venue.state === 'ready' ? t('common.pair', { first: format.date(date), second: venueWords(venue.data).name }) : format.date(date)}
      </p>
      <MarkLegend />
      {slots.state === 'loading' && <Loading />}
      {slots.state === 'failed' && <LoadError problem={slots.problem} onRetry={slots.retry} />}
      {slots.state === 'ready' && (
        <ul className="slots">
          {slots.data.map((slot) => {
            const end = new Date(Date.parse(slot.startsAt) + slot.durationMinutes * 60_000).toISOString();
            const open = slot.bookable && slot.mark !== 'full' && slot.remaining >= needed;
            return (
              <li key={slot.id}>
                <button
                  type="button"
                  className={`slot slot-${slot.mark}`}
                  disabled={!open || busySlot !== undefined}
                  onClick={() => void pick(slot)}
                >
                  <span className="slot-time">{t('booking.timeRange', { start: format.time(slot.startsAt), end: format.time(end) })}</span>
                  <MarkLabel mark={open ? slot.mark : 'full'} remaining={slot.remaining} />
                  {slot.bookable && slot.remaining > 0 && slot.remaining < needed && (
                    <span className="slot-note">{t('together.notEnough', { count: needed })}</span>
                  )}
                  {!slot.bookable && slot.remaining > 0 && (
                    <span className="slot-note">
                      {Date.parse(slot.opensAt) > Date.now()
                        ? t('booking.opensAt', { date: format.dayOf(slot.opensAt), time: format.time(slot.opensAt) })
                        : t('booking.notOpenYet')}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {slots.state === 'ready' && slots.data.length === 0 && <p className="notice">{t('booking.noTimes')}</p>}
    </Page>
  );
}
