import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/database.js';
import { createAuditLog } from '../../server/modules/audit/index.js';
import { createMunicipalitiesRepository } from '../../server/modules/municipalities/index.js';
import { createResidentImport } from '../../server/modules/resident-import/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality, type TestMunicipality } from '../support/fixtures.js';
import { importFile, residentsOf, shiftJisCsv, uploadFile, utf8Csv, waitForImport, xlsxFile } from '../support/resident-files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { staffCall, staffTeam, type StaffSession } from '../support/staff.js';

/**
 * Importing residents through HTTP, with the job running on pg-boss as in production: files the
 * tests make (UTF-8 CSV, Shift_JIS CSV with half-width kana and era dates, .xlsx, broken rows), a
 * full re-import that changes and removes people, a run that crashes and resumes, and nobody of
 * another municipality reaching any of it.
 */
let db: Db;
let server: TestServer;
let staffer: StaffSession;
let stafferId: number;
let viewer: StaffSession;
let outsider: StaffSession;

beforeAll(async () => {
  db = await testDatabase();
  server = await startTestServer(db, { jobs: true, redisPrefix: 'resident-import' });
});
afterAll(() => server?.close());

async function freshTown(): Promise<TestMunicipality> {
  const town = await createTestMunicipality(db, { residents: 0, slots: 2 });
  const other = await createTestMunicipality(db, { residents: 0 });
  const team = await staffTeam(server, db);
  const member = await team.member(town.code, ['staff']);
  staffer = member.session;
  stafferId = member.user.accountId;
  viewer = (await team.member(town.code, ['viewer'])).session;
  outsider = (await team.member(other.code, ['administrator'])).session;
  return town;
}

const JA_HEADERS = [
  '券番号',
  '氏名',
  'フリガナ',
  '生年月日',
  '性別',
  '郵便番号',
  '住所',
  '電話番号',
  '1回目接種日',
  '1回目ワクチン',
  '2回目接種日',
  '2回目ワクチン',
];

function voucher(): string {
  return String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)).slice(0, 10);
}

