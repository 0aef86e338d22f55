import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../api/client';

export type Resource<T> =
  | { state: 'loading'; retry: () => void }
  | { state: 'failed'; problem: ApiProblem; retry: () => void }
  | { state: 'ready'; data: T; retry: () => void };

/** Loads data for a page; a failure keeps the page up with a message and a retry. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<{ data?: T; problem?: ApiProblem; done: boolean }>({ done: false });
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    setResult((previous) => ({ data: previous.data, done: false }));
    load().then(
      (data) => current && setResult({ data, done: true }),
      (error: unknown) =>
        current && setResult({ problem: error instanceof ApiProblem ? error : new ApiProblem('internal', 0), done: true }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  if (result.problem) return { state: 'failed', problem: result.problem, retry };
  if (result.data !== undefined) return { state: 'ready', data: result.data, retry };
  return { state: 'loading', retry };
}
