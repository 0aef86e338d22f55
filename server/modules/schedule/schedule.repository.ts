import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { VenueTexts } from '../../db/schema.js';
import type { Executor } from '../reservations/index.js';

export interface VenueValues {
  nameJa: string;
  nameEn: string;
  address: string;
  vaccine: string;
  accessNotes: string | null;
  mapUrl: string | null;
  phone: string | null;
  texts: VenueTexts;
  overbookingPercent: number;
}

const columns = (v: VenueValues) => ({
  name_ja: v.nameJa,
  name_en: v.nameEn,
  address: v.address,
  vaccine: v.vaccine,
  access_notes: v.accessNotes,
  map_url: v.mapUrl,
  phone: v.phone,
  texts: JSON.stringify(v.texts),
  overbooking_percent: v.overbookingPercent,
});

const SLOT_COLUMNS = [
  'slots.id',
  'slots.venue_id',
  'slots.starts_at',
  'slots.duration_minutes',
  'slots.capacity',
  'slots.extra_places',
  'slots.taken',
  'slots.opens_at',
  'slots.closes_at',
  'slots.closed_at',
  'slots.template_id',
] as const;

/** Staff's writes to venues, templates and slots; every query names the municipality. */
export function createScheduleRepository(db: Db) {
  return {
    listVenues: (code: string) => db.selectFrom('venues').selectAll().where('municipality_code', '=', code).orderBy('id').execute(),

    findVenue: (code: string, venueId: number, executor: Executor = db) =>
      executor.selectFrom('venues').selectAll().where('municipality_code', '=', code).where('id', '=', venueId).executeTakeFirst(),

    insertVenue: (tx: Executor, code: string, values: VenueValues) =>
      tx
        .insertInto('venues')
        .values({ municipality_code: code, ...columns(values) })
        .returningAll()
        .executeTakeFirstOrThrow(),

    updateVenue: (tx: Executor, code: string, venueId: number, values: VenueValues) =>
      tx
        .updateTable('venues')
        .set(columns(values))
        .where('municipality_code', '=', code)
        .where('id', '=', venueId)
        .returningAll()
        .executeTakeFirst(),

    /** Locks the venue row: generation and allowance changes of one venue take turns. */
    lockVenue: (tx: Executor, code: string, venueId: number) =>
      tx
        .selectFrom('venues')
        .selectAll()
        .where('municipality_code', '=', code)
        .where('id', '=', venueId)
        .forNoKeyUpdate()
        .executeTakeFirst(),

    async deleteVenueWithoutSlots(tx: Executor, code: string, venueId: number): Promise<'deleted' | 'in-use' | 'missing'> {
      const used = await tx.selectFrom('slots').select('id').where('venue_id', '=', venueId).limit(1).executeTakeFirst();
      if (used) return 'in-use';
      await tx.deleteFrom('slot_templates').where('venue_id', '=', venueId).execute();
      const deleted = await tx
        .deleteFrom('venues')
        .where('municipality_code', '=', code)
        .where('id', '=', venueId)
        .returning('id')
        .executeTakeFirst();
      return deleted ? 'deleted' : 'missing';
    },

    /**
     * The allowance applied to the venue's slots that have not started and are not closed. Never
     * below the extra places already used (taken beyond capacity), so the check cannot fail.
     */
    async applyAllowance(tx: Executor, venueId: number, percent: number, now: Date): Promise<number> {
      const result = await tx
        .updateTable('slots')
        .set({
          extra_places: sql<number>`greatest((capacity * ${Math.round(percent * 100)}::int) / 10000, taken - capacity, 0)`,
        })
        // The rows locked in id order by the subquery, in the same statement: the order every
        // statement that locks several slots keeps (a shared booking statement among them), so this
        // and a booking never wait on each other in a circle.
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('slots')
            .select('id')
            .where('venue_id', '=', venueId)
            .where('starts_at', '>', now)
            .where('closed_at', 'is', null)
            .orderBy('id')
            .forNoKeyUpdate(),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Slots of a venue starting in [from, to). */
    slotsBetween: (executor: Executor, venueId: number, from: Date, to: Date) =>
      executor
        .selectFrom('slots')
        .select(SLOT_COLUMNS)
        .where('venue_id', '=', venueId)
        .where('starts_at', '>=', from)
        .where('starts_at', '<', to)
        .orderBy('starts_at')
        .execute(),

    /** A venue's slots that could meet the planned ones (longest slot is 600 minutes). */
    slotsAround: (executor: Executor, venueId: number, from: Date, to: Date) =>
      executor
        .selectFrom('slots')
        .select(['id', 'starts_at', 'duration_minutes'])
        .where('venue_id', '=', venueId)
        .where('starts_at', '>', new Date(from.getTime() - 600 * 60_000))
        .where('starts_at', '<', to)
        .orderBy('starts_at')
        .execute(),

    listTemplates: (venueId: number) =>
      db.selectFrom('slot_templates').selectAll().where('venue_id', '=', venueId).orderBy('id', 'desc').limit(100).execute(),

    insertTemplate: (tx: Executor, venueId: number, definition: object, accountId: number) =>
      tx
        .insertInto('slot_templates')
        .values({ venue_id: venueId, definition: JSON.stringify(definition), created_by: accountId, created_count: 0, skipped_count: 0 })
        .returning('id')
        .executeTakeFirstOrThrow(),

    setTemplateCounts: (tx: Executor, templateId: number, created: number, skipped: number) =>
      tx.updateTable('slot_templates').set({ created_count: created, skipped_count: skipped }).where('id', '=', templateId).execute(),

    /** Inserts slots; one already at the venue's start instant is left as it is (unique key). */
    async insertSlots(
      tx: Executor,
      rows: {
        venue_id: number;
        starts_at: Date;
        duration_minutes: number;
        capacity: number;
        extra_places: number;
        opens_at: Date;
        closes_at: Date;
        template_id: number;
      }[],
    ): Promise<{ id: number; starts_at: Date }[]> {
      const inserted: { id: number; starts_at: Date }[] = [];
      for (let i = 0; i < rows.length; i += 500) {
        inserted.push(
          ...(await tx
            .insertInto('slots')
            .values(rows.slice(i, i + 500))
            .onConflict((oc) => oc.columns(['venue_id', 'starts_at']).doNothing())
            .returning(['id', 'starts_at'])
            .execute()),
        );
      }
      return inserted;
    },

    /**
     * Closes slots: their holds go first (hold rows before slot rows, the one lock order), their
     * places given back; then the slots, in id order, get `closed_at` and their booking window
     * ends now. From then on the trigger of migration 0013 refuses any new place in them.
     */
    async closeSlots(tx: Executor, slotIds: number[], now: Date): Promise<void> {
      if (slotIds.length === 0) return;
      const released = await tx.deleteFrom('holds').where('slot_id', 'in', slotIds).returning('slot_id').execute();
      await tx.selectFrom('slots').select('id').where('id', 'in', slotIds).orderBy('id').forNoKeyUpdate().execute();
      const perSlot = new Map<number, number>();
      for (const { slot_id } of released) perSlot.set(slot_id, (perSlot.get(slot_id) ?? 0) + 1);
      for (const [id, count] of [...perSlot].sort(([a], [b]) => a - b)) {
        await tx
          .updateTable('slots')
          .set((eb) => ({ taken: eb('taken', '-', count) }))
          .where('id', '=', id)
          .execute();
      }
      await tx
        .updateTable('slots')
        .set({
          closed_at: sql`coalesce(closed_at, ${now})`,
          // Kept once, from the first closing: a second closing must not keep the first one's "now".
          closes_at_before_closing: sql`case when closed_at is null then closes_at else closes_at_before_closing end`,
          closes_at: sql`least(closes_at, ${now})`,
        })
        .where('id', 'in', slotIds)
        .execute();
    },

    /**
     * Reopens closed slots that have not started: no longer closed, and their booking window ends
     * where it ended before the closing (at the slot's start when that is unknown). Returns the
     * slots it reopened, in id order.
     */
    async reopenSlots(tx: Executor, slotIds: number[], now: Date): Promise<number[]> {
      if (slotIds.length === 0) return [];
      // In id order first, as closeSlots and applyAllowance lock.
      await tx.selectFrom('slots').select('id').where('id', 'in', slotIds).orderBy('id').forNoKeyUpdate().execute();
      const rows = await tx
        .updateTable('slots')
        .set({
          closed_at: null,
          closes_at: sql`coalesce(closes_at_before_closing, starts_at)`,
          closes_at_before_closing: null,
        })
        .where('id', 'in', slotIds)
        .where('closed_at', 'is not', null)
        .where('starts_at', '>', now)
        .returning('id')
        .execute();
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },

    /** The people booked in some slots (active reservations), in time order. */
    people: (executor: Executor, slotIds: number[]) =>
      executor
        .selectFrom('reservations')
        .innerJoin('residents', 'residents.id', 'reservations.resident_id')
        .innerJoin('slots', 'slots.id', 'reservations.slot_id')
        .select([
          'reservations.id',
          'reservations.number',
          'reservations.dose_number',
          'reservations.slot_id',
          'slots.starts_at',
          'residents.id as resident_id',
          'residents.name_kanji',
          'residents.name_kana',
          'residents.phone',
        ])
        .where('reservations.slot_id', 'in', slotIds.length ? slotIds : [0])
        .where('reservations.status', '=', 'booked')
        .orderBy('slots.starts_at')
        .orderBy('reservations.id')
        .execute(),
  };
}

export type ScheduleRepository = ReturnType<typeof createScheduleRepository>;
