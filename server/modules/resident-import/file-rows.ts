import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Cell } from './row-rules.js';

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'shift_jis';

/** An .xlsx is a zip: it starts with PK\x03\x04. */
export function formatOf(file: Buffer): FileFormat {
  return file.length >= 4 && file.readUInt32BE(0) === 0x504b0304 ? 'xlsx' : 'csv';
}

/**
 * UTF-8 when the file has its byte-order mark or decodes as UTF-8 without a fault; otherwise
 * Shift_JIS as municipal systems write it (read as CP932, Microsoft's Shift_JIS with its extra
 * characters such as ① and 髙). A Shift_JIS file of Japanese text practically never happens to be
 * valid UTF-8, so the test on the whole file is safe.
 */
export function encodingOf(file: Buffer): TextEncoding {
  if (file.length >= 3 && file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) return 'utf-8';
  // Piece by piece: the whole file as one string would take twice its size again.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let at = 0; at < file.length; at += 64 * 1024) decoder.decode(file.subarray(at, at + 64 * 1024), { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'shift_jis';
  }
}

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellOf(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return undefined;
}

/**
 * The file in pieces of 64 KiB: a parser given the whole file in one chunk would parse all of it
 * at once and hold every row in its buffer, whatever the reader's pace.
 */
function pieces(file: Buffer): Readable {
  const size = 64 * 1024;
  return Readable.from(
    (function* () {
      for (let at = 0; at < file.length; at += size) yield file.subarray(at, at + size);
    })(),
  );
}

/** A file as the readers take it: whole (an upload's preview), or its stored pieces (the job). */
export type FileSource = Buffer | (() => AsyncIterable<Buffer>);

function streamOf(file: FileSource): Readable {
  return Buffer.isBuffer(file) ? pieces(file) : Readable.from(file());
}

async function* csvRows(file: FileSource, encoding: TextEncoding): AsyncGenerator<Cell[]> {
  const decoded = streamOf(file).pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf-8' : 'cp932', { stripBOM: true }));
  const parser = decoded.pipe(parse({ relax_column_count: true, skip_empty_lines: true, relax_quotes: true, trim: false }));
  for await (const record of parser) yield record as string[];
}

async function* xlsxRows(file: FileSource): AsyncGenerator<Cell[]> {
  // The streaming reader: one row at a time, never the whole workbook in memory.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(streamOf(file), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      // exceljs numbers cells from 1: values[0] is always empty.
      const cells = values.slice(1).map(cellOf);
      if (cells.some((c) => c !== undefined && c !== '')) yield cells;
    }
    // The first sheet only: a second one is notes, not residents.
    return;
  }
}

/** Every non-empty row of the file, the header row first. */
export function rowsOf(file: FileSource, format: FileFormat, encoding: TextEncoding): AsyncGenerator<Cell[]> {
  return format === 'xlsx' ? xlsxRows(file) : csvRows(file, encoding);
}

/** The header row and the first `count` rows after it. */
export async function headOf(file: Buffer, format: FileFormat, encoding: TextEncoding, count: number) {
  const rows: Cell[][] = [];
  for await (const row of rowsOf(file, format, encoding)) {
    rows.push(row);
    if (rows.length > count) break;
  }
  const [header = [], ...first] = rows;
  return { headers: header.map((cell) => (cell instanceof Date ? cell.toISOString().slice(0, 10) : (cell ?? '').trim())), rows: first };
}
