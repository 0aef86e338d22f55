import { useEffect, useState } from 'react';
import { ApiProblem, call, client } from '../../api/client';
import type { Dashboard } from '../../api/types';

export type Live = { state: 'connecting' | 'live' | 'reconnecting'; data?: Dashboard; problem?: ApiProblem };

/**
 * The dashboard, kept current by the server's event stream (EventSource, which reconnects by
 * itself). The first numbers come from the plain GET, so a refused or ended session shows its
 * message like any other page; the stream then replaces them as bookings happen anywhere.
 */
export function useLiveDashboard(code: string): Live {
  const [live, setLive] = useState<Live>({ state: 'connecting' });
  useEffect(() => {
    let open = true;
    call((signal) =>
      client.GET('/api/v1/staff/municipalities/{municipalityCode}/dashboard', { params: { path: { municipalityCode: code } }, signal }),
    ).then(
      (data) => open && setLive((now) => (now.data ? now : { ...now, data })),
      (error: unknown) =>
        open && setLive({ state: 'connecting', problem: error instanceof ApiProblem ? error : new ApiProblem('internal', 0) }),
    );
    const source = new EventSource(`/api/v1/staff/municipalities/${encodeURIComponent(code)}/dashboard/live`);
    source.addEventListener('dashboard', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as Dashboard;
      if (open) setLive({ state: 'live', data });
    });
    source.addEventListener('error', () => open && setLive((now) => ({ ...now, state: 'reconnecting' })));
    return () => {
      open = false;
      source.close();
    };
  }, [code]);
  return live;
}
