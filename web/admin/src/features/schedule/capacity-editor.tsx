import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { DaySlot } from '../../api/types';
import { problemMessage } from '../../components/problem';

/** One slot's capacity, changed in place; the server refuses it below the bookings and says how many. */
export function CapacityEditor({ code, slot, time, onSaved }: { code: string; slot: DaySlot; time: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(String(slot.capacity));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = `capacity-${slot.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^\d+$/.test(value.trim())) {
      setError(t('schedule.errors.capacity'));
      return;
    }
    setBusy(true);
    try {
      await call((signal) =>
        client.PATCH('/api/v1/staff/municipalities/{municipalityCode}/slots/{slotId}', {
          params: { path: { municipalityCode: code, slotId: slot.id } },
          body: { capacity: Number(value) },
          signal,
        }),
      );
      setError(undefined);
      onSaved();
    } catch (failure) {
      const problem = failure instanceof ApiProblem ? failure : new ApiProblem('internal', 0);
      setError(
        problem.code === 'capacity-below-bookings'
          ? t('schedule.errors.belowBookings', { taken: problem.details.taken })
          : problemMessage(t, problem),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={id} className="visually-hidden">
        {t('schedule.capacityOf', { time })}
      </label>
      <input
        id={id}
        className={`input input-narrow${error ? ' input-error' : ''}`}
        inputMode="numeric"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" className="button button-secondary button-small" disabled={busy}>
        {t('schedule.save')}
        <span className="visually-hidden"> {time}</span>
      </button>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
