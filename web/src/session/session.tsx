import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Redirect } from 'wouter';
import { api, ApiProblem, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';
import { LoadError, Loading } from '../components/status';

interface SessionState {
  me?: Me;
  problem?: ApiProblem;
  status: 'unknown' | 'loading' | 'signed-in' | 'signed-out' | 'failed';
}

interface SessionApi extends SessionState {
  /** Reads the account and family again (after sign-in or adding a family member). */
  reload: () => Promise<void>;
  /** Ends this session on the server; throws the problem when the server could not be told. */
  signOut: () => Promise<void>;
  /** Ends every session of the account on every device; throws the problem when the server refused. */
  signOutEverywhere: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

/** The signed-in account: the session itself is an HttpOnly cookie; this holds what /me says. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'unknown' });

  const reload = useCallback(async () => {
    setState((s) => ({ ...s, status: s.me ? s.status : 'loading' }));
    try {
      const me = await api<Me>('GET', '/me');
      setCsrfToken(me.csrfToken);
      setState({ me, status: 'signed-in' });
    } catch (error) {
      const problem = error instanceof ApiProblem ? error : new ApiProblem('internal', 0);
      if (problem.code === 'not-signed-in') {
        setCsrfToken(undefined);
        setState({ status: 'signed-out' });
      } else {
        // A refresh that fails (after booking, say) keeps the account already shown: the page the
        // person is on (the reservation number!) must not turn into an error. Only a first load fails.
        setState((s) => (s.me ? { me: s.me, status: 'signed-in' } : { ...s, problem, status: 'failed' }));
      }
    }
  }, []);

  /**
   * The session ends on the server, not only on this page: on a shared computer, a page that said
   * "signed out" while the cookie still worked would hand the account to the next person.
   */
  const end = useCallback(async (path: '/auth/logout' | '/auth/logout-everywhere') => {
    try {
      await api('POST', path);
    } catch (error) {
      // Already signed out (elsewhere, or expired) is what was asked for; anything else must be said.
      if (!(error instanceof ApiProblem && error.code === 'not-signed-in')) throw error;
    }
    setCsrfToken(undefined);
    setState({ status: 'signed-out' });
  }, []);
  const signOut = useCallback(() => end('/auth/logout'), [end]);
  const signOutEverywhere = useCallback(() => end('/auth/logout-everywhere'), [end]);

  const value = useMemo(() => ({ ...state, reload, signOut, signOutEverywhere }), [state, reload, signOut, signOutEverywhere]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Pages for signed-in people: loads the account once, sends others to sign in. */
export function RequireSession({ children }: { children: (me: Me) => ReactNode }) {
  const session = useSession();
  useEffect(() => {
    if (session.status === 'unknown') void session.reload();
  }, [session]);
  if (session.status === 'signed-out') return <Redirect to="/sign-in" replace />;
  if (session.status === 'failed' && session.problem) return <LoadError problem={session.problem} onRetry={() => void session.reload()} />;
  if (!session.me) return <Loading />;
  return <>{children(session.me)}</>;
}
