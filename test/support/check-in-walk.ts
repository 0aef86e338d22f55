import { expect } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { generateReservationNumber } from '../../server/modules/reservations/index.js';
import type { contractClient } from './openapi-client.js';
import type { TestMunicipality } from './fixtures.js';

type Client = ReturnType<typeof contractClient>['client'];

/**
 * Check-in's operations, each once, with only the document to go on; part of the contract test's
 * walk of every operation. The booking is made in the database in a slot starting now, so that it
 * is today's in any time zone.
 */
export async function walkTheCheckInApi(client: Client, town: TestMunicipality, db: Db): Promise<void> {
  const person = town.residents[2]!;
  const slot = await db
    .insertInto('slots')
    .values({
      venue_id: town.venueId,
      starts_at: new Date(),
      duration_minutes: 30,
      capacity: 5,
      opens_at: new Date(Date.now() - 86_400_000),
      closes_at: new Date(),
      taken: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const number = generateReservationNumber();
  await db
    .insertInto('reservations')
    .values({
      number,
      resident_id: person.id,
      slot_id: slot.id,
      dose_number: 1,
      vaccine: town.vaccine,
      status: 'booked',
      made_by_kind: 'self',
    })
    .execute();
  const where = { municipalityCode: town.code };
  const day = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/check-in', {
    params: { path: where, query: { venueId: town.venueId, q: number } },
  });
  expect(day.data?.entries.map((e) => e.number)).toEqual([number]);
  const booking = { path: { ...where, number } };
  const attended = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/check-in/reservations/{number}/attended', {
    params: booking,
    body: { lotNumber: 'FF2153' },
  });
  expect(attended.data).toMatchObject({ status: 'attended', lotNumber: 'FF2153' });
  const undone = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/check-in/reservations/{number}/undo', {
    params: booking,
  });
  expect(undone.data?.status).toBe('booked');
  const missed = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/check-in/reservations/{number}/no-show', {
    params: booking,
  });
  expect(missed.data?.status).toBe('no_show');
}
