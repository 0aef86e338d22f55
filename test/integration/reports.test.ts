import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { addDays, localDate } from '../../shared/dates.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';
import { download, readCsv, readSheetXml, readWithExceljs } from '../support/table-readers.js';

/**
 * Lists, cross-tabs and the dose export through HTTP, read back with exceljs and with a reader of
 * the sheet XML of our own (and csv-parse, through iconv-lite for Shift_JIS): sheet names,
 * headers, row counts and values equal the database; every download audited; nobody of another
 * municipality and no viewer gets a name.
 */
let db: Db;
let server: TestServer;
let town: TestMunicipality;
let staffer: StaffSession;
let english: StaffSession;
let viewer: StaffSession;
let outsider: StaffSession;
let day1: string;

/** Residents of known ages and sexes, and their reservations: booked, attended, cancelled, moved. */
const people = [
  { birth: '1930-01-01', sex: 'F', kana: 'ウメ ハナ' }, // 90+
  { birth: '1941-06-01', sex: 'M', kana: 'マツ タロウ' }, // 80s
  { birth: '1990-03-03', sex: 'F', kana: 'サクラ ミキ' }, // 30s
  { birth: '1991-04-04', sex: 'M', kana: 'キク ジロウ' }, // 30s, cancelled
  { birth: '2000-05-05', sex: 'X', kana: 'モミジ アキ' }, // no booking at all
];

