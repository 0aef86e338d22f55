import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addDays, isIsoDate } from '../../../shared/dates.js';
import { AppError } from '../../platform/errors.js';
import { IdSchema, InstantSchema, IsoDateSchema, MunicipalityCodeSchema, problems } from '../../platform/schemas.js';
import type { VenuesService } from './venues.service.js';

const Mark = Type.Union([Type.Literal('free'), Type.Literal('few'), Type.Literal('full')], {
  description: 'free ○, few left △, full or closed ×',
});
const Range = Type.Object({ from: IsoDateSchema, to: IsoDateSchema }, { additionalProperties: false });

function checkRange(range: { from: string; to: string }, maxDays: number): void {
  const valid = isIsoDate(range.from) && isIsoDate(range.to) && range.from <= range.to && addDays(range.from, maxDays) >= range.to;
  if (!valid) throw new AppError('invalid-request', { errors: [{ field: 'querystring.to', rule: 'range' }] });
}

export function venuesRoutes(deps: { venues: VenuesService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/municipalities/:code',
      {
        schema: {
          tags: ['venues'],
          operationId: 'getMunicipality',
          summary: 'A municipality using the site',
          params: Type.Object({ code: MunicipalityCodeSchema }),
          response: {
            200: Type.Object({
              code: Type.String(),
              nameJa: Type.String(),
              nameEn: Type.String(),
              timeZone: Type.String(),
              callCentrePhone: Type.Union([Type.String(), Type.Null()]),
            }),
            ...problems(400, 404),
          },
        },
      },
      async (request, reply) => {
        const m = await deps.venues.municipality(request.params.code);
        reply.header('cache-control', 'public, max-age=60');
        return { code: m.code, nameJa: m.nameJa, nameEn: m.nameEn, timeZone: m.timeZone, callCentrePhone: m.callCentrePhone };
      },
    );

    app.get(
      '/municipalities/:code/venues',
      {
        schema: {
          tags: ['venues'],
          operationId: 'listVenues',
          summary: 'Venues of a municipality, each with its vaccine',
          params: Type.Object({ code: MunicipalityCodeSchema }),
          response: {
            200: Type.Array(
              Type.Object({
                id: IdSchema,
                nameJa: Type.String(),
                nameEn: Type.String(),
                address: Type.String(),
                accessNotes: Type.Union([Type.String(), Type.Null()]),
                mapUrl: Type.Union([Type.String(), Type.Null()]),
                texts: Type.Record(
                  Type.String(),
                  Type.Object({
                    name: Type.Optional(Type.String()),
                    address: Type.Optional(Type.String()),
                    accessNotes: Type.Optional(Type.String()),
                  }),
                  {
                    description:
                      'Name, address and access notes per language code (ja-x-easy, vi, …), as staff gave them; any may be missing',
                  },
                ),
                vaccine: Type.Object({ code: Type.String(), nameJa: Type.String(), nameEn: Type.String() }),
              }),
            ),
            ...problems(400, 404),
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'public, max-age=60');
        return deps.venues.listVenues(request.params.code);
      },
    );

    app.get(
      '/venues/:venueId/days',
      {
        schema: {
          tags: ['venues'],
          operationId: 'listVenueDays',
          summary: 'Calendar: one mark per date (best of its bookable slots)',
          params: Type.Object({ venueId: IdSchema }),
          querystring: Range,
          response: {
            200: Type.Array(Type.Object({ date: IsoDateSchema, mark: Mark, remaining: Type.Integer() })),
            ...problems(400, 404),
          },
        },
      },
      async (request, reply) => {
        checkRange(request.query, 62);
        reply.header('cache-control', 'no-store');
        return deps.venues.listDays(request.params.venueId, request.query.from, request.query.to);
      },
    );

    app.get(
      '/venues/:venueId/slots',
      {
        schema: {
          tags: ['venues'],
          operationId: 'listVenueSlots',
          summary: 'Time slots with remaining places and mark',
          params: Type.Object({ venueId: IdSchema }),
          querystring: Range,
          response: {
            200: Type.Array(
              Type.Object({
                id: IdSchema,
                startsAt: InstantSchema,
                durationMinutes: Type.Integer(),
                capacity: Type.Integer(),
                remaining: Type.Integer(),
                mark: Mark,
                bookable: Type.Boolean(),
                opensAt: InstantSchema,
                closesAt: InstantSchema,
              }),
            ),
            ...problems(400, 404),
          },
        },
      },
      async (request, reply) => {
        checkRange(request.query, 31);
        reply.header('cache-control', 'no-store');
        return deps.venues.listSlots(request.params.venueId, request.query.from, request.query.to);
      },
    );
  };
}
