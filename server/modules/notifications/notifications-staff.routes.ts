import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { NotificationsStaff } from './staff-figures.js';

const Kind = Type.Union(
  ['sign-in-code', 'booking-confirmed', 'booking-changed', 'booking-cancelled', 'reminder', 'slot-closed', 'slot-moved'].map((k) =>
    Type.Literal(k),
  ),
);
const Channel = Type.Union([Type.Literal('sms'), Type.Literal('email')]);
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });
const Count = Type.Integer({ minimum: 0 });

const UsageSchema = Type.Object({
  month: Type.String(),
  timeZone: Type.String(),
  pricePerSegmentYen: Type.Number({ description: 'SMS_PRICE_PER_SEGMENT_YEN' }),
  days: Type.Array(
    Type.Object({
      date: Type.String({ description: 'Local date (YYYY-MM-DD) the message was written' }),
      kind: Kind,
      channel: Channel,
      messages: Count,
      segments: Type.Integer({ minimum: 0, description: 'SMS segments of the messages sent (0 for e-mail)' }),
      failed: Count,
    }),
  ),
  totals: Type.Array(
    Type.Object({ kind: Kind, channel: Channel, messages: Count, segments: Count, failed: Count, costYen: Type.Number() }),
  ),
  costYen: Type.Number({ description: 'Segments sent × price per segment' }),
  lastDate: Type.String(),
});

const SettingsSchema = Type.Object({
  confirmationRecipient: Type.Union([Type.Literal('booker'), Type.Literal('person'), Type.Literal('both')], {
    description: 'For a booking made by a family member: who gets the confirmation',
  }),
  reminderHour: Type.Integer({ minimum: 7, maximum: 20, description: 'Local hour reminders go out (reminderDaysBefore days ahead)' }),
});

const actor = (request: FastifyRequest) => ({ accountId: staffOf(request).principal.accountId, ip: request.ip });

/** Staff: message figures and cost, failed messages, and who receives confirmations. */
export function notificationsStaffRoutes(deps: { staff: NotificationsStaff }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['staff-notifications'];
    const base = '/staff/municipalities/:municipalityCode/notifications';

    app.get(
      `${base}/usage`,
      {
        config: { action: 'notifications.usage' },
        schema: {
          tags,
          operationId: 'getNotificationUsage',
          summary: 'Messages and SMS segments per local day and kind in a month, and their cost',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object(
            { month: Type.String({ pattern: '^20\\d{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }) },
            { additionalProperties: false },
          ),
          response: { 200: UsageSchema, ...problems(400) },
        },
      },
      async (request) => deps.staff.usage(request.params.municipalityCode, request.query.month),
    );

    app.get(
      `${base}/failures`,
      {
        config: { action: 'notifications.failures' },
        schema: {
          tags,
          operationId: 'listNotificationFailures',
          summary: 'Messages that could not be delivered, newest first, with the reason (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.Integer(),
                  kind: Kind,
                  channel: Channel,
                  recipient: Type.String({ description: 'Masked: the last four characters' }),
                  reason: Type.String(),
                  attempts: Count,
                  provider: Type.Union([Type.String(), Type.Null()]),
                  residentId: Type.Union([Type.Integer(), Type.Null()]),
                  reservationNumber: Type.Union([Type.String(), Type.Null()]),
                  createdAt: InstantSchema,
                  failedAt: InstantSchema,
                }),
              ),
              nextPage: Type.Union([Type.Integer(), Type.Null()]),
            }),
            ...problems(400),
          },
        },
      },
      async (request) => deps.staff.failures(request.params.municipalityCode, request.query.page ?? 1, actor(request)),
    );

    app.get(
      `${base}/settings`,
      {
        config: { action: 'settings.view' },
        schema: {
          tags,
          operationId: 'getNotificationSettings',
          summary: 'Who receives confirmations of bookings made for someone else, and the reminder hour',
          security: staffSignedIn,
          params: Params,
          response: { 200: SettingsSchema, ...problems(400) },
        },
      },
      async (request) => deps.staff.settings(request.params.municipalityCode),
    );

    app.patch(
      `${base}/settings`,
      {
        config: { action: 'settings.update' },
        schema: {
          tags,
          operationId: 'updateNotificationSettings',
          summary: 'Change who receives confirmations, or the reminder hour',
          security: staffSignedIn,
          params: Params,
          body: Type.Partial(SettingsSchema, { additionalProperties: false, minProperties: 1 }),
          response: { 200: SettingsSchema, ...problems() },
        },
      },
      async (request) => deps.staff.updateSettings(request.params.municipalityCode, request.body, actor(request)),
    );
  };
}