async function reserve(residentId: number, slotId: number, status: string, number: string, dose = 1) {
  const row = await db
    .insertInto('reservations')
    .values({
      number,
      resident_id: residentId,
      slot_id: slotId,
      dose_number: dose,
      vaccine: town.vaccine,
      status: status as 'booked',
      made_by_kind: 'self',
      made_by_resident_id: residentId,
      cancelled_at: status === 'cancelled' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('reservation_events')
    .values({ reservation_id: row.id, kind: 'booked', to_slot_id: slotId, actor_kind: 'self' })
    .execute();
  if (status !== 'booked') {
    await db
      .insertInto('reservation_events')
      .values({ reservation_id: row.id, kind: status as 'attended', from_slot_id: slotId, actor_kind: 'staff' })
      .execute();
  }
  return row.id;
}

beforeAll(async () => {
  db = await testDatabase();
  town = await createTestMunicipality(db, {
    residents: people.map((p) => ({ birthDate: p.birth, nameKana: p.kana })),
    slots: 3,
    times: ['09:30', '14:00'],
  });
  const other = await createTestMunicipality(db, { residents: 1 });
  for (const [i, p] of people.entries()) {
    await db
      .updateTable('residents')
      .set({ sex: p.sex as 'M', phone: `0312345${String(i).padStart(3, '0')}` })
      .where('id', '=', town.residents[i]!.id)
      .execute();
  }
  day1 = addDays(localDate(new Date(), town.timeZone), 1);
  const [first, second, third] = town.slotIds as [number, number, number];
  // Slots: day 1 at 09:30 and 14:00, day 2 at 09:30 and 14:00, …
  await reserve(town.residents[0]!.id, second, 'booked', 'RPT-0001');
  await reserve(town.residents[1]!.id, first, 'attended', 'RPT-0002');
  await reserve(town.residents[2]!.id, first, 'booked', 'RPT-0003');
  await reserve(town.residents[3]!.id, first, 'cancelled', 'RPT-0004');
  await reserve(town.residents[1]!.id, third, 'booked', 'RPT-0005', 2);
  server = await startTestServer(db, { redisPrefix: 'reports' });
  const team = await staffTeam(server, db);
  staffer = (await team.member(town.code, ['staff'])).session;
  english = (await team.member(town.code, ['staff'])).session;
  expect((await staffCall(server, 'PATCH', '/api/v1/staff/me', { session: english, body: { language: 'en' } })).status).toBe(200);
  viewer = (await team.member(town.code, ['viewer'])).session;
  outsider = (await team.member(other.code, ['administrator'])).session;
});
afterAll(() => server?.close());

const base = () => `${server.url}/api/v1/staff/municipalities/${town.code}/reports`;

const JA_RESERVED = [
  '日付',
  '時刻',
  '会場',
  '予約番号',
  '氏名',
  'フリガナ',
  '生年月日',
  '年齢',
  '性別',
  '券番号',
  '電話番号',
  '接種回',
  'ワクチン',
  '状態',
];

async function expectedReserved() {
  const rows = await db
    .selectFrom('reservations as v')
    .innerJoin('residents as r', 'r.id', 'v.resident_id')
    .innerJoin('slots as s', 's.id', 'v.slot_id')
    .select(['v.number', 'r.name_kanji', 'r.voucher_number', 'r.birth_date', 's.starts_at', 'v.id'])
    .where('r.municipality_code', '=', town.code)
    .where('v.status', '<>', 'cancelled')
    .where(sql<boolean>`to_char(s.starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') = ${day1}`)
    .orderBy('s.starts_at')
    .orderBy('v.id')
    .execute();
  return rows;
}

async function auditCount(action: string): Promise<number> {
  const rows = await db
    .selectFrom('audit_log')
    .select('id')
    .where('municipality_code', '=', town.code)
    .where('action', '=', action)
    .execute();
  return rows.length;
}

describe('the reserved list (予約者リスト)', () => {
  it('is an .xlsx that exceljs and the sheet XML both read as the database has it, and each download is audited', async () => {
    const before = await auditCount('reports.reserved-export');
    const answer = await download(`${base()}/reserved?date=${day1}&venueId=${town.venueId}`, staffer.cookie);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(answer.disposition).toContain('.xlsx');
    const expected = await expectedReserved();
    expect(expected.map((r) => r.number)).toEqual(['RPT-0002', 'RPT-0003', 'RPT-0001']);
    for (const table of [await readWithExceljs(answer.body), await readSheetXml(answer.body)]) {
      expect(table.sheetName).toBe('予約者リスト');
      expect(table.rows[0]).toEqual(JA_RESERVED);
      expect(table.rows).toHaveLength(expected.length + 1);
      expect(table.rows.slice(1).map((r) => [r[1], r[3], r[4], r[6], r[9]])).toEqual(
        expected.map((r) => [
          new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(r.starts_at),
          r.number,
          r.name_kanji,
          r.birth_date,
          r.voucher_number,
        ]),
      );
      const attended = table.rows.find((r) => r[3] === 'RPT-0002')!;
      expect([attended[0], attended[5], attended[7], attended[8], attended[11], attended[13]]).toEqual([
        day1,
        'マツ タロウ',
        Number(day1.slice(0, 4)) - 1941 - (day1.slice(5) < '06-01' ? 1 : 0),
        '男',
        1,
        '接種済',
      ]);
    }
    expect(await auditCount('reports.reserved-export')).toBe(before + 1);
  });

  it('is a CSV in UTF-8 with BOM or in Shift_JIS, with the same rows; English headers for an English-speaking staff member', async () => {
    const utf8 = await download(`${base()}/reserved?date=${day1}&format=csv`, staffer.cookie);
    expect(utf8.type).toBe('text/csv; charset=utf-8');
    expect([...utf8.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sjis = await download(`${base()}/reserved?date=${day1}&format=csv-sjis`, staffer.cookie);
    expect(sjis.type, sjis.body.toString()).toBe('text/csv; charset=shift_jis');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(sjis.body)).toThrow();
    const fromUtf8 = readCsv(utf8.body);
    expect(readCsv(sjis.body, 'shift_jis')).toEqual(fromUtf8);
    expect(fromUtf8[0]).toEqual(JA_RESERVED);
    expect(fromUtf8.slice(1).map((r) => r[3])).toEqual((await expectedReserved()).map((r) => r.number));

    const en = await download(`${base()}/reserved?date=${day1}&format=csv`, english.cookie);
    const rows = readCsv(en.body);
    expect(rows[0]!.slice(0, 5)).toEqual(['Date', 'Time', 'Venue', 'Reservation number', 'Name']);
    expect(rows.find((r) => r[3] === 'RPT-0002')!.slice(8, 9)).toEqual(['Male']);
    expect(rows.find((r) => r[3] === 'RPT-0002')![2]).toBe('Test venue');
    const xlsx = await readSheetXml((await download(`${base()}/reserved?date=${day1}`, english.cookie)).body);
    expect(xlsx.sheetName).toBe('Reserved');
  });
});

describe('the not-yet-reserved list and the ledger', () => {
  it('lists the eligible residents without an active booking, with their next dose', async () => {
    const answer = await download(`${base()}/unreserved?format=xlsx`, staffer.cookie);
    const expected = [town.residents[3]!.voucherNumber, town.residents[4]!.voucherNumber];
    for (const table of [await readWithExceljs(answer.body), await readSheetXml(answer.body)]) {
      expect(table.sheetName).toBe('未予約者リスト');
      expect(table.rows[0]).toEqual([
        '券番号',
        '氏名',
        'フリガナ',
        '生年月日',
        '年齢',
        '性別',
        '郵便番号',
        '住所',
        '電話番号',
        '次の接種回',
        '前回接種日',
      ]);
      expect(table.rows.slice(1).map((r) => r[0])).toEqual(expected);
      expect(table.rows[2]![5]).toBe('その他');
      expect(table.rows[2]![9]).toBe(1);
    }
    // Marked ineligible (moved away): off the list.
    await db.updateTable('residents').set({ eligible: false }).where('id', '=', town.residents[4]!.id).execute();
    const after = readCsv((await download(`${base()}/unreserved?format=csv`, staffer.cookie)).body);
    expect(after.slice(1).map((r) => r[0])).toEqual([town.residents[3]!.voucherNumber]);
    await db.updateTable('residents').set({ eligible: true }).where('id', '=', town.residents[4]!.id).execute();
  });

  it('has every reservation in the ledger, cancelled ones too, with its history', async () => {
    const answer = await download(`${base()}/ledger?format=csv`, staffer.cookie);
    const rows = readCsv(answer.body);
    expect(rows[0]!.slice(0, 2)).toEqual(['予約番号', '状態']);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['RPT-0001', '予約中'],
      ['RPT-0002', '接種済'],
      ['RPT-0003', '予約中'],
      ['RPT-0004', '取消'],
      ['RPT-0005', '予約中'],
    ]);
    expect(rows.find((r) => r[0] === 'RPT-0004')![17]).toMatch(/^booked \d{4}-\d\d-\d\d \d\d:\d\d; cancelled /);
    const xlsx = await download(`${base()}/ledger`, staffer.cookie);
    const [a, b] = [await readWithExceljs(xlsx.body), await readSheetXml(xlsx.body)];
    expect(a.sheetName).toBe('予約台帳');
    expect(b.rows).toEqual(a.rows);
    expect(a.rows).toHaveLength(6);
    expect(await auditCount('reports.ledger-export')).toBe(2);
  });

  it('streams a ledger longer than a page (12,000 reservations) whole and in order', async () => {
    const big = await createTestMunicipality(db, { residents: 0, slots: 1, capacity: 100_000 });
    const team = await staffTeam(server, db);
    const member = (await team.member(big.code, ['staff'])).session;
    await sql`
      insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
      select ${big.code}, lpad(g::text, 10, '0'), date '1950-01-01' + (g % 20000), '大量 ' || g, 'タイリョウ', 'タイリョウ', 'F'
      from generate_series(1, 6000) g`.execute(db);
    await sql`
      insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind)
      select 'BIG-' || r.id || '-' || d, r.id, ${big.slotIds[0]!}, d, 'pfizer', case when d = 1 then 'attended' else 'booked' end, 'staff'
      from residents r cross join generate_series(1, 2) d where r.municipality_code = ${big.code}`.execute(db);
    const expected = await db
      .selectFrom('reservations as v')
      .innerJoin('residents as r', 'r.id', 'v.resident_id')
      .select('v.number')
      .where('r.municipality_code', '=', big.code)
      .orderBy('v.id')
      .execute();
    expect(expected).toHaveLength(12_000);
    const csv = readCsv(
      (await download(`${server.url}/api/v1/staff/municipalities/${big.code}/reports/ledger?format=csv-sjis`, member.cookie)).body,
      'shift_jis',
    );
    expect(csv.slice(1).map((r) => r[0])).toEqual(expected.map((r) => r.number));
    const xlsx = await readSheetXml(
      (await download(`${server.url}/api/v1/staff/municipalities/${big.code}/reports/ledger`, member.cookie)).body,
    );
    expect(xlsx.rows.slice(1).map((r) => r[0])).toEqual(expected.map((r) => r.number));
    const day = localDate(new Date(Date.now() + 86_400_000), big.timeZone);
    const reserved = await readSheetXml(
      (await download(`${server.url}/api/v1/staff/municipalities/${big.code}/reports/reserved?date=${day}`, member.cookie)).body,
    );
    expect(reserved.rows).toHaveLength(12_001);
  });
});

describe('cross-tabs and the dose export', () => {
  it('counts bookings and attended doses per day, ISO week and month × age band × sex, as JSON and as .xlsx', async () => {
    const to = addDays(day1, 7);
    const answer = await staffCall(
      server,
      'GET',
      `/api/v1/staff/municipalities/${town.code}/reports/crosstab?from=${day1}&to=${to}&period=day`,
      {
        session: viewer,
      },
    );
    expect(answer.status, answer.text).toBe(200);
    const day2 = addDays(day1, 1);
    expect(answer.body.rows).toEqual([
      { period: day1, ageBand: 30, ageBandLabel: '30-39', sex: 'F', bookings: 1, attended: 0 },
      { period: day1, ageBand: 30, ageBandLabel: '30-39', sex: 'M', bookings: 0, attended: 0 },
      { period: day1, ageBand: 80, ageBandLabel: '80-89', sex: 'M', bookings: 1, attended: 1 },
      { period: day1, ageBand: 90, ageBandLabel: '90歳以上', sex: 'F', bookings: 1, attended: 0 },
      { period: day2, ageBand: 80, ageBandLabel: '80-89', sex: 'M', bookings: 1, attended: 0 },
    ]);
    const week = await staffCall(
      server,
      'GET',
      `/api/v1/staff/municipalities/${town.code}/reports/crosstab?from=${day1}&to=${to}&period=week`,
      {
        session: viewer,
      },
    );
    for (const row of week.body.rows) expect(new Date(`${row.period}T00:00:00Z`).getUTCDay(), row.period).toBe(1);
    const month = await staffCall(
      server,
      'GET',
      `/api/v1/staff/municipalities/${town.code}/reports/crosstab?from=${day1}&to=${to}&period=month`,
      {
        session: viewer,
      },
    );
    for (const row of month.body.rows) expect(row.period.slice(8)).toBe('01');
    const total = (rows: { bookings: number }[]) => rows.reduce((n, r) => n + r.bookings, 0);
    expect(total(week.body.rows)).toBe(4);
    expect(total(month.body.rows)).toBe(4);

    const xlsx = await download(`${base()}/crosstab/export?from=${day1}&to=${to}&period=day`, viewer.cookie);
    expect(xlsx.status).toBe(200);
    for (const table of [await readWithExceljs(xlsx.body), await readSheetXml(xlsx.body)]) {
      expect(table.sheetName).toBe('集計');
      expect(table.rows[0]).toEqual(['期間', '年齢', '性別', '予約数', '接種数']);
      expect(table.rows.slice(1)).toEqual(
        answer.body.rows.map((r: any) => [
          r.period,
          r.ageBandLabel,
          { F: '女', M: '男', X: 'その他' }[r.sex as 'F'],
          r.bookings,
          r.attended,
        ]),
      );
    }
    expect(await auditCount('reports.crosstab-export')).toBe(1);
  });

  it('exports attended doses in the national record layout (YYYYMMDD dates, 10-digit vouchers, the municipality code)', async () => {
    const answer = await download(`${base()}/doses?from=${day1}&to=${addDays(day1, 7)}`, staffer.cookie);
    expect(answer.status).toBe(200);
    const rows = readCsv(answer.body);
    expect(rows[0]).toEqual([
      'registered_at',
      'vaccinated_on',
      'voucher_number',
      'municipality_code',
      'venue_code',
      'venue_name',
      'doctor',
      'manufacturer',
      'lot_number',
      'dose_number',
    ]);
    expect(rows).toHaveLength(2);
    const [registered, on, voucherNumber, code, venue, venueName, , maker, , dose] = rows[1]!;
    expect(registered).toMatch(/^\d{14}$/);
    expect([on, voucherNumber, code, venue, venueName, maker, dose]).toEqual([
      day1.replace(/-/g, ''),
      town.residents[1]!.voucherNumber,
      town.code,
      String(town.venueId).padStart(6, '0'),
      'テスト会場',
      'ファイザー(コミナティ)',
      '1',
    ]);
    expect(await auditCount('reports.dose-export')).toBe(1);
  });
});

describe('who may download what', () => {
  it('gives another municipality’s staff nothing, viewers the counts only, and audits nothing refused', async () => {
    const before = await db.selectFrom('audit_log').select('id').where('municipality_code', '=', town.code).execute();
    const paths = [
      `/reserved?date=${day1}`,
      '/unreserved',
      '/ledger',
      `/doses?from=${day1}&to=${day1}`,
      `/crosstab?from=${day1}&to=${day1}&period=day`,
    ];
    for (const path of paths) {
      const theirs = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/reports${path}`, { session: outsider });
      expect([path, theirs.status, theirs.body?.code]).toEqual([path, 404, 'municipality-not-found']);
    }
    for (const path of paths.slice(0, 4)) {
      const seen = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/reports${path}`, { session: viewer });
      expect([path, seen.status]).toEqual([path, 403]);
    }
    const after = await db.selectFrom('audit_log').select('id').where('municipality_code', '=', town.code).execute();
    expect(after.length).toBe(before.length);
  });
});
