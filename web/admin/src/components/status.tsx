import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../api/client';
import { problemMessage } from './problem';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A page's data could not be loaded: say why and, when it may help, offer to try again. */
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

/** A change went through: said once, politely, where the person is looking. */
export function Done({ message }: { message: string }) {
  return (
    <div className="notice notice-success" role="status">
      <p>{message}</p>
    </div>
  );
}