describe('importing residents', () => {
  it('reads a UTF-8 CSV with Japanese headers: preview, columns found, residents and doses written, every step audited', async () => {
    const town = await freshTown();
    const [v1, v2] = [voucher(), voucher()];
    const file = utf8Csv([
      JA_HEADERS,
      [
        v1,
        '山田 太郎',
        'ヤマダ タロウ',
        '1950-04-01',
        '男',
        '100-0001',
        '東京都千代田区1-1',
        '03-1234-5678',
        '2021/06/01',
        'ファイザー',
        '2021-06-22',
        'pfizer',
      ],
      [v2, '佐藤 花子', 'さとう はなこ', '1985/7/15', '女', '1000002', '東京都千代田区2-2', '', '', '', '', ''],
    ]);
    const uploaded = await uploadFile(server, town.code, staffer, file);
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.body.import).toMatchObject({ status: 'uploaded', format: 'csv', encoding: 'utf-8', headers: JA_HEADERS });
    expect(uploaded.body.import.mapping).toMatchObject({
      voucherNumber: '券番号',
      nameKanji: '氏名',
      nameKana: 'フリガナ',
      birthDate: '生年月日',
      sex: '性別',
      'dose1.date': '1回目接種日',
      'dose2.vaccine': '2回目ワクチン',
    });
    expect(uploaded.body.preview.missingRequired).toEqual([]);
    expect(uploaded.body.preview.rows[0].slice(0, 2)).toEqual([v1, '山田 太郎']);
    const id = uploaded.body.import.id;
    const started = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/resident-imports/${id}/start`, {
      session: staffer,
      body: {},
    });
    expect(started.status, started.text).toBe(202);
    const again = await staffCall(server, 'POST', `/api/v1/staff/municipalities/${town.code}/resident-imports/${id}/start`, {
      session: staffer,
      body: {},
    });
    expect(again.body.code).toBe('import-already-started');
    const done = await waitForImport(server, town.code, staffer, id);
    expect(done).toMatchObject({ status: 'done', rowsTotal: 2, rowsDone: 2, created: 2, updated: 0, rejected: 0, progress: 1 });

    const residents = await residentsOf(db, town.code);
    const yamada = residents.find((r) => r.voucher_number === v1)!;
    expect(yamada).toMatchObject({
      birth_date: '1950-04-01',
      name_kanji: '山田 太郎',
      name_kana: 'ヤマダ タロウ',
      sex: 'M',
      postcode: '100-0001',
      phone: '0312345678',
      eligible: true,
    });
    expect(residents.find((r) => r.voucher_number === v2)).toMatchObject({
      name_kana: 'サトウ ハナコ',
      birth_date: '1985-07-15',
      sex: 'F',
    });
    const doses = await db.selectFrom('dose_records').selectAll().where('resident_id', '=', yamada.id).orderBy('dose_number').execute();
    expect(doses.map((d) => [d.dose_number, d.administered_on, d.vaccine])).toEqual([
      [1, '2021-06-01', 'pfizer'],
      [2, '2021-06-22', 'pfizer'],
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind'])
      .where('municipality_code', '=', town.code)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['residents.import-upload', 'residents.import-start', 'residents.import-finish']),
    );
    // The columns are remembered: the next file's renamed header keeps the confirmed choice.
    const remembered = await db
      .selectFrom('resident_import_mappings')
      .select('mapping')
      .where('municipality_code', '=', town.code)
      .executeTakeFirst();
    expect(remembered?.mapping).toMatchObject({ voucherNumber: '券番号' });
  });

  it('reads a Shift_JIS CSV without BOM, with half-width kana and era birth dates', async () => {
    const town = await freshTown();
    const [v1, v2, v3] = [voucher(), voucher(), voucher()];
    const file = shiftJisCsv([
      ['接種券番号', '漢字氏名', 'カナ氏名', '生年月日', '性別', '住所'],
      [v1, '髙橋 一郎', 'ﾀｶﾊｼ ｲﾁﾛｳ', '昭和25年4月1日', '1', '千代田区①'],
      [v2, '鈴木 二郎', 'ｽｽﾞｷ ｼﾞﾛｳ', 'S60.7.15', '男性', ''],
      [v3, '田中 令子', 'ﾀﾅｶ ﾚｲｺ', '令和元年5月1日', '2', ''],
    ]);
    const { uploaded, done } = await importFile(server, town.code, staffer, file);
    expect(uploaded.import.encoding).toBe('shift_jis');
    expect(done).toMatchObject({ status: 'done', created: 3, rejected: 0 });
    const residents = await residentsOf(db, town.code);
    expect(residents.map((r) => [r.voucher_number, r.name_kanji, r.name_kana, r.birth_date, r.sex, r.address])).toEqual(
      [
        [v1, '髙橋 一郎', 'タカハシ イチロウ', '1950-04-01', 'M', '千代田区1'],
        [v2, '鈴木 二郎', 'スズキ ジロウ', '1985-07-15', 'M', null],
        [v3, '田中 令子', 'タナカ レイコ', '2019-05-01', 'F', null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('reads a file stored in many pieces, characters cut between pieces included (Shift_JIS, 6,000 rows)', async () => {
    const town = await freshTown();
    const rows = Array.from({ length: 6000 }, (_, i) => [
      String(3_000_000_000 + i),
      `長い名前の住民 ${i}`,
      'ﾅｶﾞｲ ﾅﾏｴ',
      `平成${1 + (i % 30)}年1月9日`,
      i % 2 ? '男' : '女',
      '東京都千代田区千代田一丁目一番一号',
    ]);
    const file = shiftJisCsv([['券番号', '氏名', 'フリガナ', '生年月日', '性別', '住所'], ...rows]);
    expect(file.length).toBeGreaterThan(2 * 256 * 1024);
    const { done } = await importFile(server, town.code, staffer, file);
    expect(done).toMatchObject({ status: 'done', created: 6000, rejected: 0 });
    const stored = await residentsOf(db, town.code);
    expect(stored.every((r, i) => r.name_kanji === `長い名前の住民 ${i}` && r.address === '東京都千代田区千代田一丁目一番一号')).toBe(true);
  });

  it('reads an .xlsx with English headers, date cells and numbers, from its first sheet', async () => {
    const town = await freshTown();
    const [v1, v2] = [voucher(), voucher()];
    const file = await xlsxFile([
      ['Voucher number', 'Name', 'Kana', 'Date of birth', 'Sex', 'Postcode', 'Phone', 'Dose 1 date', 'Dose 1 vaccine'],
      [
        Number(v1),
        '伊藤 三郎',
        'イトウ サブロウ',
        new Date(Date.UTC(1948, 10, 3)),
        'M',
        '100-0003',
        '09012345678',
        new Date(Date.UTC(2021, 4, 20)),
        'Moderna',
      ],
      [v2, '渡辺 四子', 'ワタナベ ヨツコ', '1979-02-20', 'F', null, null, null, null],
    ]);
    const { uploaded, done } = await importFile(server, town.code, staffer, file, { name: 'residents.xlsx' });
    expect(uploaded.import.format).toBe('xlsx');
    expect(uploaded.preview.rows[0][3]).toBe('1948-11-03');
    expect(done).toMatchObject({ status: 'done', created: 2, rejected: 0 });
    const residents = await residentsOf(db, town.code);
    const ito = residents.find((r) => r.voucher_number === v1)!;
    expect(ito).toMatchObject({ birth_date: '1948-11-03', name_kana: 'イトウ サブロウ', phone: '09012345678' });
    const dose = await db.selectFrom('dose_records').selectAll().where('resident_id', '=', ito.id).executeTakeFirstOrThrow();
    expect([dose.administered_on, dose.vaccine]).toEqual(['2021-05-20', 'moderna']);
  });

  it('rejects broken rows with their reasons in a downloadable report, and refuses a file missing a required column', async () => {
    const town = await freshTown();
    const good = voucher();
    const file = utf8Csv(
      [
        ['券番号', '氏名', 'フリガナ', '生年月日', '性別', '1回目接種日', '1回目ワクチン'],
        [good, '正しい 人', 'タダシイ ヒト', '1960-01-01', '男', '', ''],
        ['12345', '桁 違い', 'ケタ チガイ', '1960-01-01', '男', '', ''],
        [voucher(), '日付 無し', 'ヒヅケ ナシ', '2023-02-30', '女', '', ''],
        [voucher(), '元号 外', 'ゲンゴウ ソト', '昭和65年1月1日', '女', '', ''],
        [good, '重複 人', 'チョウフク ヒト', '1960-01-01', '男', '', ''],
        [voucher(), 'カナ 違い', 'kana chigai', '1960-01-01', 'X', '2021-13-01', 'unknown'],
      ],
      false,
    );
    const { done } = await importFile(server, town.code, staffer, file);
    expect(done).toMatchObject({ status: 'done', rowsTotal: 6, created: 1, rejected: 5 });
    expect(await residentsOf(db, town.code)).toHaveLength(1);

    const report = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/resident-imports/${done.id}/rejects`, {
      session: staffer,
    });
    expect(report.status, report.text).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const rows = parse(report.text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['行', '券番号', '項目', '理由']);
    const reasons = rows.slice(1).map(([row, , field, reason]) => `${row} ${field} ${reason}`);
    expect(reasons).toEqual([
      '3 券番号 10桁の券番号ではありません',
      '4 生年月日 存在しない日付です',
      '5 生年月日 存在しない日付です',
      '6 券番号 同じ券番号が前の行にあります',
      '7 フリガナ カナではありません',
      '7 1回目接種日 存在しない日付です',
      '7 1回目ワクチン この自治体のワクチンではありません',
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('municipality_code', '=', town.code)
      .where('action', '=', 'residents.import-rejects-export')
      .execute();
    expect(audited).toHaveLength(1);

    const noSex = utf8Csv([
      ['券番号', '氏名', 'フリガナ', '生年月日'],
      [voucher(), '性別 無し', 'セイベツ ナシ', '1960-01-01'],
    ]);
    const uploaded = await uploadFile(server, town.code, staffer, noSex);
    expect(uploaded.body.preview.missingRequired).toEqual(['sex']);
    const refused = await staffCall(
      server,
      'POST',
      `/api/v1/staff/municipalities/${town.code}/resident-imports/${uploaded.body.import.id}/start`,
      {
        session: staffer,
        body: {},
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('import-mapping-incomplete');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'mapping.sex', rule: 'required' })]);

    const garbage = await uploadFile(server, town.code, staffer, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'broken.xlsx');
    expect(garbage.status).toBe(422);
    expect(garbage.body.code).toBe('import-file-unreadable');
  });

  it('updates by voucher number on a full re-import: nobody duplicated, bookings kept, the missing listed with their bookings and marked ineligible', async () => {
    const town = await freshTown();
    const [a, b, c] = [voucher(), voucher(), voucher()];
    const first = utf8Csv([
      ['券番号', '氏名', 'フリガナ', '生年月日', '性別', '住所'],
      [a, '青木 一', 'アオキ ハジメ', '1950-01-01', '男', '旧住所'],
      [b, '馬場 二', 'ババ ツギ', '1960-01-01', '女', ''],
      [c, '千葉 三', 'チバ ミツ', '1970-01-01', '男', ''],
    ]);
    await importFile(server, town.code, staffer, first);
    const before = await residentsOf(db, town.code);
    const idOf = (v: string) => before.find((r) => r.voucher_number === v)!.id;
    const bookings = [];
    for (const [person, slot] of [
      [idOf(a), town.slotIds[0]!],
      [idOf(c), town.slotIds[1]!],
    ] as const) {
      const row = await db
        .insertInto('reservations')
        .values({
          number: randomUUID().slice(0, 12),
          resident_id: person,
          slot_id: slot,
          dose_number: 1,
          vaccine: town.vaccine,
          status: 'booked',
          made_by_kind: 'staff',
          made_by_resident_id: null,
        })
        .returning(['id', 'number'])
        .executeTakeFirstOrThrow();
      await db
        .updateTable('slots')
        .set((eb) => ({ taken: eb('taken', '+', 1) }))
        .where('id', '=', slot)
        .execute();
      bookings.push(row);
    }

    const d = voucher();
    const second = utf8Csv([
      ['券番号', '氏名', 'フリガナ', '生年月日', '性別', '住所'],
      [a, '青木 一', 'アオキ ハジメ', '1950-01-01', '男', '新住所'],
      [b, '馬場 二子', 'ババ ツギコ', '1960-01-01', '女', ''],
      [d, '大野 四', 'オオノ シ', '1980-01-01', '女', ''],
    ]);
    const { done } = await importFile(server, town.code, staffer, second, { full: true, markMissingIneligible: true });
    expect(done).toMatchObject({ status: 'done', created: 1, updated: 2, rejected: 0, missing: 1 });

    const after = await residentsOf(db, town.code);
    expect(after).toHaveLength(4);
    expect(after.find((r) => r.voucher_number === a)).toMatchObject({ id: idOf(a), address: '新住所', eligible: true });
    expect(after.find((r) => r.voucher_number === b)).toMatchObject({ id: idOf(b), name_kanji: '馬場 二子', name_kana_key: 'ババツギコ' });
    expect(after.find((r) => r.voucher_number === c)).toMatchObject({ id: idOf(c), eligible: false });
    const kept = await db
      .selectFrom('reservations')
      .select(['id', 'status'])
      .where(
        'id',
        'in',
        bookings.map((x) => x.id),
      )
      .execute();
    expect(kept.map((k) => k.status)).toEqual(['booked', 'booked']);

    const missing = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/resident-imports/${done.id}/missing`, {
      session: staffer,
    });
    expect(missing.status, missing.text).toBe(200);
    expect(missing.body.residents).toEqual([
      expect.objectContaining({
        voucherNumber: c,
        eligible: false,
        activeBookings: [expect.objectContaining({ reservationNumber: bookings[1]!.number, dose: 1 })],
      }),
    ]);
  });

  it('resumes an import that crashed after some batches: every batch whole, nobody twice', async () => {
    const town = await freshTown();
    const rows = Array.from({ length: 9 }, (_, i) => [voucher(), `再開 ${i}`, `サイカイ ${'アイウエオカキクケ'[i]}`, '1970-01-01', '女']);
    rows[4]![0] = rows[1]![0]!; // a duplicate in the third batch
    const file = utf8Csv([['券番号', '氏名', 'フリガナ', '生年月日', '性別'], ...rows]);
    // A second instance of the module, without a job queue and with batches of two rows.
    const local = createResidentImport({
      db,
      clock: systemClock,
      audit: createAuditLog(db),
      municipalities: createMunicipalitiesRepository(db, systemClock),
      batchRows: 2,
    });
    const accountId = stafferId;
    const uploaded = await local.service.upload(town.code, { fileName: 'x.csv', file }, { accountId, ip: '127.0.0.1' });
    await local.service.start(town.code, uploaded.import.id, { full: false, markMissingIneligible: false }, { accountId, ip: '127.0.0.1' });
    let checks = 0;
    const crashing = {
      throwIfAborted() {
        if (++checks > 2) throw new Error('the worker died');
      },
    } as unknown as AbortSignal;
    await expect(local.runner.run(uploaded.import.id, crashing)).rejects.toThrow('the worker died');
    const halfway = await local.service.get(town.code, uploaded.import.id);
    expect(halfway).toMatchObject({ status: 'running', rowsTotal: 9, rowsDone: 4 });
    expect(await residentsOf(db, town.code)).toHaveLength(4);

    await local.runner.run(uploaded.import.id, new AbortController().signal);
    const done = await local.service.get(town.code, uploaded.import.id);
    expect(done).toMatchObject({ status: 'done', rowsDone: 9, created: 8, rejected: 1 });
    expect(await residentsOf(db, town.code)).toHaveLength(8);
  });

  it('gives another municipality’s staff nothing, and viewers no import', async () => {
    const town = await freshTown();
    const file = utf8Csv([
      ['券番号', '氏名', 'フリガナ', '生年月日', '性別'],
      [voucher(), '秘密 人', 'ヒミツ ヒト', '1970-01-01', '男'],
    ]);
    const { done } = await importFile(server, town.code, staffer, file);
    for (const path of ['', `/${done.id}`, `/${done.id}/rejects`, `/${done.id}/missing`]) {
      const theirs = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/resident-imports${path}`, {
        session: outsider,
      });
      expect([path, theirs.status, theirs.body?.code]).toEqual([path, 404, 'municipality-not-found']);
      const seen = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${town.code}/resident-imports${path}`, { session: viewer });
      expect([path, seen.status]).toEqual([path, 403]);
    }
    const upload = await uploadFile(server, town.code, outsider, file);
    expect(upload.status).toBe(404);
    expect(await residentsOf(db, town.code)).toHaveLength(1);
  });
});
