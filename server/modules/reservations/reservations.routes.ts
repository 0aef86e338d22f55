import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AdmissionGate } from '../../platform/admission.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import { IdSchema, InstantSchema, IsoDateSchema, problems, signedIn } from '../../platform/schemas.js';
import type { SessionGuard } from '../../platform/session.js';
import type { Actor } from './actor.js';
import { normaliseReservationNumber } from './reservation-number.js';
import type { ReservationsService } from './reservations.service.js';

export const ReservationSchema = Type.Object({
  number: Type.String({ description: '8 characters, shown as XXXX-XXXX' }),
  residentId: IdSchema,
  personName: Type.String(),
  dose: Type.Integer(),
  status: Type.Union([Type.Literal('booked'), Type.Literal('attended'), Type.Literal('no_show'), Type.Literal('cancelled')]),
  vaccine: Type.Object({ code: Type.String(), nameJa: Type.String(), nameEn: Type.String() }),
  slot: Type.Object({ id: IdSchema, startsAt: InstantSchema, durationMinutes: Type.Integer() }),
  venue: Type.Object({
    id: IdSchema,
    nameJa: Type.String(),
    nameEn: Type.String(),
    address: Type.String(),
    mapUrl: Type.Union([Type.String(), Type.Null()]),
  }),
  madeBy: Type.Union(
    [Type.Literal('self'), Type.Literal('family'), Type.Literal('operator'), Type.Literal('staff'), Type.Literal('system')],
    {
      description: 'Who made the booking',
    },
  ),
  autoScheduled: Type.Boolean(),
  createdAt: InstantSchema,
  cancelledAt: Type.Union([InstantSchema, Type.Null()]),
});
const NumberParam = Type.Object({ number: Type.String({ minLength: 8, maxLength: 12 }) });

const isNotFound = (error: unknown) => error instanceof AppError && error.code === 'reservation-not-found';

function reservationNumber(raw: string): string {
  const number = normaliseReservationNumber(raw);
  if (!number) throw new AppError('reservation-not-found');
  return number;
}

