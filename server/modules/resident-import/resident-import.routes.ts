import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { AppError } from '../../platform/errors.js';
import { IdSchema, InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { StaffLanguage } from '../../../shared/i18n/staff-exports/index.js';
import { BASE_FIELDS, DOSE_FIELDS } from './columns.js';
import type { ResidentImportService } from './resident-import.service.js';

/** What an upload may be sent as: the file's own bytes, no multipart wrapping. */
export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
] as const;

const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Mapping = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), {
  description: `Field → header of the file. Fields: ${[...BASE_FIELDS, 'dose1.date', 'dose1.vaccine', '…'].join(', ')} (doses 1 to ${DOSE_FIELDS.length / 2})`,
  maxProperties: BASE_FIELDS.length + DOSE_FIELDS.length,
});
const Import = Type.Object({
  id: IdSchema,
  status: Type.Union(['uploaded', 'queued', 'running', 'done', 'failed'].map((s) => Type.Literal(s))),
  fileName: Type.String(),
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  encoding: Type.Union([Type.Literal('utf-8'), Type.Literal('shift_jis'), Type.Null()]),
  fileBytes: Type.Integer(),
  headers: Type.Array(Type.String()),
  mapping: Mapping,
  full: Type.Boolean({ description: 'A full import: residents it does not list are recorded as missing' }),
  markMissingIneligible: Type.Boolean(),
  rowsTotal: Nullable(Type.Integer()),
  rowsDone: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  rejected: Type.Integer(),
  missing: Nullable(Type.Integer()),
  progress: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  error: Nullable(Type.String()),
  createdAt: InstantSchema,
  startedAt: Nullable(InstantSchema),
  finishedAt: Nullable(InstantSchema),
});
const Upload = Type.Object({
  import: Import,
  preview: Type.Object({
    rows: Type.Array(Type.Array(Type.String()), { description: 'The first rows after the header, as read' }),
    missingRequired: Type.Array(Type.String(), { description: 'Required fields no header was found for' }),
    unmappedHeaders: Type.Array(Type.String()),
  }),
});
const Missing = Type.Object({
  importId: IdSchema,
  residents: Type.Array(
    Type.Object({
      id: IdSchema,
      voucherNumber: Type.String(),
      nameKanji: Type.String(),
      nameKana: Type.String(),
      birthDate: Type.String(),
      eligible: Type.Boolean(),
      activeBookings: Type.Array(
        Type.Object({
          reservationNumber: Type.String(),
          dose: Type.Integer(),
          startsAt: InstantSchema,
          venue: Type.Object({ nameJa: Type.String(), nameEn: Type.String() }),
        }),
      ),
    }),
  ),
});
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });
const ImportParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, importId: IdSchema });
const Csv = Type.Unsafe<string>({
  description: 'CSV, UTF-8 with BOM, CRLF',
  content: { 'text/csv': { schema: { type: 'string' } } },
});

