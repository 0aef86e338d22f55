import { useTranslation } from 'react-i18next';
import type { CheckInDay } from '../../api/types';

/** The day's counts, large enough to read at arm's length, and the no-show rate. */
export function CheckInFigures({ figures }: { figures: CheckInDay['figures'] }) {
  const { t, i18n } = useTranslation();
  const rate =
    figures.noShowRate === null
      ? t('checkIn.noRate')
      : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(figures.noShowRate);
  const items = [
    ['attended', figures.attended],
    ['noShow', figures.noShow],
    ['expected', figures.expected + figures.overdue],
    ['noShowRate', rate],
  ] as const;
  return (
    <section aria-labelledby="check-in-figures" className="check-in-figures">
      <h2 id="check-in-figures" className="visually-hidden">
        {t('checkIn.figures')}
      </h2>
      <dl>
        {items.map(([key, value]) => (
          <div key={key}>
            <dt>{t(`checkIn.figure.${key}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {figures.overdue > 0 && <p className="check-in-overdue">{t('checkIn.overdue', { count: figures.overdue })}</p>}
    </section>
  );
}
