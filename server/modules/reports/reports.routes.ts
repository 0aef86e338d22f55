import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, IsoDateSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { StaffLanguage } from '../../../shared/i18n/staff-exports/index.js';
import type { Download, ReportsService } from './reports.service.js';
import { ageBandLabel } from './reports.service.js';
import { contentTypeOf, extensionOf, XLSX_TYPE, type TableFormat } from './table-writer.js';

const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });
/** A string with an enum (not a union of literals): query parameters stay plain strings in the document. */
const StringEnum = <T extends string>(values: readonly T[], options: { default?: T; description: string }) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
const Format = StringEnum(['xlsx', 'csv', 'csv-sjis'] as const, {
  default: 'xlsx',
  description: '.xlsx, CSV in UTF-8 with BOM, or CSV in Shift_JIS (CP932) for older Excel',
});
const Table = Type.Unsafe<string>({
  description: 'The list, streamed: .xlsx or CSV (CRLF) as `format` asks; headers in the staff member’s language',
  content: {
    [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
    'text/csv': { schema: { type: 'string' } },
  },
});
const Xlsx = Type.Unsafe<string>({ description: '.xlsx', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } });
const Csv = Type.Unsafe<string>({ description: 'CSV, UTF-8 with BOM, CRLF', content: { 'text/csv': { schema: { type: 'string' } } } });
const Range = Type.Object({ from: IsoDateSchema, to: IsoDateSchema }, { additionalProperties: false });
const CrossTabQuery = Type.Object(
  {
    from: IsoDateSchema,
    to: IsoDateSchema,
    period: StringEnum(['day', 'week', 'month'] as const, { description: 'ISO weeks start on Monday; a period is named by its first day' }),
  },
  { additionalProperties: false },
);
const CrossTab = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  rows: Type.Array(
    Type.Object({
      period: Type.String({ description: 'First day of the period, YYYY-MM-DD' }),
      ageBand: Type.Integer({ description: '0, 10, … 90 (90 and over)' }),
      ageBandLabel: Type.String(),
      sex: Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('X')]),
      bookings: Type.Integer({ description: 'Not cancelled' }),
      attended: Type.Integer(),
    }),
  ),
});

/** Lists, cross-tabs and the dose export of a municipality. */
export function reportsRoutes(deps: {
  reports: ReportsService;
  languageOf: (accountId: number) => Promise<StaffLanguage>;
}): FastifyPluginAsyncTypebox {
  const actor = async (request: FastifyRequest) => {
    const accountId = staffOf(request).principal.accountId;
    return { accountId, ip: request.ip, language: await deps.languageOf(accountId) };
  };
  const send = (reply: FastifyReply, download: Download, format: TableFormat) =>
    reply
      .headers({
        'content-disposition': `attachment; filename="${download.fileName}.${extensionOf(format)}"`,
        'cache-control': 'no-store',
      })
      .type(contentTypeOf(format))
      .send(download.stream);

  return async (app) => {
    app.get(
      '/staff/municipalities/:municipalityCode/reports/reserved',
      {
        config: { action: 'reports.lists' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'exportReservedList',
          summary: '予約者リスト: the bookings of one day, at one venue or all, by time (the download is audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object(
            { date: IsoDateSchema, venueId: Type.Optional(IdSchema), format: Type.Optional(Format) },
            { additionalProperties: false },
          ),
          response: { 200: Table, ...problems(400) },
        },
      },
      async (request, reply) => {
        const { date, venueId, format = 'xlsx' } = request.query;
        const download = await deps.reports.reserved(request.params.municipalityCode, { date, venueId }, format, await actor(request));
        return send(reply as FastifyReply, download, format);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/reports/unreserved',
      {
        config: { action: 'reports.lists' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'exportUnreservedList',
          summary: '未予約者リスト: eligible residents without an active booking for their next dose (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object({ format: Type.Optional(Format) }, { additionalProperties: false }),
          response: { 200: Table, ...problems(400) },
        },
      },
      async (request, reply) => {
        const format = request.query.format ?? 'xlsx';
        const download = await deps.reports.unreserved(request.params.municipalityCode, format, await actor(request));
        return send(reply as FastifyReply, download, format);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/reports/ledger',
      {
        config: { action: 'reports.lists' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'exportReservationLedger',
          summary: '予約台帳: every reservation with its history, streamed (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object({ format: Type.Optional(Format) }, { additionalProperties: false }),
          response: { 200: Table, ...problems(400) },
        },
      },
      async (request, reply) => {
        const format = request.query.format ?? 'xlsx';
        const download = await deps.reports.ledger(request.params.municipalityCode, format, await actor(request));
        return send(reply as FastifyReply, download, format);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/reports/crosstab',
      {
        config: { action: 'reports.view' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'getBookingCrossTab',
          summary: 'Bookings and attended doses per day, ISO week or month × 10-year age band (90+ last) × sex',
          security: staffSignedIn,
          params: Params,
          querystring: CrossTabQuery,
          response: { 200: CrossTab, ...problems(400) },
        },
      },
      async (request) => {
        const { language } = await actor(request);
        const rows = await deps.reports.crossTab(request.params.municipalityCode, request.query);
        return {
          ...request.query,
          rows: rows.map((r) => ({
            period: r.period,
            ageBand: r.band,
            ageBandLabel: ageBandLabel(r.band, language),
            sex: r.sex,
            bookings: r.bookings,
            attended: r.attended,
          })),
        };
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/reports/crosstab/export',
      {
        config: { action: 'reports.view' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'exportBookingCrossTab',
          summary: 'The cross-tab as .xlsx (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: CrossTabQuery,
          response: { 200: Xlsx, ...problems(400) },
        },
      },
      async (request, reply) => {
        const download = await deps.reports.crossTabXlsx(request.params.municipalityCode, request.query, await actor(request));
        return send(reply as FastifyReply, download, 'xlsx');
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/reports/doses',
      {
        config: { action: 'reports.dose-export' },
        schema: {
          tags: ['staff-reports'],
          operationId: 'exportAttendedDoses',
          summary: 'Attended doses as CSV for the national vaccination record (layout: docs/dose-export.md; audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Range,
          response: { 200: Csv, ...problems(400) },
        },
      },
      async (request, reply) => {
        const download = await deps.reports.doseExport(request.params.municipalityCode, request.query, await actor(request));
        return send(reply as FastifyReply, download, 'csv');
      },
    );
  };
}
