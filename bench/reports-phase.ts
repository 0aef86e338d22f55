/**
 * One phase of npm run bench:reports, in a process of its own so that its peak memory (maxRSS)
 * is its alone. Prints one line of JSON. Phases: import, export (xlsx|csv), bare-xlsx, bare-csv.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { openDatabase } from '../server/db/database.js';
import { createAuditLog } from '../server/modules/audit/index.js';
import { createMunicipalitiesRepository } from '../server/modules/municipalities/index.js';
import { createReports, type TableFormat } from '../server/modules/reports/index.js';
import { createResidentImport } from '../server/modules/resident-import/index.js';
import { systemClock } from '../server/platform/clock.js';

const [phase = '', url = '', schema = '', code = '', arg = ''] = process.argv.slice(2);

/** Counts what a download would send, and throws it away. */
function sink(): { stream: Writable; bytes: () => number } {
  let bytes = 0;
  return {
    stream: new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        // A client on a fast network: the bytes leave at once.
        setImmediate(done);
      },
    }),
    bytes: () => bytes,
  };
}

const startRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);

function finish(result: Record<string, unknown>) {
  clearInterval(sampler);
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ ...result, maxRssMb, startRssMb, peakHeapMb: Math.round(peakHeap / 2 ** 20) }));
}

/** A row of the same shape as a ledger row (18 columns), for the bare writes. */
function syntheticRow(i: number): (string | number | null)[] {
  return [
    `A${String(i).padStart(9, '0')}`,
    '予約中',
    '2026-12-03',
    '10:30',
    'テスト会場',
    String(1_000_000_000 + i),
    `大量 ${i}`,
    'タイリョウ',
    '1950-01-01',
    76,
    '女',
    null,
    2,
    'pfizer',
    'staff',
    '2026-12-01T10:00:00.000Z',
    null,
    'booked 2026-12-01 19:00',
  ];
}

async function main() {
  if (phase === 'bare-xlsx' || phase === 'bare-csv') {
    const rows = Number(arg);
    const out = sink();
    const started = performance.now();
    if (phase === 'bare-xlsx') {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out.stream, useSharedStrings: false, useStyles: false });
      const sheet = workbook.addWorksheet('ledger');
      for (let i = 0; i < rows; i++) {
        sheet.addRow(syntheticRow(i)).commit();
        if (i % 500 === 0 && out.stream.writableNeedDrain) await new Promise((r) => out.stream.once('drain', r));
      }
      sheet.commit();
      await workbook.commit();
    } else {
      async function* records() {
        for (let i = 0; i < rows; i++) yield syntheticRow(i);
      }
      await pipeline(records, stringify({ bom: true, record_delimiter: 'windows' }), out.stream);
    }
    return finish({ phase, rows, seconds: (performance.now() - started) / 1000, bytes: out.bytes() });
  }

  const db = await openDatabase({ url, dataDir: '/tmp', schema, poolMax: 4 });
  const audit = createAuditLog(db);
  const municipalities = createMunicipalitiesRepository(db, systemClock);
  try {
    if (phase === 'import') {
      const file = fs.readFileSync(arg);
      const account = await db
        .insertInto('staff_accounts')
        .values({ email: `bench-${Date.now()}@example.org` })
        .returning('id')
        .executeTakeFirstOrThrow();
      const residentImport = createResidentImport({ db, clock: systemClock, audit, municipalities });
      const by = { accountId: account.id, ip: '127.0.0.1' };
      const started = performance.now();
      const uploaded = await residentImport.service.upload(code, { fileName: 'bench.csv', file }, by);
      await residentImport.service.start(code, uploaded.import.id, { full: true, markMissingIneligible: false }, by);
      await residentImport.runner.run(uploaded.import.id, new AbortController().signal);
      const seconds = (performance.now() - started) / 1000;
      const done = await residentImport.service.get(code, uploaded.import.id);
      return finish({ phase, seconds, rows: done.rowsDone, created: done.created, rejected: done.rejected, status: done.status });
    }
    if (phase === 'export') {
      const reports = createReports({ db, clock: systemClock, audit, municipalities });
      const out = sink();
      const started = performance.now();
      const download = await reports.ledger(code, arg as TableFormat, { accountId: 1, ip: '127.0.0.1', language: 'ja' });
      await pipeline(download.stream, out.stream);
      return finish({ phase, format: arg, seconds: (performance.now() - started) / 1000, bytes: out.bytes() });
    }
    throw new Error(`unknown phase ${phase}`);
  } finally {
    await db.destroy();
  }
}

await main();
