import { expect } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { insertVenue } from '../../server/demo/seed.js';
import type { contractClient } from './openapi-client.js';
import { utf8Csv } from './resident-files.js';

type Client = ReturnType<typeof contractClient>['client'];

/**
 * The campaign operations of the staff API (importing residents, lists and reports), each once,
 * with only the document to go on; part of the contract test's walk of every operation.
 */
export async function walkTheCampaignApi(client: Client, municipalityCode: string, db: Db): Promise<void> {
  const town = { municipalityCode };
  const file = utf8Csv([
    ['券番号', '氏名', 'フリガナ', '生年月日', '性別'],
    ['1234567890', '契約 太郎', 'ケイヤク タロウ', '昭和50年1月1日', '男'],
  ]);
  const uploaded = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/resident-imports', {
    params: { path: town, query: { fileName: 'contract.csv' } },
    body: file.toString('latin1'),
    bodySerializer: () => new Uint8Array(file),
    headers: { 'content-type': 'text/csv' },
  });
  expect(uploaded.data?.import.mapping).toMatchObject({ voucherNumber: '券番号', sex: '性別' });
  const imported = { ...town, importId: uploaded.data!.import.id };
  // Without a job queue (this test's server) a started import waits, queued.
  const started = await client.POST('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}/start', {
    params: { path: imported },
    body: { full: false },
  });
  expect(started.data?.status).toBe('queued');
  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}', { params: { path: imported } })).data
      ?.status,
  ).toBe('queued');
  expect(
    (await client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports', { params: { path: town } })).data?.imports,
  ).toHaveLength(1);
  const rejects = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}/rejects', {
    params: { path: imported },
    parseAs: 'text',
  });
  // The walk's staff member chose English.
  expect(rejects.data).toMatch(/^\uFEFF?Row,Voucher number,Column,Reason/);
  expect(
    (
      await client.GET('/api/v1/staff/municipalities/{municipalityCode}/resident-imports/{importId}/missing', {
        params: { path: imported },
      })
    ).data?.residents,
  ).toEqual([]);

  const today = new Date().toISOString().slice(0, 10);
  const reports = { path: town };
  const reserved = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/reserved', {
    params: { ...reports, query: { date: today, format: 'csv' } },
    parseAs: 'text',
  });
  expect(reserved.data).toMatch(/^\uFEFF?Date,Time,Venue/);
  const unreserved = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/unreserved', {
    params: { ...reports, query: { format: 'xlsx' } },
    parseAs: 'arrayBuffer',
  });
  expect(new Uint8Array(unreserved.data!).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  const ledger = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/ledger', {
    params: { ...reports, query: { format: 'csv-sjis' } },
    parseAs: 'arrayBuffer',
  });
  expect(ledger.response.headers.get('content-type')).toBe('text/csv; charset=shift_jis');
  const range = { from: today, to: today };
  const crossTab = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/crosstab', {
    params: { ...reports, query: { ...range, period: 'week' } },
  });
  expect(crossTab.data?.rows).toEqual([]);
  const crossTabFile = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/crosstab/export', {
    params: { ...reports, query: { ...range, period: 'month' } },
    parseAs: 'arrayBuffer',
  });
  expect(crossTabFile.response.status).toBe(200);
  const doses = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/reports/doses', {
    params: { ...reports, query: range },
    parseAs: 'text',
  });
  expect(doses.data).toMatch(/^\uFEFF?registered_at,vaccinated_on,voucher_number/);

  const venueId = await insertVenue(db, {
    municipalityCode,
    nameJa: '契約会場',
    nameEn: 'Contract venue',
    address: '東京都',
    vaccine: 'pfizer',
  });
  const slot = await db
    .insertInto('slots')
    .values({
      venue_id: venueId,
      starts_at: new Date(Date.now() + 86_400_000),
      duration_minutes: 30,
      capacity: 5,
      opens_at: new Date(),
      closes_at: new Date(Date.now() + 86_400_000),
    })
    .returning(['id', 'starts_at'])
    .executeTakeFirstOrThrow();
  const changed = await client.PATCH('/api/v1/staff/municipalities/{municipalityCode}/slots/{slotId}', {
    params: { path: { municipalityCode, slotId: slot.id } },
    body: { capacity: 8 },
  });
  expect(changed.data).toMatchObject({ capacity: 8, taken: 0 });
  // The telephone's share: per venue (its slots still to come), per slot, and the operators' view of both parts.
  const venueShare = await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/venues/{venueId}/phone-share', {
    params: { path: { municipalityCode, venueId } },
    body: { phonePlaces: 2, releaseMinutesBefore: 1440 },
  });
  expect(venueShare.data).toMatchObject({ venueId, phonePlaces: 2, releaseMinutesBefore: 1440 });
  const slotShare = await client.PUT('/api/v1/staff/municipalities/{municipalityCode}/slots/{slotId}/phone-share', {
    params: { path: { municipalityCode, slotId: slot.id } },
    body: { phonePlaces: 3, releaseAt: null },
  });
  expect(slotShare.data).toMatchObject({ phonePlaces: 3, phoneTaken: 0, phoneReleaseAt: null });
  const day = slot.starts_at.toISOString().slice(0, 10);
  const seen = await client.GET('/api/v1/staff/municipalities/{municipalityCode}/call-centre/venues/{venueId}/slots', {
    params: { path: { municipalityCode, venueId }, query: { from: addDaysIso(day, -1), to: addDaysIso(day, 1) } },
  });
  expect(seen.data?.find((s) => s.id === slot.id)?.counts).toMatchObject({ webPlaces: 5, phonePlaces: 3, phoneTaken: 0 });
}

const addDaysIso = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
