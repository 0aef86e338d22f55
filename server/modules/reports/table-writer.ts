import { once } from 'node:events';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** How a list is downloaded: .xlsx, CSV in UTF-8 with BOM (Excel reads Japanese), or Shift_JIS for older Excel. */
export type TableFormat = 'xlsx' | 'csv' | 'csv-sjis';
export const TABLE_FORMATS: readonly TableFormat[] = ['xlsx', 'csv', 'csv-sjis'];

export type CellValue = string | number | null;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function contentTypeOf(format: TableFormat): string {
  if (format === 'xlsx') return XLSX_TYPE;
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'text/csv; charset=shift_jis';
}

export function extensionOf(format: TableFormat): string {
  return format === 'xlsx' ? 'xlsx' : 'csv';
}

/**
 * A spreadsheet runs a CSV cell that starts with = + - @ (or a tab / return before one) as a
 * formula; an apostrophe in front keeps it text. Names and addresses are what people typed.
 */
function inert(value: CellValue): string {
  if (value === null) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function* asCsvRecords(headers: string[], rows: AsyncIterable<CellValue[]>) {
  yield headers;
  for await (const row of rows) yield row.map(inert);
}

/**
 * Writes a table as a stream: rows are pulled from `rows` only as fast as the reader takes the
 * bytes, so memory stays flat however long the table. A failure mid-way cuts the download short.
 */
export function writeTable(format: TableFormat, sheetName: string, headers: string[], rows: AsyncIterable<CellValue[]>): Readable {
  if (format !== 'xlsx') {
    const csv = stringify({ bom: format === 'csv', record_delimiter: 'windows' });
    const source = Readable.from(asCsvRecords(headers, rows));
    if (format === 'csv') return pipeline(source, csv, () => undefined);
    // CP932: Microsoft's Shift_JIS, which Excel and municipal systems read (① and 髙 included).
    return pipeline(source, csv, toShiftJis(), () => undefined);
  }
  const out = new PassThrough();
  void writeXlsx(out, sheetName, headers, rows).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/** csv-stringify writes UTF-8 bytes; these become CP932 (a StringDecoder keeps characters split between chunks whole). */
function toShiftJis(): Transform {
  const decoder = new StringDecoder('utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, iconv.encode(decoder.write(chunk), 'cp932'));
    },
    flush(done) {
      done(null, iconv.encode(decoder.end(), 'cp932'));
    },
  });
}

const BEHIND_BYTES = 4 * 1024 * 1024;

/**
 * exceljs's worksheet writer hands each committed row to the zip (archiver) without waiting for
 * it: when the download is slower than the rows come, the rows pile up in front of the zip's
 * compressor (the first bench run saw 900 MB for a bare write of 1,000,000 rows). It exposes no
 * signal, so this reads how much waits there (its sheet stream's pipe, an internal of exceljs 4.4)
 * and the download's own buffer, and waits until the zip has caught up.
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet, out: PassThrough): Promise<void> {
  type Buffered = { _writableState?: { length: number }; _readableState?: { length: number } };
  const pipes = (sheet as unknown as { stream?: { pipes?: Buffered[] } }).stream?.pipes ?? [];
  // archiver's streams are readable-stream 2's, without writableLength: their states say it.
  const waiting = () => pipes.reduce((n, pipe) => n + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0), 0);
  while (waiting() > BEHIND_BYTES || out.writableNeedDrain) {
    if (out.writableNeedDrain) await once(out, 'drain');
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** exceljs's streaming writer: each row is committed (serialised into the zip) as it comes. */
async function writeXlsx(out: PassThrough, sheetName: string, headers: string[], rows: AsyncIterable<CellValue[]>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.commit();
  let sinceCheck = 0;
  for await (const row of rows) {
    sheet.addRow(row).commit();
    if (++sinceCheck >= 200) {
      sinceCheck = 0;
      await zipCaughtUp(sheet, out);
    }
  }
  sheet.commit();
  await workbook.commit();
}
