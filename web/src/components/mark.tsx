import { useTranslation } from 'react-i18next';
import type { Mark } from '../api/types';

const SYMBOL: Record<Mark, string> = { free: '○', few: '△', full: '×' };

/** ○ / △ / × with words beside them: the symbol alone means little to a screen reader or a newcomer. */
export function MarkLabel({ mark, remaining, compact = false }: { mark: Mark; remaining?: number; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`mark mark-${mark}`}>
      <span className="mark-symbol" aria-hidden="true">
        {SYMBOL[mark]}
      </span>
      <span className={compact ? 'visually-hidden' : 'mark-text'}>
        {t(`marks.${mark}`)}
        {remaining !== undefined && mark !== 'full' && !compact ? ` ${t('marks.remaining', { count: remaining })}` : ''}
      </span>
    </span>
  );
}

export function MarkLegend() {
  const { t } = useTranslation();
  return (
    <p className="legend">
      {(['free', 'few', 'full'] as const).map((mark) => (
        <span key={mark} className={`mark mark-${mark}`}>
          <span className="mark-symbol" aria-hidden="true">
            {SYMBOL[mark]}
          </span>{' '}
          {t(`marks.${mark}`)}
        </span>
      ))}
    </p>
  );
}
