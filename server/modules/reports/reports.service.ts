import type { Readable } from 'node:stream';
import { isIsoDate, localDate } from '../../../shared/dates.js';
import { staffText, type StaffExportKey, type StaffLanguage } from '../../../shared/i18n/staff-exports/index.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { CrossTabRow, DoseExportRow, LedgerRow, Period, ReportsRepository, ReservedRow, UnreservedRow } from './reports.repository.js';
import { writeTable, type CellValue, type TableFormat } from './table-writer.js';

export interface ReportActor {
  accountId: number;
  ip: string;
  language: StaffLanguage;
}

export interface Download {
  fileName: string;
  stream: Readable;
}

/** Reads every page of a keyset-paginated query, one page in memory at a time. */
async function* allPages<Row, Key>(
  fetch: (after: Key | undefined) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  pageSize: number,
): AsyncGenerator<Row> {
  let after: Key | undefined;
  for (;;) {
    const page = await fetch(after);
    for (const row of page) yield row;
    if (page.length < pageSize) return;
    after = keyOf(page.at(-1)!);
  }
}

async function* mapRows<Row>(rows: AsyncIterable<Row>, toCells: (row: Row) => CellValue[]) {
  for await (const row of rows) yield toCells(row);
}

/** Dates the schema's pattern lets through but no calendar has (2026-02-30, 0000-00-00), and ranges that end before they start. */
function checkDates(dates: Record<string, string>): void {
  const errors = Object.entries(dates)
    .filter(([, value]) => !isIsoDate(value))
    .map(([field]) => ({ field, rule: 'format' }));
  if (errors.length === 0 && dates.from !== undefined && dates.to !== undefined && dates.to < dates.from) {
    errors.push({ field: 'to', rule: 'beforeFrom' });
  }
  if (errors.length > 0) throw new AppError('invalid-request', { errors });
}

export function ageBandLabel(band: number, language: StaffLanguage): string {
  return band >= 90 ? staffText(language, 'crosstab.age90') : `${band}-${band + 9}`;
}

