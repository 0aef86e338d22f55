import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { AuditFilters, AuditService } from './audit.service.js';

const Filters = Type.Object(
  {
    staffAccountId: Type.Optional(IdSchema),
    residentId: Type.Optional(IdSchema),
    action: Type.Optional(
      Type.String({
        pattern: '^[a-z-]+(\\.[a-z-]*)?$',
        maxLength: 60,
        description: 'An action (`staff.sign-in`), or all of a subject (`staff.`)',
      }),
    ),
    from: Type.Optional(InstantSchema),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601, UTC; exclusive' })),
  },
  { additionalProperties: false },
);
const Page = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Continue after this entry (`nextBefore` of the previous page)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const AllFilters = Type.Composite([Filters, Type.Object({ municipalityCode: Type.Optional(MunicipalityCodeSchema) })], {
  additionalProperties: false,
});
const Entry = Type.Object({
  id: IdSchema,
  at: InstantSchema,
  actor: Type.Object({
    kind: Type.Union([Type.Literal('staff'), Type.Literal('resident'), Type.Literal('anonymous'), Type.Literal('system')]),
    id: Type.Union([Type.String(), Type.Null()], {
      description: 'Staff account or resident id; a keyed hash of the address for anonymous callers',
    }),
    email: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
  action: Type.String(),
  municipalityCode: Type.Union([Type.String(), Type.Null()]),
  residentId: Type.Union([IdSchema, Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
const SearchAnswer = Type.Object({
  entries: Type.Array(Entry),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next page; null on the last' }),
});
const Csv = Type.Unsafe<string>({
  description: 'The selected entries, newest first, as CSV (UTF-8 with BOM, CRLF)',
  content: { 'text/csv': { schema: { type: 'string' } } },
});
const MunicipalityParams = Type.Object({ municipalityCode: MunicipalityCodeSchema });

function filtersOf(query: Static<typeof Filters>, municipalityCode: string | undefined): AuditFilters {
  return {
    municipalityCode,
    staffAccountId: query.staffAccountId,
    residentId: query.residentId,
    action: query.action,
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
  };
}

function shape(page: Awaited<ReturnType<AuditService['search']>>) {
  return {
    nextBefore: page.nextBefore,
    entries: page.entries.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: { kind: row.actorKind, id: row.actorId, email: row.actorEmail, name: row.actorName },
      action: row.action,
      municipalityCode: row.municipalityCode,
      residentId: row.residentId,
      ip: row.ip,
      detail: row.detail,
    })),
  };
}

/** Audit search and CSV export: of one municipality (its administrators), or of everything (super-administrators). */
export function auditRoutes(deps: { audit: AuditService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const exportHeaders = (name: string) => ({
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    });

    app.get(
      '/staff/municipalities/:municipalityCode/audit',
      {
        config: { action: 'audit.search' },
        schema: {
          tags: ['staff-audit'],
          operationId: 'searchAuditLog',
          summary: "The municipality's audit log, newest first, by staff member, resident, action and time",
          security: staffSignedIn,
          params: MunicipalityParams,
          querystring: Type.Composite([Filters, Page], { additionalProperties: false }),
          response: { 200: SearchAnswer, ...problems(400) },
        },
      },
      async (request) => {
        const { before, limit = 50, ...filters } = request.query;
        return shape(await deps.audit.search(filtersOf(filters, request.params.municipalityCode), { before, limit }));
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/audit/export',
      {
        config: { action: 'audit.export' },
        schema: {
          tags: ['staff-audit'],
          operationId: 'exportAuditLog',
          summary: "The municipality's audit log as CSV (streamed; the export is itself recorded)",
          security: staffSignedIn,
          params: MunicipalityParams,
          querystring: Filters,
          response: { 200: Csv, ...problems(400) },
        },
      },
      async (request, reply) => {
        const { principal } = staffOf(request);
        const code = request.params.municipalityCode;
        const csv = await deps.audit.exportCsv(filtersOf(request.query, code), { accountId: principal.accountId, ip: request.ip });
        // A stream, not the typed serializer's string.
        return (reply as FastifyReply)
          .headers(exportHeaders(`audit-${code}.csv`))
          .type('text/csv; charset=utf-8')
          .send(csv);
      },
    );

    app.get(
      '/staff/audit',
      {
        config: { action: 'audit.search-all' },
        schema: {
          tags: ['staff-audit'],
          operationId: 'searchDeploymentAuditLog',
          summary: 'Super-administrators: the whole audit log (every municipality and deployment-wide entries)',
          security: staffSignedIn,
          querystring: Type.Composite([AllFilters, Page], { additionalProperties: false }),
          response: { 200: SearchAnswer, ...problems(400) },
        },
      },
      async (request) => {
        const { before, limit = 50, municipalityCode, ...filters } = request.query;
        return shape(await deps.audit.search(filtersOf(filters, municipalityCode), { before, limit }));
      },
    );

    app.get(
      '/staff/audit/export',
      {
        config: { action: 'audit.export-all' },
        schema: {
          tags: ['staff-audit'],
          operationId: 'exportDeploymentAuditLog',
          summary: 'Super-administrators: the whole audit log as CSV (streamed; the export is itself recorded)',
          security: staffSignedIn,
          querystring: AllFilters,
          response: { 200: Csv, ...problems(400) },
        },
      },
      async (request, reply) => {
        const { principal } = staffOf(request);
        const { municipalityCode, ...filters } = request.query;
        const csv = await deps.audit.exportCsv(filtersOf(filters, municipalityCode), { accountId: principal.accountId, ip: request.ip });
        return (reply as FastifyReply).headers(exportHeaders('audit.csv')).type('text/csv; charset=utf-8').send(csv);
      },
    );
  };
}
