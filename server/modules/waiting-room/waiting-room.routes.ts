import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { AppError } from '../../platform/errors.js';
import {
  InstantSchema,
  IsoDateSchema,
  MunicipalityCodeSchema,
  VoucherNumberSchema,
  problems,
  staffSignedIn,
} from '../../platform/schemas.js';
import { randomToken } from '../../platform/secrets.js';
import type { AuditLog } from '../audit/index.js';
import { ADMISSION_COOKIE, BROWSER_COOKIE, wasRefusedByGate } from './admission-gate.js';
import type { WaitingRoomService, WaitingRoomSettings } from './waiting-room.service.js';

export const TICKET_COOKIE = 'yoyaku_wr_ticket';
const QUEUE_ID = /^[0-9]{6}(-[a-z0-9-]{1,20})?$/;
const TicketBody = Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 600 })) }, { additionalProperties: false });
const TicketAnswer = Type.Object({
  ticket: Type.String(),
  queueId: Type.String(),
  position: Type.Union([Type.Integer(), Type.Null()]),
  opensAt: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});
const NullableInstant = Type.Union([InstantSchema, Type.Null()]);
/** The public status document (built in waiting-room.service.ts, sent as prebuilt bytes). */
const StatusDocument = Type.Object({
  queueId: Type.String(),
  open: Type.Boolean(),
  paused: Type.Boolean(),
  opensAt: NullableInstant,
  issued: Type.Integer(),
  lobby: Type.Integer(),
  admittedThrough: Type.Integer(),
  ratePerMinute: Type.Integer(),
  graceSeconds: Type.Integer(),
  drawSpreadSeconds: Type.Integer(),
  updatedAt: InstantSchema,
});
const Control = Type.Object({ paused: Type.Boolean(), ratePerMinute: Type.Integer(), busyUntil: Type.Integer(), autoTune: Type.Boolean() });
const Mode = Type.Union([Type.Literal('off'), Type.Literal('always'), Type.Literal('scheduled'), Type.Literal('auto')]);
const Stats = Type.Object({
  mode: Mode,
  active: Type.Boolean(),
  paused: Type.Boolean(),
  ratePerMinute: Type.Integer(),
  autoTune: Type.Boolean(),
  autoTuneConfigured: Type.Boolean(),
  queues: Type.Array(
    Type.Object({
      queueId: Type.String(),
      open: Type.Boolean(),
      opensAt: NullableInstant,
      waiting: Type.Integer(),
      issued: Type.Integer(),
      lobby: Type.Integer(),
      admittedThrough: Type.Integer(),
      claimed: Type.Integer(),
      abandoned: Type.Integer(),
      booked: Type.Integer(),
      measuredRatePerMinute: Type.Integer(),
      drainSeconds: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});

/** What the routes need of the room: the real service, or the room that is off (waiting-room-off.ts). */
export type RoutedRoom = Pick<
  WaitingRoomService,
  | 'join'
  | 'refresh'
  | 'status'
  | 'admit'
  | 'stats'
  | 'setControl'
  | 'isActive'
  | 'observe'
  | 'recordBooked'
  | 'decodeAdmission'
  | 'browserHash'
> & { settings: Pick<WaitingRoomSettings, 'mode' | 'admissionMs'> };

export interface WaitingRoomRouteOptions {
  room: RoutedRoom;
  secureCookies: boolean;
  ticketTtlSeconds: number;
  /** Records who paused or set the rate. */
  audit: AuditLog;
}

/** A municipality's queues: the one of the whole municipality (`131016`) and one per wave (`131016-age50s`). */
export function isQueueOf(queueId: string, municipalityCode: string): boolean {
  return queueId === municipalityCode || queueId.startsWith(`${municipalityCode}-`);
}

/**
 * The waiting room's HTTP face. Only `join` (a voucher check) and `admit` reach the store; the
 * status every waiting page polls is a prebuilt document with a public cache lifetime.
 */
export function waitingRoomRoutes(options: WaitingRoomRouteOptions): FastifyPluginAsyncTypebox {
  const { room } = options;
  // Secure when configured, else whenever the request came over TLS (see the session cookie).
  const secure = options.secureCookies ? true : ('auto' as const);
  const cookie = (maxAge: number) => ({ path: '/api/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge });

  /** The browser binding: an httpOnly random cookie; tickets and tokens hold only its hash. */
  function browserOf(request: FastifyRequest, reply: FastifyReply): string {
    let binding = request.cookies[BROWSER_COOKIE];
    if (!binding || binding.length > 64) {
      binding = randomToken();
      reply.setCookie(BROWSER_COOKIE, binding, cookie(60 * 60 * 24 * 30));
    }
    return room.browserHash(binding);
  }

  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    // Health of the booking path (latency, 5xx) feeds the auto-tuner; bookings are counted per queue.
    // A callback hook, not an async one: it runs on every request, including millions of status polls.
    // Requests turned away at the door (the admission gate, 429 limits) never reached the back end:
    // counted, their instant answers would hide slow or failing bookings behind a crowd of "fast" ones.
    app.addHook('onResponse', (request, reply, done) => {
      const url = request.routeOptions.url ?? '';
      const turnedAway = reply.statusCode === 429 || wasRefusedByGate(request);
      // Staff requests (an argon2 sign-in, a settings change) are not the booking path either.
      const bookingPath = url.startsWith('/api/v1/') && !url.startsWith('/api/v1/waiting-room') && !url.startsWith('/api/v1/staff');
      if (request.method !== 'GET' && bookingPath && !turnedAway) {
        room.observe(reply.elapsedTime, reply.statusCode);
        if (url === '/api/v1/reservations' && reply.statusCode === 201) {
          const token = room.decodeAdmission(request.cookies[ADMISSION_COOKIE]);
          if (token) room.recordBooked(token.queueId);
        }
      }
      done();
    });

    app.post(
      '/waiting-room/join',
      {
        schema: {
          tags: ['waiting-room'],
          operationId: 'joinQueue',
          summary: 'Take a place in the queue (voucher number + birth date); the same person keeps one place',
          body: Type.Object(
            { municipalityCode: MunicipalityCodeSchema, voucherNumber: VoucherNumberSchema, birthDate: IsoDateSchema },
            { additionalProperties: false },
          ),
          response: { 200: TicketAnswer, ...problems(400, 401, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const joined = await room.join({ ...request.body, ip: request.ip, browser: browserOf(request, reply) });
        reply.setCookie(TICKET_COOKIE, joined.ticket, { ...cookie(options.ticketTtlSeconds), path: '/api/v1/waiting-room' });
        return { ticket: joined.ticket, queueId: joined.queueId, position: joined.position, opensAt: joined.opensAt };
      },
    );

    app.post(
      '/waiting-room/ticket',
      {
        schema: {
          tags: ['waiting-room'],
          operationId: 'renewTicket',
          summary: 'Renew a ticket; after the opening it carries the number drawn for a pre-opening arrival',
          body: TicketBody,
          response: { 200: Type.Omit(TicketAnswer, ['opensAt']), ...problems(400, 403, 409) },
        },
      },
      async (request, reply) => {
        const fresh = await room.refresh({
          ticket: request.body.ticket ?? request.cookies[TICKET_COOKIE],
          browser: browserOf(request, reply),
        });
        reply.setCookie(TICKET_COOKIE, fresh.ticket, { ...cookie(options.ticketTtlSeconds), path: '/api/v1/waiting-room' });
        return { ticket: fresh.ticket, queueId: fresh.queueId, position: fresh.position };
      },
    );

    app.get(
      '/waiting-room/queues/:queueId/status',
      {
        // The hottest route: no request log line, and the id is checked by the lookup itself.
        logLevel: 'silent',
        schema: {
          tags: ['waiting-room'],
          operationId: 'getQueueStatus',
          summary: 'Public status of a queue: how far admission has got and the measured rate (cacheable)',
          params: Type.Object({ queueId: Type.String({ maxLength: 40 }) }),
          headers: Type.Object({ 'if-none-match': Type.Optional(Type.String({ description: 'The ETag of the document the page has' })) }),
          response: {
            200: StatusDocument,
            304: Type.Null({ description: 'Not modified: the ETag sent in If-None-Match is the current one' }),
            ...problems(400, 404),
          },
        },
      },
      async (request, reply) => {
        // A 404 is cacheable too, briefly (a queue may appear with its first joiner): a CDN then
        // absorbs repeated polls of a made-up or not-yet-created queue.
        const notFound = () => {
          reply.header('cache-control', 'public, max-age=1');
          return new AppError('not-found');
        };
        if (!QUEUE_ID.test(request.params.queueId)) throw notFound();
        const doc = await room.status(request.params.queueId);
        if (!doc) throw notFound();
        // The document's prebuilt bytes (a StatusDocument), sent as they are: not through the typed serializer.
        const raw = reply as FastifyReply;
        raw.header('cache-control', 'public, max-age=2, stale-while-revalidate=5, stale-if-error=60').header('etag', doc.etag);
        if (request.headers['if-none-match'] === doc.etag) return raw.code(304).send();
        return raw.type('application/json; charset=utf-8').send(doc.body);
      },
    );

    const State = Type.Object({ active: Type.Boolean(), mode: Mode });
    const stateSchema = {
      tags: ['waiting-room'],
      operationId: 'getWaitingRoomState',
      summary: 'Whether booking goes through the waiting room now',
      response: { 200: State, ...problems() },
    };
    app.get('/waiting-room/state', { schema: stateSchema }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=2');
      return { active: room.isActive(), mode: room.settings.mode };
    });

    app.post(
      '/waiting-room/admit',
      {
        schema: {
          tags: ['waiting-room'],
          operationId: 'takeAdmission',
          summary: 'Take an admitted turn: sets the short-lived admission cookie for signing in and booking',
          body: TicketBody,
          response: { 200: Type.Object({ admissionToken: Type.String(), expiresAt: InstantSchema }), ...problems(400, 403, 409) },
        },
      },
      async (request, reply) => {
        const admitted = await room.admit({
          ticket: request.body.ticket ?? request.cookies[TICKET_COOKIE],
          browser: browserOf(request, reply),
        });
        reply.setCookie(ADMISSION_COOKIE, admitted.token, cookie(Math.ceil(room.settings.admissionMs / 1000)));
        return { admissionToken: admitted.token, expiresAt: new Date(admitted.expiresAt).toISOString() };
      },
    );

    // Staff: the queues live, per municipality (its staff, operators, viewers and administrators)
    // and all of them with the controls (super-administrators: pause and rate are the whole room's).
    app.get(
      '/staff/municipalities/:municipalityCode/waiting-room',
      {
        config: { action: 'waiting-room.view' },
        schema: {
          tags: ['staff-waiting-room'],
          operationId: 'getMunicipalityQueueStats',
          summary: "The municipality's queues live (the room's rate and pause are the deployment's)",
          security: staffSignedIn,
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema }),
          response: { 200: Stats, ...problems(400) },
        },
      },
      async (request) => {
        const stats = await room.stats();
        return { ...stats, queues: stats.queues.filter((q) => isQueueOf(q.queueId, request.params.municipalityCode)) };
      },
    );

    app.get(
      '/staff/waiting-room',
      {
        config: { action: 'waiting-room.view-all' },
        schema: {
          tags: ['staff-waiting-room'],
          operationId: 'getQueueStats',
          summary: 'Super-administrators: every queue live',
          security: staffSignedIn,
          response: { 200: Stats, ...problems() },
        },
      },
      async () => room.stats(),
    );

    app.post(
      '/staff/waiting-room/control',
      {
        config: { action: 'waiting-room.control' },
        schema: {
          tags: ['staff-waiting-room'],
          operationId: 'controlWaitingRoom',
          summary: 'Super-administrators: pause, resume, set the admission rate of the whole room (recorded in the audit log)',
          security: staffSignedIn,
          body: Type.Object(
            {
              paused: Type.Optional(Type.Boolean()),
              ratePerMinute: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
              autoTune: Type.Optional(
                Type.Boolean({ description: 'true hands the rate back to the auto-tuner; setting a rate turns it off' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Control, ...problems(409) },
        },
      },
      async (request) => {
        const control = await room.setControl(request.body);
        await options.audit.record({
          actorKind: 'staff',
          actorId: String(staffOf(request).principal.accountId),
          action: 'waiting-room.control',
          subjectResidentId: null,
          ip: request.ip,
          detail: { ...request.body },
        });
        return control;
      },
    );
  };
  // Like fastify-plugin: the onResponse hook must see the sibling booking routes under /api/v1.
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