export function reservationsRoutes(deps: {
  reservations: ReservationsService;
  sessions: SessionGuard;
  admission: AdmissionGate;
  attempts: AttemptGuard;
  lookupsPerIp: number;
  /** Wrong birth dates allowed per reservation number (the IP limit alone would let many IPs guess one). */
  lookupFailuresPerNumber: number;
  /**
   * Wrong reservation numbers one signed-in account may send per window: the app only ever sends
   * the account's own, so a stream of wrong ones is someone probing for other people's.
   */
  wrongNumbersPerAccount: number;
  audit: AuditLog;
  /** Keyed hash of the caller's address, so the audit log can tell callers apart without storing IPs. */
  callerId: (ip: string) => string;
}): FastifyPluginAsyncTypebox {
  const actorOf = (request: FastifyRequest): Actor & { kind: 'resident' } => {
    const session = deps.sessions.require(request);
    return { kind: 'resident', accountId: session.accountId, municipalityCode: session.municipalityCode };
  };

  /** Runs work that takes a reservation number; the numbers it does not find count against the account. */
  const withNumber = <T>(actor: Actor & { kind: 'resident' }, work: () => Promise<T>): Promise<T> =>
    deps.attempts.attempt([{ key: `reservation-number:account:${actor.accountId}`, max: deps.wrongNumbersPerAccount }], isNotFound, work);

  return async (app) => {
    app.post(
      '/holds',
      {
        schema: {
          tags: ['booking'],
          operationId: 'holdPlace',
          security: signedIn,
          summary: 'Hold one place in a slot for a few minutes while the person confirms',
          body: Type.Object(
            {
              slotId: IdSchema,
              residentId: Type.Optional(IdSchema),
              changing: Type.Optional(
                Type.String({ minLength: 8, maxLength: 12, description: 'The reservation this place would replace, when changing' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ id: IdSchema, slotId: IdSchema, residentId: IdSchema, expiresAt: InstantSchema }),
            ...problems(400, 401, 403, 404, 409, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        deps.admission.assertAdmitted(request);
        const holdFor = (changing: string | undefined) =>
          deps.reservations.hold(actor, { residentId: request.body.residentId ?? actor.accountId, slotId: request.body.slotId, changing });
        const { changing } = request.body;
        const hold = await (changing === undefined ? holdFor(undefined) : withNumber(actor, () => holdFor(reservationNumber(changing))));
        return reply.code(201).send(hold);
      },
    );

    app.delete(
      '/holds/:holdId',
      {
        schema: {
          tags: ['booking'],
          operationId: 'releaseHold',
          security: signedIn,
          summary: 'Give back a held place',
          params: Type.Object({ holdId: IdSchema }),
          response: { 204: Type.Null({ description: 'Released' }), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await deps.reservations.releaseHold(actorOf(request), request.params.holdId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/reservations',
      {
        schema: {
          tags: ['booking'],
          operationId: 'listReservations',
          security: signedIn,
          summary: 'Reservations of the account and its family (all statuses)',
          response: { 200: Type.Array(ReservationSchema), ...problems(401) },
        },
      },
      async (request) => deps.reservations.ledger(actorOf(request)),
    );

    app.post(
      '/reservations',
      {
        schema: {
          tags: ['booking'],
          operationId: 'bookReservation',
          security: signedIn,
          summary: 'Book the next dose due in a slot',
          body: Type.Object({ slotId: IdSchema, residentId: Type.Optional(IdSchema) }, { additionalProperties: false }),
          response: {
            201: Type.Intersect([ReservationSchema, Type.Object({ followUp: Type.Optional(ReservationSchema) })]),
            ...problems(400, 401, 403, 404, 409, 422),
          },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        deps.admission.assertAdmitted(request);
        const booked = await deps.reservations.book(actor, {
          residentId: request.body.residentId ?? actor.accountId,
          slotId: request.body.slotId,
        });
        return reply.code(201).send(booked);
      },
    );

    app.post(
      '/reservations/:number/change',
      {
        schema: {
          tags: ['booking'],
          operationId: 'changeReservation',
          security: signedIn,
          summary: 'Move a booking to another slot, atomically',
          params: NumberParam,
          body: Type.Object({ slotId: IdSchema }, { additionalProperties: false }),
          response: { 200: ReservationSchema, ...problems(400, 401, 403, 404, 409, 422, 429) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        deps.admission.assertAdmitted(request);
        return withNumber(actor, () =>
          deps.reservations.change(actor, { number: reservationNumber(request.params.number), slotId: request.body.slotId }),
        );
      },
    );

    app.post(
      '/reservations/:number/cancel',
      {
        schema: {
          tags: ['booking'],
          operationId: 'cancelReservation',
          security: signedIn,
          summary: 'Cancel a booking',
          params: NumberParam,
          response: {
            200: Type.Intersect([
              ReservationSchema,
              Type.Object({
                alsoCancelled: Type.Array(Type.String(), { description: 'Later doses cancelled with it (they rested on this one)' }),
              }),
            ]),
            ...problems(400, 401, 403, 404, 409, 429),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return withNumber(actor, () => deps.reservations.cancel(actor, { number: reservationNumber(request.params.number) }));
      },
    );

    app.post(
      '/reservations/lookup',
      {
        schema: {
          tags: ['booking'],
          operationId: 'lookUpReservation',
          summary: 'Look up one reservation by number + birth date, without signing in (read-only)',
          body: Type.Object(
            { reservationNumber: Type.String({ minLength: 8, maxLength: 12 }), birthDate: IsoDateSchema },
            { additionalProperties: false },
          ),
          response: { 200: ReservationSchema, ...problems(400, 404, 429) },
        },
      },
      async (request) => {
        await deps.attempts.consume([{ key: `lookup:ip:${request.ip}`, max: deps.lookupsPerIp }]);
        const number = reservationNumber(request.body.reservationNumber);
        const found = await deps.attempts.attempt([{ key: `lookup:number:${number}`, max: deps.lookupFailuresPerNumber }], isNotFound, () =>
          deps.reservations.lookup({ number, birthDate: request.body.birthDate }),
        );
        await deps.audit.record({
          actorKind: 'anonymous',
          actorId: deps.callerId(request.ip),
          action: 'reservation.lookup',
          subjectResidentId: found.residentId,
          detail: { number: found.number },
        });
        return found;
      },
    );
  };
}
