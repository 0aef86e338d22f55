import { expect } from 'vitest';
import { addDays } from '../../shared/dates.js';
import type { contractClient } from './openapi-client.js';

type Client = ReturnType<typeof contractClient>['client'];

/**
 * The schedule operations of the staff API (venues, templates, the day view, closing), each
 * once, with only the document to go on; part of the contract test's walk of every operation.
 */
export async function walkTheScheduleApi(client: Client, municipalityCode: string): Promise<void> {
  const town = { municipalityCode };
  const venue = {
    nameJa: '契約ホール',
    nameEn: 'Contract hall',
    address: '東京都',
    vaccine: 'pfizer',
    accessNotes: null,
    mapUrl: null,
    phone: null,
    texts: {},
    overbookingPercent: 5,
  };
  const created = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues', { params: { path: town }, body: venue });
  expect(created.data).toMatchObject(venue);
  const at = { ...town, venueId: created.data!.id };
  const updated = await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', {
    params: { path: at },
    body: { ...venue, phone: '03-0000-0000' },
  });
  expect(updated.data?.phone).toBe('03-0000-0000');
  expect((await client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', { params: { path: at } })).data?.id).toBe(
    at.venueId,
  );
  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues', { params: { path: town } })).data?.length,
  ).toBeGreaterThan(0);

  const date = addDays(new Date().toISOString().slice(0, 10), 10);
  const template = {
    from: date,
    to: addDays(date, 1),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    times: ['10:00'],
    durationMinutes: 30,
    capacity: 20,
    opensDaysBefore: 30,
    opensAtTime: '09:00',
    closesDaysBefore: 0,
    closesAtTime: '00:00',
  };
  const preview = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/templates/preview', {
    params: { path: at },
    body: template,
  });
  expect(preview.data?.summary).toEqual({ total: 2, new: 2, overlapping: 0 });
  const generated = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/templates', {
    params: { path: at },
    body: template,
  });
  expect(generated.data?.created).toBe(2);
  const templates = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/templates', {
    params: { path: at },
  });
  expect(templates.data?.[0]?.createdCount).toBe(2);
  const day = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}', {
    params: { path: { ...at, date } },
  });
  expect(day.data?.slots[0]).toMatchObject({ capacity: 20, extraPlaces: 1, taken: 0, closedAt: null });
  const people = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/people', {
    params: { path: { ...at, date }, query: { slotId: day.data!.slots[0]!.id } },
  });
  expect(people.data).toEqual([]);
  const closed = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/close', {
    params: { path: { ...at, date } },
    body: { action: 'move', toDate: addDays(date, 1) },
  });
  expect(closed.data).toEqual({ closedSlotIds: [day.data!.slots[0]!.id], moved: [], notMoved: [], cancelled: [] });
  const reopened = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/days/{date}/reopen', {
    params: { path: { ...at, date } },
    body: {},
  });
  expect(reopened.data).toEqual({ reopenedSlotIds: [day.data!.slots[0]!.id], stillClosedSlotIds: [] });

  const spare = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/venues', { params: { path: town }, body: venue });
  const removed = await client.DELETE('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}', {
    params: { path: { ...town, venueId: spare.data!.id } },
  });
  expect(removed.response.status).toBe(204);
}
