import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, IsoDateSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { CheckInService, VenueStaff } from './check-in.service.js';

const tags = ['staff-check-in'];
const base = '/staff/municipalities/:municipalityCode/check-in';
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });
const NumberParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, number: Type.String({ minLength: 8, maxLength: 12 }) });
/** A string with an enum (not a union of literals): the document names the values once. */
const Status = Type.Unsafe<'booked' | 'attended' | 'no_show'>({ type: 'string', enum: ['booked', 'attended', 'no_show'] });

const DayQuery = Type.Object(
  {
    venueId: IdSchema,
    date: Type.Optional(IsoDateSchema),
    q: Type.Optional(
      Type.String({
        maxLength: 60,
        description: 'A reservation number, a voucher number (or the 18 digits of its QR code), or part of the name in kanji or kana',
      }),
    ),
  },
  { additionalProperties: false },
);
const Entry = Type.Object({
  number: Type.String(),
  startsAt: InstantSchema,
  time: Type.String({ description: 'HH:MM in the municipality’s time zone' }),
  residentId: IdSchema,
  name: Type.String(),
  nameKana: Type.String(),
  birthDate: Type.String(),
  voucherNumber: Type.String(),
  dose: Type.Integer(),
  vaccine: Type.Object({ code: Type.String(), nameJa: Type.String(), nameEn: Type.String() }),
  status: Status,
  lotNumber: Type.Union([Type.String(), Type.Null()], { description: 'Of the dose recorded at this reservation' }),
});
const Figures = Type.Object({
  attended: Type.Integer(),
  noShow: Type.Integer(),
  expected: Type.Integer({ description: 'Booked, their time not over yet' }),
  overdue: Type.Integer({ description: 'Booked, their time over, not marked' }),
  noShowRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'noShow ÷ (attended + noShow + overdue); null before anyone was due',
  }),
});
const Day = Type.Object({
  venue: Type.Object({ id: IdSchema, nameJa: Type.String(), nameEn: Type.String() }),
  date: Type.String(),
  timeZone: Type.String(),
  figures: Figures,
  search: Type.Union([Type.String({ description: 'reservationNumber, voucherNumber or name: how q was read' }), Type.Null()]),
  entries: Type.Array(Entry),
});
const Mark = Type.Object({
  number: Type.String(),
  status: Status,
  residentId: IdSchema,
  dose: Type.Integer(),
  lotNumber: Type.Union([Type.String(), Type.Null()]),
  administeredOn: Type.Union([Type.String({ description: 'YYYY-MM-DD, the slot’s local date' }), Type.Null()]),
});

/** The access hook has checked the role in the path's municipality before this runs. */
const staffAt = (request: FastifyRequest & { params: { municipalityCode: string } }): VenueStaff => ({
  accountId: staffOf(request).principal.accountId,
  ip: request.ip,
  municipalityCode: request.params.municipalityCode,
});

/** On the day at a venue (roles venue, staff, administrator): thin routes over the check-in service. */
export function checkInRoutes(deps: { checkIn: CheckInService }): FastifyPluginAsyncTypebox {
  const { checkIn } = deps;
  return async (app) => {
    // Personal data: never kept by a browser or a proxy.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get(
      base,
      {
        config: { action: 'check-in.view' },
        schema: {
          tags,
          operationId: 'getCheckInDay',
          summary: 'The day’s list at a venue, by time, with the day’s counts and no-show rate; searchable (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: DayQuery,
          response: { 200: Day, ...problems(400, 404) },
        },
      },
      async (request) => checkIn.day(staffAt(request), request.query),
    );

    app.post(
      `${base}/reservations/:number/attended`,
      {
        config: { action: 'check-in.mark' },
        schema: {
          tags,
          operationId: 'markAttended',
          summary: 'Attended: the reservation marked and the dose recorded in the person’s history, together; idempotent (audited)',
          security: staffSignedIn,
          params: NumberParams,
          body: Type.Object(
            { lotNumber: Type.String({ minLength: 1, maxLength: 40, description: 'The vial’s lot number (letters, digits, hyphens)' }) },
            { additionalProperties: false },
          ),
          response: { 200: Mark, ...problems(400, 404, 409) },
        },
      },
      async (request) => checkIn.attended(staffAt(request), { number: request.params.number, lotNumber: request.body.lotNumber }),
    );

    app.post(
      `${base}/reservations/:number/no-show`,
      {
        config: { action: 'check-in.mark' },
        schema: {
          tags,
          operationId: 'markNoShow',
          summary: 'No-show: the person did not come; the place stays counted; idempotent (audited)',
          security: staffSignedIn,
          params: NumberParams,
          response: { 200: Mark, ...problems(400, 404, 409) },
        },
      },
      async (request) => checkIn.noShow(staffAt(request), { number: request.params.number }),
    );

    app.post(
      `${base}/reservations/:number/undo`,
      {
        config: { action: 'check-in.mark' },
        schema: {
          tags,
          operationId: 'undoCheckIn',
          summary: 'A wrong tap taken back, on the day only: booked again, an attended dose removed from the history (audited)',
          security: staffSignedIn,
          params: NumberParams,
          response: { 200: Mark, ...problems(400, 404, 409) },
        },
      },
      async (request) => checkIn.undo(staffAt(request), { number: request.params.number }),
    );
  };
}
