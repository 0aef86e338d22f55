import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export function selectSlotWithVenue(executor: Executor, slotId: number) {
  return executor
    .selectFrom('slots')
    .innerJoin('venues', 'venues.id', 'slots.venue_id')
    .select([
      'slots.id',
      'slots.venue_id',
      'slots.starts_at',
      'slots.duration_minutes',
      'slots.capacity',
      'slots.taken',
      'slots.opens_at',
      'slots.closes_at',
      'slots.closed_at',
      'venues.vaccine',
      'venues.municipality_code',
      'venues.name_ja',
      'venues.name_en',
      'venues.address',
      'venues.map_url',
    ])
    .where('slots.id', '=', slotId)
    .executeTakeFirst();
}

/** Venues and their slots, read for browsing. Writes to slot counts live in reservations/. */
export function createVenuesRepository(db: Db) {
  return {
    async listByMunicipality(municipalityCode: string) {
      return db.selectFrom('venues').selectAll().where('municipality_code', '=', municipalityCode).orderBy('id').execute();
    },

    async findById(id: number) {
      return db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async slotsBetween(venueId: number, from: Date, to: Date) {
      return db
        .selectFrom('slots')
        .select([
          'id',
          'starts_at',
          'duration_minutes',
          'capacity',
          'extra_places',
          'taken',
          'opens_at',
          'closes_at',
          'phone_places',
          'phone_taken',
          'phone_release_at',
        ])
        .where('venue_id', '=', venueId)
        .where('starts_at', '>=', from)
        .where('starts_at', '<', to)
        .orderBy('starts_at')
        .execute();
    },

    /** A slot with the venue facts a booking needs (vaccine, municipality, where it is). */
    findSlotWithVenue: (slotId: number) => selectSlotWithVenue(db, slotId),
  };
}

export type VenuesRepository = ReturnType<typeof createVenuesRepository>;
export type SlotWithVenue = NonNullable<Awaited<ReturnType<VenuesRepository['findSlotWithVenue']>>>;
