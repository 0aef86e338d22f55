import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, call, client } from '../../api/client';
import type { ReopenReport } from '../../api/types';

/**
 * Undoes a closing made by mistake: the slot (or every closed slot of the day) takes bookings
 * again. No confirmation step: nobody is moved or told anything, and it can be closed again.
 */
export function ReopenButton(props: {
  code: string;
  venueId: number;
  date: string;
  /** One slot; the whole day's closed slots when missing. */
  slotId?: number;
  label: string;
  onDone: (report: ReopenReport) => void;
  onFailed: (problem: ApiProblem) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);

  async function reopen() {
    setBusy(true);
    try {
      const report = await call((signal) =>
        client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/reopen', {
          params: { path: { municipalityCode: props.code, venueId: props.venueId, date: props.date } },
          body: props.slotId === undefined ? {} : { slotIds: [props.slotId] },
          signal,
        }),
      );
      props.onDone(report);
    } catch (error) {
      props.onFailed(error instanceof ApiProblem ? error : new ApiProblem('internal', 0));
    } finally {
      setBusy(false);
    }
  }

  return (
    <button type="button" className="button button-secondary button-small" disabled={busy} aria-busy={busy} onClick={() => void reopen()}>
      {busy ? t('common.sending') : props.label}
    </button>
  );
}
