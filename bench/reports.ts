/**
 * npm run bench:reports — the import and export figures of issue 10, written to the "Reports:
 * import and export (issue 10, PostgreSQL)" section of docs/benchmarks.md:
 *
 * 1. Import of BENCH_IMPORT_ROWS (300,000) residents from a UTF-8 CSV through the real import
 *    (upload, columns, row rules, batches of 1,000 in a transaction each, a full import's missing
 *    check), next to PostgreSQL's own COPY of the same rows (already normalised) in the same run.
 * 2. Export of BENCH_LEDGER_ROWS (1,000,000) ledger rows as .xlsx and as CSV through the reports
 *    service (keyset pages from PostgreSQL, exceljs's streaming writer, csv-stringify), next to a
 *    bare exceljs streaming write (and a bare csv-stringify write) of as many rows of the same shape.
 *
 * Each phase runs in a process of its own: its peak memory is that process's maxRSS. PostgreSQL:
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), schema `bench_reports`, refilled.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../server/db/database.js';
import { insertMunicipality, insertVenue } from '../server/demo/seed.js';
import { normaliseKana } from '../server/modules/residents/index.js';
import { machineLine, writeSection } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_reports';
const CODE = '131016';
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS || 300_000);
const LEDGER_ROWS = Number(process.env.BENCH_LEDGER_ROWS || 1_000_000);
const run = promisify(execFile);

interface PhaseResult {
  seconds: number;
  maxRssMb: number;
  peakHeapMb: number;
  startRssMb: number;
  [key: string]: unknown;
}

async function phase(...args: string[]): Promise<PhaseResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/reports-phase.ts', ...args], {
    maxBuffer: 10 * 2 ** 20,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PhaseResult;
}

function residentRow(i: number) {
  const voucher = String(1_000_000_000 + i);
  const year = 1925 + (i % 95);
  const birth = `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const kana = `ヤマダ ${['タロウ', 'ハナコ', 'ジロウ', 'サクラ'][i % 4]}`;
  return {
    voucher,
    birth,
    kanji: `山田 ${i}`,
    kana,
    sex: i % 2 ? 'M' : 'F',
    postcode: `100-${String(i % 10_000).padStart(4, '0')}`,
    address: `東京都千代田区千代田${1 + (i % 9)}-${1 + (i % 30)}`,
    phone: `090${String(10_000_000 + i).slice(-8)}`,
    dose: i % 3 === 0 ? { date: '2021-06-01', vaccine: 'ファイザー' } : undefined,
  };
}

function writeFiles(dir: string) {
  const importFile = path.join(dir, 'residents.csv');
  const copyFile = path.join(dir, 'residents-copy.csv');
  const importLines = ['券番号,氏名,フリガナ,生年月日,性別,郵便番号,住所,電話番号,1回目接種日,1回目ワクチン'];
  const copyLines: string[] = [];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const r = residentRow(i);
    importLines.push(
      [
        r.voucher,
        r.kanji,
        r.kana,
        r.birth,
        r.sex === 'M' ? '男' : '女',
        r.postcode,
        r.address,
        r.phone,
        r.dose?.date ?? '',
        r.dose?.vaccine ?? '',
      ].join(','),
    );
    copyLines.push([CODE, r.voucher, r.birth, r.kanji, r.kana, normaliseKana(r.kana), r.sex, r.postcode, r.address, r.phone].join(','));
  }
  fs.writeFileSync(importFile, `\uFEFF${importLines.join('\r\n')}\r\n`);
  fs.writeFileSync(copyFile, `${copyLines.join('\n')}\n`);
  return { importFile, copyFile, bytes: fs.statSync(importFile).size };
}

async function prepareSchema() {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${SCHEMA} cascade`);
  await client.end();
  const db = await openDatabase({ url: DATABASE_URL, dataDir: '/tmp', schema: SCHEMA, poolMax: 2 });
  await insertMunicipality(db, { code: CODE, nameJa: '千代田区', nameEn: 'Chiyoda', timeZone: 'Asia/Tokyo' });
  await db.destroy();
}

/** COPY of the same rows into a table like residents (its indexes and constraints too). */
async function copyFigures(copyFile: string) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`create table ${SCHEMA}.residents_copy (like ${SCHEMA}.residents including all)`);
  await client.end();
  const started = performance.now();
  await run('psql', [
    DATABASE_URL,
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    `\\copy ${SCHEMA}.residents_copy (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex, postcode, address, phone) from '${copyFile}' csv`,
  ]);
  return (performance.now() - started) / 1000;
}

