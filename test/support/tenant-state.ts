import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../server/db/database.js';

/**
 * Everything a request could change about one municipality's residents and slots, read straight
 * from the database in one round trip, so a test can tell whether a request left any trace.
 */
export async function tenantState(db: Db, municipalityCode: string) {
  const residentIds = db.selectFrom('residents').select('id').where('municipality_code', '=', municipalityCode);
  const reservationIds = db.selectFrom('reservations').select('id').where('resident_id', 'in', residentIds);
  const state = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('slots')
          .innerJoin('venues', 'venues.id', 'slots.venue_id')
          .select(['slots.id', 'slots.taken', 'slots.capacity', 'slots.starts_at', 'slots.opens_at', 'slots.closes_at'])
          .where('venues.municipality_code', '=', municipalityCode)
          .orderBy('slots.id'),
      ).as('slots'),
      jsonArrayFrom(
        eb
          .selectFrom('reservations')
          .select(['id', 'number', 'resident_id', 'slot_id', 'dose_number', 'vaccine', 'status', 'made_by_kind', 'cancelled_at'])
          .where('resident_id', 'in', residentIds)
          .orderBy('id'),
      ).as('reservations'),
      jsonArrayFrom(
        eb
          .selectFrom('reservation_events')
          .select(['id', 'reservation_id', 'kind'])
          .where('reservation_id', 'in', reservationIds)
          .orderBy('id'),
      ).as('events'),
      jsonArrayFrom(
        eb.selectFrom('holds').select(['id', 'resident_id', 'slot_id', 'expires_at']).where('resident_id', 'in', residentIds).orderBy('id'),
      ).as('holds'),
      jsonArrayFrom(
        eb
          .selectFrom('family_links')
          .select(['account_id', 'member_id'])
          .where((w) => w.or([w('account_id', 'in', residentIds), w('member_id', 'in', residentIds)]))
          .orderBy('account_id')
          .orderBy('member_id'),
      ).as('family'),
      jsonArrayFrom(
        eb
          .selectFrom('residents')
          .select(['id', 'voucher_number', 'birth_date', 'name_kana', 'phone', 'email'])
          .where('municipality_code', '=', municipalityCode)
          .orderBy('id'),
      ).as('residents'),
      jsonArrayFrom(
        eb.selectFrom('dose_records').select(['id', 'resident_id', 'dose_number']).where('resident_id', 'in', residentIds).orderBy('id'),
      ).as('doses'),
      // Not `attempts`: a wrong SMS code is counted before it is compared, on purpose, even though the answer is a 401.
      jsonArrayFrom(
        eb
          .selectFrom('sign_in_challenges')
          .select(['id', 'resident_id', 'phone', 'code_hash', 'sends', 'verified_at'])
          .where('resident_id', 'in', residentIds)
          .orderBy('id'),
      ).as('challenges'),
      jsonArrayFrom(eb.selectFrom('audit_log').select('id').where('subject_resident_id', 'in', residentIds).orderBy('id')).as('audit'),
    ])
    .executeTakeFirstOrThrow();
  const { slots, reservations, events, holds, family, residents, doses, challenges, audit } = state;
  return { bookings: { slots, reservations, events, holds, family }, people: { residents, doses, challenges, audit } };
}

export type TenantState = Awaited<ReturnType<typeof tenantState>>;
