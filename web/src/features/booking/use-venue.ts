import { api, ApiProblem } from '../../api/client';
import type { Venue } from '../../api/types';
import { useResource } from '../../components/use-resource';
import { useMunicipality } from '../../session/municipality';

/** One venue of the municipality (the list is small and cached by the browser for a minute). */
export function useVenue(venueId: number) {
  const municipality = useMunicipality();
  return useResource(async () => {
    const venues = await api<Venue[]>('GET', `/municipalities/${municipality.code}/venues`);
    const venue = venues.find((v) => v.id === venueId);
    if (!venue) throw new ApiProblem('not-found', 404);
    return venue;
  }, [municipality.code, venueId]);
}