/** LEDGER_ROWS reservations (with a 'booked' event each) over the imported residents, 200 slots of one venue. */
async function seedLedger() {
  const db = await openDatabase({ url: DATABASE_URL, dataDir: '/tmp', schema: SCHEMA, poolMax: 2 });
  const venueId = await insertVenue(db, {
    municipalityCode: CODE,
    nameJa: 'ベンチ会場',
    nameEn: 'Bench venue',
    address: '千代田区',
    vaccine: 'pfizer',
  });
  await db.destroy();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`set search_path to ${SCHEMA}`);
  await client.query(
    `insert into slots (venue_id, starts_at, duration_minutes, capacity, opens_at, closes_at)
     select $1, now() + (g || ' hours')::interval, 30, 1000000, now() - interval '1 day', now() + interval '400 days' from generate_series(1, 200) g`,
    [venueId],
  );
  const perResident = Math.ceil(LEDGER_ROWS / IMPORT_ROWS);
  await client.query(
    `insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind)
     select 'B' || lpad((row_number() over ())::text, 9, '0'), r.id, (select min(id) from slots) + (r.id * 7 + d) % 200, d, 'pfizer',
            case when d = $2 then 'booked' when d % 5 = 0 then 'cancelled' else 'attended' end, 'self'
     from residents r cross join generate_series(1, $2) d
     where r.municipality_code = $1
     limit $3`,
    [CODE, perResident, LEDGER_ROWS],
  );
  await client.query(
    `insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind) select id, 'booked', slot_id, 'self' from reservations`,
  );
  await client.query('analyze');
  const { rows } = await client.query<{ n: string }>('select count(*) as n from reservations');
  await client.end();
  return Number(rows[0]!.n);
}

const mb = (r: PhaseResult) => `${r.maxRssMb} MB (${r.startRssMb} MB at start; heap ${r.peakHeapMb} MB)`;
const s = (seconds: number) => `${seconds.toFixed(1)} s`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-reports-'));
  console.log(
    `bench:reports: ${IMPORT_ROWS} residents, ${LEDGER_ROWS} ledger rows, PostgreSQL ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`,
  );
  await prepareSchema();
  const files = writeFiles(dir);
  console.log('importing…');
  const imported = await phase('import', DATABASE_URL, SCHEMA, CODE, files.importFile);
  console.log(imported);
  console.log('COPY…');
  const copySeconds = await copyFigures(files.copyFile);
  console.log('seeding the ledger…');
  const ledgerRows = await seedLedger();
  console.log('exporting…');
  const xlsx = await phase('export', DATABASE_URL, SCHEMA, CODE, 'xlsx');
  console.log(xlsx);
  const csv = await phase('export', DATABASE_URL, SCHEMA, CODE, 'csv');
  console.log(csv);
  const bareXlsx = await phase('bare-xlsx', '', '', '', String(ledgerRows));
  console.log(bareXlsx);
  const bareCsv = await phase('bare-csv', '', '', '', String(ledgerRows));
  console.log(bareCsv);
  fs.rmSync(dir, { recursive: true, force: true });

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const body = `
Measured ${date} UTC on ${machineLine()}, PostgreSQL on the same machine (schema \`${SCHEMA}\`), each
phase in a process of its own (peak memory is its maxRSS, next to its RSS once Node, tsx and the
modules had loaded, before any row; heap is the largest heap seen, sampled every 100 ms). **The machine was shared with other work during this run** (load average
${os.loadavg()[0]!.toFixed(1)} at the end on ${os.cpus().length} cores): the times are upper bounds; the ratios to the
baselines, measured in the same run, are the figures to compare.

| what | rows | time | peak memory | baseline in the same run | ratio |
| --- | ---: | ---: | ---: | --- | ---: |
| import of a UTF-8 CSV (${(files.bytes / 2 ** 20).toFixed(1)} MB, full import) | ${imported.rows} | ${s(imported.seconds)} | ${mb(imported)} | COPY of the same rows: ${s(copySeconds)} | ${(imported.seconds / copySeconds).toFixed(1)}× |
| ledger as .xlsx | ${ledgerRows} | ${s(xlsx.seconds)} | ${mb(xlsx)} | bare exceljs streaming write: ${s(bareXlsx.seconds)}, ${mb(bareXlsx)} | ${(xlsx.seconds / bareXlsx.seconds).toFixed(1)}× |
| ledger as CSV (UTF-8 with BOM) | ${ledgerRows} | ${s(csv.seconds)} | ${mb(csv)} | bare csv-stringify write: ${s(bareCsv.seconds)}, ${mb(bareCsv)} | ${(csv.seconds / bareCsv.seconds).toFixed(1)}× |

Targets (issue 10): the import under 60 s with flat memory, the exports under 150 MB. The import
phase uploads the file (the request body, held once, as an API process would) and runs the job,
which reads the stored file in pieces of 256 KiB and holds one batch of 1,000 rows; an export holds
one keyset page of 5,000 rows, and the .xlsx writer waits for exceljs's zip to catch up (the bare
write does not, which is what its memory shows); about 155 MB of every figure is Node with tsx
and the modules loaded, before any row; the .xlsx is ${(Number(xlsx.bytes) / 2 ** 20).toFixed(0)} MB, the CSV
${(Number(csv.bytes) / 2 ** 20).toFixed(0)} MB. Rows imported: ${imported.created} created, ${imported.rejected} rejected (none expected).
`;
  await writeSection('Reports: import and export (issue 10, PostgreSQL)', body);
  console.log(body);
}

await main();
