import { useTranslation } from 'react-i18next';
import type { CheckInEntry } from '../../api/types';
import { formatReservationNumber } from '../../../../shared/reservation-number';

/** A reservation number as it is printed and read out: XXXX-XXXX. */
export const shown = formatReservationNumber;

export type MarkKind = 'attended' | 'no-show' | 'undo';

/** One person of the day: when, who, which dose, and the buttons of their next step (or undo). */
export function PersonCard({
  entry,
  canMark,
  busy,
  onMark,
}: {
  entry: CheckInEntry;
  canMark: boolean;
  busy: boolean;
  onMark: (kind: MarkKind) => void;
}) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  return (
    <li className={`check-in-person check-in-${entry.status}`}>
      <p className="check-in-time">
        <span>{entry.time}</span> <span className="check-in-status">{t(`checkIn.status.${entry.status}`)}</span>
      </p>
      <p className="check-in-name" lang="ja">
        {entry.name}
        <span className="check-in-kana">{entry.nameKana}</span>
      </p>
      <dl className="check-in-facts">
        <dt>{t('checkIn.number')}</dt>
        <dd className="number">{shown(entry.number)}</dd>
        <dt>{t('checkIn.birthDate')}</dt>
        <dd>{entry.birthDate}</dd>
        <dt>{t('checkIn.dose')}</dt>
        <dd>
          {t('checkIn.doseNumber', { dose: entry.dose })} · {ja ? entry.vaccine.nameJa : entry.vaccine.nameEn}
        </dd>
        {entry.lotNumber && (
          <>
            <dt>{t('checkIn.lotNumber')}</dt>
            <dd>{entry.lotNumber}</dd>
          </>
        )}
      </dl>
      {canMark && (
        <div className="check-in-buttons">
          {entry.status === 'booked' ? (
            <>
              <button
                type="button"
                className="button check-in-attended-button"
                disabled={busy}
                onClick={() => onMark('attended')}
                aria-label={t('checkIn.attendedFor', { name: entry.name })}
              >
                {t('checkIn.attended')}
              </button>
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={() => onMark('no-show')}
                aria-label={t('checkIn.noShowFor', { name: entry.name })}
              >
                {t('checkIn.noShow')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => onMark('undo')}
              aria-label={t('checkIn.undoFor', { name: entry.name })}
            >
              {t('checkIn.undo')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
