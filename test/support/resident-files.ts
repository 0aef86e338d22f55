import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { expect } from 'vitest';
import type { Db } from '../../server/db/database.js';
import type { TestServer } from './server.js';
import { staffCall, type StaffSession } from './staff.js';

/** Files of residents as municipal systems write them, made by the tests themselves. */
export function csvText(rows: string[][]): string {
  return (
    rows.map((row) => row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\r\n') + '\r\n'
  );
}

export function utf8Csv(rows: string[][], bom = true): Buffer {
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(csvText(rows), 'utf8')]);
}

export function shiftJisCsv(rows: string[][]): Buffer {
  return iconv.encode(csvText(rows), 'cp932');
}

export async function xlsxFile(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('対象者');
  for (const row of rows) sheet.addRow(row);
  workbook.addWorksheet('メモ').addRow(['not residents']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Uploads a file as the staff web app does: the bytes as the body. */
export async function uploadFile(
  server: Pick<TestServer, 'url'>,
  code: string,
  session: StaffSession,
  file: Buffer,
  name = 'residents.csv',
) {
  const response = await fetch(`${server.url}/api/v1/staff/municipalities/${code}/resident-imports?fileName=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      'content-type': name.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv',
    },
    body: new Uint8Array(file),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

/** Polls the import's progress, as the page does, until it has finished. */
export async function waitForImport(server: Pick<TestServer, 'url'>, code: string, session: StaffSession, id: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await staffCall(server, 'GET', `/api/v1/staff/municipalities/${code}/resident-imports/${id}`, { session });
    expect(answer.status, answer.text).toBe(200);
    if (answer.body.status === 'done' || answer.body.status === 'failed') return answer.body;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${answer.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Uploads, starts with the detected columns, and waits for the end. */
export async function importFile(
  server: Pick<TestServer, 'url'>,
  code: string,
  session: StaffSession,
  file: Buffer,
  options: { name?: string; full?: boolean; markMissingIneligible?: boolean; mapping?: Record<string, string> } = {},
) {
  const uploaded = await uploadFile(server, code, session, file, options.name);
  expect(uploaded.status, uploaded.text).toBe(201);
  const started = await staffCall(
    server,
    'POST',
    `/api/v1/staff/municipalities/${code}/resident-imports/${uploaded.body.import.id}/start`,
    {
      session,
      body: { full: options.full ?? false, markMissingIneligible: options.markMissingIneligible ?? false, mapping: options.mapping },
    },
  );
  expect(started.status, started.text).toBe(202);
  return { uploaded: uploaded.body, done: await waitForImport(server, code, session, uploaded.body.import.id) };
}

export function residentsOf(db: Db, code: string) {
  return db
    .selectFrom('residents')
    .select([
      'id',
      'voucher_number',
      'birth_date',
      'name_kanji',
      'name_kana',
      'name_kana_key',
      'sex',
      'postcode',
      'address',
      'phone',
      'eligible',
    ])
    .where('municipality_code', '=', code)
    .orderBy('voucher_number')
    .execute();
}
