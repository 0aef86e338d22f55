import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { call, client, setCsrfToken, whenSessionEnds } from '../api/client';
import type { Membership, StaffAccount } from '../api/types';

type MunicipalityAction = Membership['actions'][number];

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; ended: boolean }
  | { status: 'signed-in'; account: StaffAccount; superAdmin: boolean; memberships: Membership[] };

interface SessionApi {
  state: SessionState;
  /** After sign-in, enrolment or a password reset: the answer's CSRF token, then one's memberships. */
  started(answer: { csrfToken: string; account: StaffAccount }): Promise<void>;
  signOut(): Promise<void>;
  signOutEverywhere(): Promise<void>;
  /** Whether the signed-in person may do this in that municipality (super-administrators: everything). */
  may(municipalityCode: string, action: MunicipalityAction): boolean;
  /** The person's own actions in that municipality; undefined when they do not work there. */
  membership(municipalityCode: string): Membership | undefined;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in state of the whole app: checked once on opening, ended at once by any 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [, navigate] = useLocation();

  const load = useCallback(async (account: StaffAccount) => {
    const { superAdmin, memberships } = await call((signal) => client.GET('/api/v1/staff/me/memberships', { signal }));
    setState({ status: 'signed-in', account, superAdmin, memberships });
  }, []);

  useEffect(() => {
    whenSessionEnds(() => {
      setCsrfToken(undefined);
      setState((previous) => (previous.status === 'signed-in' ? { status: 'signed-out', ended: true } : previous));
    });
    // The one-time link pages work without a session: no check (and no 401) there.
    if (/\/(enrol|reset-password)$/.test(window.location.pathname)) {
      setState({ status: 'signed-out', ended: false });
      return;
    }
    call((signal) => client.GET('/api/v1/staff/me', { signal })).then(
      async (me) => {
        setCsrfToken(me.csrfToken);
        await load(me.account);
      },
      () => setState({ status: 'signed-out', ended: false }),
    );
  }, [load]);

  const api: SessionApi = {
    state,
    async started(answer) {
      setCsrfToken(answer.csrfToken);
      await load(answer.account);
    },
    async signOut() {
      await call((signal) => client.POST('/api/v1/staff/sign-out', { signal })).catch(() => undefined);
      setCsrfToken(undefined);
      setState({ status: 'signed-out', ended: false });
      navigate('/');
    },
    async signOutEverywhere() {
      await call((signal) => client.POST('/api/v1/staff/sign-out-everywhere', { signal }));
      setCsrfToken(undefined);
      setState({ status: 'signed-out', ended: false });
      navigate('/');
    },
    may(code, action) {
      if (state.status !== 'signed-in') return false;
      return state.superAdmin || (state.memberships.find((m) => m.municipalityCode === code)?.actions.includes(action) ?? false);
    },
    membership(code) {
      return state.status === 'signed-in' ? state.memberships.find((m) => m.municipalityCode === code) : undefined;
    },
  };
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}