/** The lists (予約者リスト, 未予約者リスト, 予約台帳), the cross-tabs and the dose export; every download audited. */
export function createReportsService(deps: {
  repository: ReportsRepository;
  audit: AuditLog;
  clock: Clock;
  municipalities: Pick<MunicipalitiesRepository, 'record'>;
  pageRows: number;
}) {
  const { repository, audit } = deps;

  async function municipality(code: string) {
    const found = await deps.municipalities.record(code);
    if (!found) throw new AppError('municipality-not-found');
    return found;
  }

  async function audited(code: string, by: ReportActor, action: string, detail: Record<string, unknown>) {
    await audit.record({
      actorKind: 'staff',
      actorId: String(by.accountId),
      action,
      subjectResidentId: null,
      municipalityCode: code,
      ip: by.ip,
      detail,
    });
  }

  const labels = (language: StaffLanguage, keys: StaffExportKey[]) => keys.map((key) => staffText(language, key));
  const sexOf = (sex: 'M' | 'F' | 'X', language: StaffLanguage) => staffText(language, `sex.${sex}`);
  const statusOf = (status: string, language: StaffLanguage) => staffText(language, `status.${status}` as StaffExportKey);

  return {
    async reserved(code: string, filter: { date: string; venueId?: number }, format: TableFormat, by: ReportActor): Promise<Download> {
      checkDates({ date: filter.date });
      const { timeZone } = await municipality(code);
      await audited(code, by, 'reports.reserved-export', { ...filter, format });
      const { language } = by;
      const venueName = (row: { venue_ja: string; venue_en: string }) => (language === 'en' ? row.venue_en : row.venue_ja);
      const rows = allPages<ReservedRow, { startsAt: Date; id: number }>(
        (after) => repository.reservedPage({ code, timeZone, ...filter }, after),
        (row) => ({ startsAt: row.starts_at, id: row.id }),
        deps.pageRows,
      );
      const headers = labels(language, [
        'list.date',
        'list.time',
        'list.venue',
        'list.reservationNumber',
        'list.name',
        'list.kana',
        'list.birthDate',
        'list.age',
        'list.sex',
        'list.voucherNumber',
        'list.phone',
        'list.dose',
        'list.vaccine',
        'list.status',
      ]);
      const stream = writeTable(
        format,
        staffText(language, 'sheet.reserved'),
        headers,
        mapRows(rows, (r) => [
          r.date,
          r.time,
          venueName(r),
          r.number,
          r.name_kanji,
          r.name_kana,
          r.birth_date,
          r.age,
          sexOf(r.sex, language),
          r.voucher_number,
          r.phone,
          r.dose_number,
          r.vaccine,
          statusOf(r.status, language),
        ]),
      );
      return { fileName: `reserved-${code}-${filter.date}${filter.venueId ? `-${filter.venueId}` : ''}`, stream };
    },

    async unreserved(code: string, format: TableFormat, by: ReportActor): Promise<Download> {
      const { timeZone } = await municipality(code);
      await audited(code, by, 'reports.unreserved-export', { format });
      const today = localDate(deps.clock.now(), timeZone);
      const { language } = by;
      const rows = allPages<UnreservedRow, number>(
        (after) => repository.unreservedPage({ code, today }, after ?? 0),
        (row) => row.id,
        deps.pageRows,
      );
      const headers = labels(language, [
        'list.voucherNumber',
        'list.name',
        'list.kana',
        'list.birthDate',
        'list.age',
        'list.sex',
        'list.postcode',
        'list.address',
        'list.phone',
        'list.nextDose',
        'list.lastDoseDate',
      ]);
      const stream = writeTable(
        format,
        staffText(language, 'sheet.unreserved'),
        headers,
        mapRows(rows, (r) => [
          r.voucher_number,
          r.name_kanji,
          r.name_kana,
          r.birth_date,
          r.age,
          sexOf(r.sex, language),
          r.postcode,
          r.address,
          r.phone,
          r.doses + 1,
          r.last_dose_on,
        ]),
      );
      return { fileName: `unreserved-${code}`, stream };
    },

    async ledger(code: string, format: TableFormat, by: ReportActor): Promise<Download> {
      const { timeZone } = await municipality(code);
      await audited(code, by, 'reports.ledger-export', { format });
      const { language } = by;
      const rows = allPages<LedgerRow, number>(
        (after) => repository.ledgerPage({ code, timeZone }, after ?? 0),
        (row) => row.id,
        deps.pageRows,
      );
      const headers = labels(language, [
        'list.reservationNumber',
        'list.status',
        'list.date',
        'list.time',
        'list.venue',
        'list.voucherNumber',
        'list.name',
        'list.kana',
        'list.birthDate',
        'list.age',
        'list.sex',
        'list.phone',
        'list.dose',
        'list.vaccine',
        'list.madeBy',
        'list.createdAt',
        'list.cancelledAt',
        'list.history',
      ]);
      const instant = (at: Date | null) => (at === null ? null : at.toISOString());
      const stream = writeTable(
        format,
        staffText(language, 'sheet.ledger'),
        headers,
        mapRows(rows, (r) => [
          r.number,
          statusOf(r.status, language),
          r.date,
          r.time,
          language === 'en' ? r.venue_en : r.venue_ja,
          r.voucher_number,
          r.name_kanji,
          r.name_kana,
          r.birth_date,
          r.age,
          sexOf(r.sex, language),
          r.phone,
          r.dose_number,
          r.vaccine,
          r.made_by_kind,
          instant(r.created_at),
          instant(r.cancelled_at),
          r.history,
        ]),
      );
      return { fileName: `ledger-${code}`, stream };
    },

    /** Counts only, no names: viewers may read it. */
    async crossTab(code: string, filter: { from: string; to: string; period: Period }): Promise<CrossTabRow[]> {
      checkDates({ from: filter.from, to: filter.to });
      const { timeZone } = await municipality(code);
      return repository.crossTab({ code, timeZone, ...filter });
    },

    async crossTabXlsx(code: string, filter: { from: string; to: string; period: Period }, by: ReportActor): Promise<Download> {
      const rows = await this.crossTab(code, filter);
      await audited(code, by, 'reports.crosstab-export', { ...filter });
      const { language } = by;
      async function* cells() {
        for (const r of rows) yield [r.period, ageBandLabel(r.band, language), sexOf(r.sex, language), r.bookings, r.attended];
      }
      const headers = labels(language, ['crosstab.period', 'crosstab.ageBand', 'crosstab.sex', 'crosstab.bookings', 'crosstab.attended']);
      return {
        fileName: `crosstab-${code}-${filter.period}-${filter.from}-${filter.to}`,
        stream: writeTable('xlsx', staffText(language, 'sheet.crosstab'), headers, cells()),
      };
    },

    /** Attended doses in the layout of docs/dose-export.md (UTF-8, CRLF, fixed formats). */
    async doseExport(code: string, filter: { from: string; to: string }, by: ReportActor): Promise<Download> {
      checkDates({ from: filter.from, to: filter.to });
      const found = await municipality(code);
      await audited(code, by, 'reports.dose-export', { ...filter });
      const vaccines = found.policy.vaccines;
      const rows = allPages<DoseExportRow, number>(
        (after) => repository.dosePage({ code, timeZone: found.timeZone, ...filter }, after ?? 0),
        (row) => row.id,
        deps.pageRows,
      );
      const headers = [
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
      ];
      const stream = writeTable(
        'csv',
        'doses',
        headers,
        mapRows(rows, (r) => [
          r.registered,
          r.date,
          r.voucher_number,
          code,
          String(r.venue_id).padStart(6, '0'),
          r.venue_ja,
          // Not recorded yet: check-in records the lot number, not who gave the dose.
          '',
          vaccines[r.vaccine]?.nameJa ?? r.vaccine,
          r.lot_number ?? '',
          r.dose_number,
        ]),
      );
      return { fileName: `doses-${code}-${filter.from}-${filter.to}`, stream };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
