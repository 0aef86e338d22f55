import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { IdSchema, InstantSchema, IsoDateSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { DashboardService } from './dashboard.service.js';
import type { LiveStreams } from './live-streams.js';

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const DayFill = Type.Object({
  date: IsoDateSchema,
  capacity: Type.Integer(),
  taken: Type.Integer({ description: 'Places booked or held' }),
  free: Type.Integer(),
  fillRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'taken / capacity; null without places' }),
});
export const DashboardSchema = Type.Object({
  municipalityCode: Type.String(),
  at: InstantSchema,
  today: IsoDateSchema,
  totals: Type.Object({
    bookings: Type.Integer({ description: 'Every booking not cancelled: still to come, attended or missed' }),
    bookingsToday: Type.Integer({ description: 'Bookings made today (local day of the municipality), whatever became of them' }),
    active: Type.Integer({ description: 'Booked and still to come' }),
    holds: Type.Integer({ description: 'Places held by someone choosing right now' }),
    cancelled: Type.Integer(),
    attended: Type.Integer(),
    noShows: Type.Integer(),
    noShowRate: Rate,
  }),
  venues: Type.Array(Type.Object({ id: IdSchema, nameJa: Type.String(), nameEn: Type.String() })),
  fill: Type.Array(Type.Object({ venueId: IdSchema, days: Type.Array(DayFill) }), {
    description: 'Per venue, today and the 13 days after it',
  }),
  days: Type.Array(DayFill, { description: 'All venues together, the same 14 days: the free capacity ahead' }),
  waitingRoom: Type.Object({
    mode: Type.String(),
    active: Type.Boolean(),
    paused: Type.Boolean(),
    waiting: Type.Integer(),
    queues: Type.Array(
      Type.Object({ queueId: Type.String(), open: Type.Boolean(), waiting: Type.Integer(), drainSeconds: Nullable(Type.Number()) }),
    ),
  }),
});
const Events = Type.Unsafe<string>({
  description:
    'Server-sent events: `event: dashboard` whose data is the same JSON as getDashboard, first at once, then within a few seconds of every booking, change or cancellation (from any server process) and every 10 s; a `: heartbeat` comment every 15 s. The stream ends after 5 minutes (EventSource reconnects, so the session is checked again) and when the server stops.',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });

/** The live dashboard: counts only (no personal data, so nothing to audit). */
export function dashboardRoutes(deps: { dashboard: DashboardService; streams: LiveStreams }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff/municipalities/:municipalityCode/dashboard',
      {
        config: { action: 'dashboard.view' },
        schema: {
          tags: ['staff-dashboard'],
          operationId: 'getDashboard',
          summary:
            'Bookings today and in total, fill per venue and day, free capacity for 14 days, cancellations, no-shows, the waiting room',
          security: staffSignedIn,
          params: Params,
          response: { 200: DashboardSchema, ...problems(400) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return deps.dashboard.snapshot(request.params.municipalityCode);
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/dashboard/live',
      {
        config: { action: 'dashboard.view' },
        schema: {
          tags: ['staff-dashboard'],
          operationId: 'getDashboardEvents',
          summary: 'The dashboard as server-sent events (EventSource), updated as bookings happen',
          security: staffSignedIn,
          params: Params,
          response: { 200: Events, ...problems(400) },
        },
      },
      async (request, reply) => {
        const stream = await deps.streams.open(request.params.municipalityCode, (listener) => request.raw.once('close', listener));
        return (reply as FastifyReply)
          .headers({ 'cache-control': 'no-store', 'x-accel-buffering': 'no' })
          .type('text/event-stream; charset=utf-8')
          .send(stream);
      },
    );
  };
}