/** Importing residents: upload (with preview), start, progress, the rejected rows, the missing. */
export function residentImportRoutes(deps: {
  imports: ResidentImportService;
  maxBytes: number;
  languageOf: (accountId: number) => Promise<StaffLanguage>;
}): FastifyPluginAsyncTypebox {
  const actor = (request: FastifyRequest) => ({ accountId: staffOf(request).principal.accountId, ip: request.ip });
  return async (app) => {
    // Only in this plugin: the rest of the API takes JSON alone.
    app.addContentTypeParser([...IMPORT_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: deps.maxBytes }, (_request, body, done) =>
      done(null, body),
    );

    app.post(
      '/staff/municipalities/:municipalityCode/resident-imports',
      {
        config: { action: 'residents.import', uploadTypes: [...IMPORT_CONTENT_TYPES] },
        bodyLimit: deps.maxBytes,
        schema: {
          tags: ['staff-residents'],
          operationId: 'importResidents',
          summary:
            'Uploads a CSV (UTF-8 with or without BOM, or Shift_JIS) or .xlsx of residents; answers the columns found and the first rows',
          description:
            'The body is the file itself (Content-Type text/csv, the .xlsx type, or application/octet-stream). Nothing is imported until startResidentImport.',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object(
            { fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
            { additionalProperties: false },
          ),
          response: { 201: Upload, ...problems(400, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        // No body, or JSON (which the API's own parser took): not a file.
        if (!Buffer.isBuffer(request.body)) throw new AppError('unsupported-media-type');
        const answer = await deps.imports.upload(
          request.params.municipalityCode,
          { fileName: request.query.fileName ?? 'residents', file: request.body },
          actor(request),
        );
        return reply.code(201).send(answer);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/resident-imports',
      {
        config: { action: 'residents.import' },
        schema: {
          tags: ['staff-residents'],
          operationId: 'listResidentImports',
          summary: 'The 50 latest imports of residents, newest first',
          security: staffSignedIn,
          params: Params,
          response: { 200: Type.Object({ imports: Type.Array(Import) }) },
        },
      },
      async (request) => ({ imports: await deps.imports.list(request.params.municipalityCode) }),
    );

    app.get(
      '/staff/municipalities/:municipalityCode/resident-imports/:importId',
      {
        config: { action: 'residents.import' },
        schema: {
          tags: ['staff-residents'],
          operationId: 'getResidentImport',
          summary: "An import's state and progress (poll it; the job runs whether or not anyone watches)",
          security: staffSignedIn,
          params: ImportParams,
          response: { 200: Import, ...problems(400) },
        },
      },
      async (request) => deps.imports.get(request.params.municipalityCode, request.params.importId),
    );

    app.post(
      '/staff/municipalities/:municipalityCode/resident-imports/:importId/start',
      {
        config: { action: 'residents.import' },
        schema: {
          tags: ['staff-residents'],
          operationId: 'startResidentImport',
          summary: 'Confirms the columns (remembered for the next file) and runs the import as a background job',
          security: staffSignedIn,
          params: ImportParams,
          body: Type.Object(
            {
              mapping: Type.Optional(Mapping),
              full: Type.Optional(Type.Boolean({ default: false, description: 'The file lists every resident: record who is missing' })),
              markMissingIneligible: Type.Optional(
                Type.Boolean({ default: false, description: 'With full: mark the missing ineligible (their bookings stay)' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 202: Import, ...problems(400, 409, 422) },
        },
      },
      async (request, reply) => {
        const { mapping, full = false, markMissingIneligible = false } = request.body;
        const started = await deps.imports.start(
          request.params.municipalityCode,
          request.params.importId,
          { mapping, full, markMissingIneligible },
          actor(request),
        );
        return reply.code(202).send(started);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/resident-imports/:importId/rejects',
      {
        config: { action: 'residents.import' },
        schema: {
          tags: ['staff-residents'],
          operationId: 'exportResidentImportRejects',
          summary: 'The rejected rows and why, as CSV in the staff member’s language (the download is audited)',
          security: staffSignedIn,
          params: ImportParams,
          response: { 200: Csv, ...problems(400) },
        },
      },
      async (request, reply) => {
        const by = actor(request);
        const { municipalityCode, importId } = request.params;
        const csv = await deps.imports.rejectsCsv(municipalityCode, importId, await deps.languageOf(by.accountId), by);
        return (reply as FastifyReply)
          .headers({ 'content-disposition': `attachment; filename="import-${importId}-rejects.csv"`, 'cache-control': 'no-store' })
          .type('text/csv; charset=utf-8')
          .send(csv);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/resident-imports/:importId/missing',
      {
        config: { action: 'residents.import' },
        schema: {
          tags: ['staff-residents'],
          operationId: 'listResidentImportMissing',
          summary: 'After a full import: the residents it did not list, with their active bookings (none is cancelled)',
          security: staffSignedIn,
          params: ImportParams,
          response: { 200: Missing, ...problems(400) },
        },
      },
      async (request) => deps.imports.missing(request.params.municipalityCode, request.params.importId, actor(request)),
    );
  };
}
