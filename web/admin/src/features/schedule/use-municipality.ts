import { call, client } from '../../api/client';
import { useResource } from '../../components/use-resource';

/** The municipality's record: its names and time zone (slot times are shown in it). */
export function useMunicipality(code: string) {
  return useResource(
    () =>
      call((signal) =>
        client.GET('/api/v1/staff/municipalities/{municipalityCode}', { params: { path: { municipalityCode: code } }, signal }),
      ),
    [code],
  );
}
