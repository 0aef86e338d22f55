import type { Db } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import { campaignPolicy, type CampaignPolicy } from '../reservations/index.js';

export interface Municipality {
  code: string;
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string | null;
  policy: CampaignPolicy;
}

const CACHE_MS = 30_000;

/**
 * Municipalities change rarely and are read on every booking, so they are cached for a short
 * while in each process; a changed setting is seen everywhere within CACHE_MS.
 */
export function createMunicipalitiesRepository(db: Db, clock: Clock) {
  const cache = new Map<string, { at: number; value: Municipality | undefined }>();

  async function load(code: string): Promise<Municipality | undefined> {
    const row = await db.selectFrom('municipalities').selectAll().where('code', '=', code).executeTakeFirst();
    if (!row) return undefined;
    return {
      code: row.code,
      nameJa: row.name_ja,
      nameEn: row.name_en,
      timeZone: row.time_zone,
      callCentrePhone: row.call_centre_phone,
      policy: campaignPolicy(row.settings),
    };
  }

  return {
    async find(code: string): Promise<Municipality | undefined> {
      const now = clock.now().getTime();
      const hit = cache.get(code);
      if (hit && now - hit.at < CACHE_MS) return hit.value;
      const value = await load(code);
      cache.set(code, { at: now, value });
      return value;
    },
    forget(code: string): void {
      cache.delete(code);
    },
  };
}

export type MunicipalitiesRepository = ReturnType<typeof createMunicipalitiesRepository>;
