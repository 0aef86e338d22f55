import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, MunicipalitiesTable } from '../../db/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/event-bus.js';
import { campaignPolicy, type CampaignPolicy } from '../reservations/index.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface Municipality {
  code: string;
  nameJa: string;
  nameEn: string;
  timeZone: string;
  callCentrePhone: string | null;
  policy: CampaignPolicy;
}

/** A municipality as staff see and edit it: its stored settings too. */
export interface MunicipalityRecord extends Municipality {
  settings: Record<string, unknown>;
  createdAt: Date;
}

const CACHE_MS = 30_000;
/** Bus channel: a municipality's row changed; every process forgets its cached copy. */
export const MUNICIPALITY_CHANGED = 'municipality.changed';

function toRecord(row: Selectable<MunicipalitiesTable>): MunicipalityRecord {
  return {
    code: row.code,
    nameJa: row.name_ja,
    nameEn: row.name_en,
    timeZone: row.time_zone,
    callCentrePhone: row.call_centre_phone,
    policy: campaignPolicy(row.settings),
    settings: row.settings,
    createdAt: row.created_at,
  };
}

/**
 * Municipalities change rarely and are read on every booking, so each process caches them. A
 * change is announced on the event bus (PostgreSQL NOTIFY, or in-process on the embedded
 * database): every process, the changing one first, drops its copy at once, so the booking rules
 * use a new setting from the next request. If a message is lost (the bus reconnected) the whole
 * cache is dropped, and a copy is never older than CACHE_MS anyway.
 */
export function createMunicipalitiesRepository(db: Db, clock: Clock, events?: EventBus) {
  const cache = new Map<string, { at: number; value: Municipality | undefined }>();
  events?.subscribe(MUNICIPALITY_CHANGED, (payload) => {
    const code = (payload as { code?: unknown } | null)?.code;
    if (typeof code === 'string') cache.delete(code);
  });
  events?.onReconnect(() => cache.clear());

  async function load(code: string, executor: Executor = db): Promise<MunicipalityRecord | undefined> {
    const row = await executor.selectFrom('municipalities').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? toRecord(row) : undefined;
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

    /** Uncached, with the stored settings: for staff, who must see what is in the database. */
    record: load,

    async list(): Promise<MunicipalityRecord[]> {
      const rows = await db.selectFrom('municipalities').selectAll().orderBy('code').execute();
      return rows.map(toRecord);
    },

    async insert(
      tx: Executor,
      values: { code: string; nameJa: string; nameEn: string; timeZone: string; callCentrePhone: string | null; settings: object },
    ): Promise<void> {
      await tx
        .insertInto('municipalities')
        .values({
          code: values.code,
          name_ja: values.nameJa,
          name_en: values.nameEn,
          time_zone: values.timeZone,
          call_centre_phone: values.callCentrePhone,
          settings: JSON.stringify(values.settings),
        })
        .execute();
    },

    /** Locks the row: two staff members saving at once queue, and each audit entry says what it changed from. */
    async lock(tx: Transaction<Database>, code: string): Promise<MunicipalityRecord | undefined> {
      const row = await tx.selectFrom('municipalities').selectAll().where('code', '=', code).forNoKeyUpdate().executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async update(
      tx: Executor,
      code: string,
      values: Partial<{ name_ja: string; name_en: string; time_zone: string; call_centre_phone: string | null; settings: string }>,
    ): Promise<void> {
      await tx.updateTable('municipalities').set(values).where('code', '=', code).execute();
    },

    /** Vaccines given at this municipality's venues: they cannot leave its policy. */
    async vaccinesInUse(code: string): Promise<string[]> {
      const rows = await db.selectFrom('venues').select('vaccine').distinct().where('municipality_code', '=', code).execute();
      return rows.map((row) => row.vaccine);
    },

    /** After a change has committed: this process forgets at once, the others when the bus tells them. */
    async changed(code: string): Promise<void> {
      cache.delete(code);
      // The change has committed; if the bus is down the others see it within CACHE_MS.
      await events?.publish(MUNICIPALITY_CHANGED, { code }).catch(() => undefined);
    },

    forget(code: string): void {
      cache.delete(code);
    },
  };
}

export type MunicipalitiesRepository = ReturnType<typeof createMunicipalitiesRepository>;
