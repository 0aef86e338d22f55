import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../api/client';
import { problemMessage } from './problem-message';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A page's data could not be loaded: say why in plain words and offer to try again. */
export function LoadError({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      <p>{problemMessage(t, problem)}</p>
      {problem.retryable && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
