import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';

/**
 * Two independent readers of the downloads: exceljs, and a second one that unzips the .xlsx and
 * reads the sheet's XML itself (cells by their A1 reference), so a bug of exceljs's writer that
 * its own reader forgives is still found. CSV is read by csv-parse, Shift_JIS through iconv-lite.
 */
export type Table = { sheetName: string; rows: (string | number | null)[][] };

export async function readWithExceljs(file: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: (string | number | null)[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) {
      const value = row.getCell(i).value;
      cells.push(value === null || value === undefined ? null : typeof value === 'number' ? value : String(value));
    }
    rows.push(cells);
  });
  return { sheetName: sheet.name, rows };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)![0];
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

export async function readSheetXml(file: Buffer): Promise<Table> {
  const zip = await JSZip.loadAsync(file);
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  const sheetName = unescape(/<sheet [^>]*name="([^"]*)"/.exec(workbook)![1]!);
  const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  const shared = zip.file('xl/sharedStrings.xml')
    ? [...(await zip.file('xl/sharedStrings.xml')!.async('string')).matchAll(/<si>.*?<t[^>]*>(.*?)<\/t>.*?<\/si>/gs)].map((m) =>
        unescape(m[1]!),
      )
    : [];
  const width = Number(
    /<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"/.exec(xml)?.[1] ? columnIndex(/<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"/.exec(xml)![1]!) + 1 : 0,
  );
  const rows = [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map((row) => {
    const cells: (string | number | null)[] = [];
    for (const cell of row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const [, ref, attributes, body = ''] = cell;
      const type = /t="(\w+)"/.exec(attributes!)?.[1];
      const value = /<v>(.*?)<\/v>/s.exec(body)?.[1] ?? /<t[^>]*>(.*?)<\/t>/s.exec(body)?.[1];
      cells[columnIndex(ref!)] =
        value === undefined
          ? null
          : type === 's'
            ? shared[Number(value)]!
            : type === 'str' || type === 'inlineStr'
              ? unescape(value)
              : Number(value);
    }
    return Array.from({ length: Math.max(cells.length, width) }, (_, i) => cells[i] ?? null);
  });
  return { sheetName, rows };
}

export function readCsv(file: Buffer, encoding: 'utf-8' | 'shift_jis' = 'utf-8'): string[][] {
  const text = encoding === 'utf-8' ? file.toString('utf8') : iconv.decode(file, 'cp932');
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
}

export async function download(url: string, cookie: string): Promise<{ status: number; type: string; body: Buffer; disposition: string }> {
  const response = await fetch(url, { headers: { cookie } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    disposition: response.headers.get('content-disposition') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}
