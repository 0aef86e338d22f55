import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.js';
import { problems, signedIn } from '../../platform/schemas.js';
import type { SessionGuard } from '../../platform/session.js';

const Preferences = Type.Object({
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('both')], {
    description: 'How confirmations and reminders reach the account holder',
  }),
  reminders: Type.Boolean({ description: 'false: no reminders before appointments' }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
  phoneLast4: Type.Union([Type.String(), Type.Null()], { description: 'The number the last sign-in code confirmed' }),
});

/** The signed-in resident's choice of channels and reminders. */
export function notificationsMeRoutes(deps: { db: Db; sessions: SessionGuard }): FastifyPluginAsyncTypebox {
  const { db } = deps;
  async function read(residentId: number) {
    const row = await db
      .selectFrom('residents')
      .leftJoin('notification_preferences as p', 'p.resident_id', 'residents.id')
      .select(['p.channel', 'p.reminders', 'p.email', 'p.phone', 'residents.email as imported_email'])
      .where('residents.id', '=', residentId)
      .executeTakeFirstOrThrow();
    return {
      channel: row.channel ?? 'sms',
      reminders: row.reminders ?? true,
      email: row.email ?? row.imported_email,
      phoneLast4: row.phone ? row.phone.slice(-4) : null,
    };
  }
  return async (app) => {
    app.get(
      '/me/notifications',
      {
        schema: {
          tags: ['account'],
          operationId: 'getNotificationPreferences',
          security: signedIn,
          summary: 'How messages reach the account holder',
          response: { 200: Preferences, ...problems(401) },
        },
      },
      async (request) => read(deps.sessions.require(request).accountId),
    );

    app.patch(
      '/me/notifications',
      {
        schema: {
          tags: ['account'],
          operationId: 'updateNotificationPreferences',
          security: signedIn,
          summary: 'Choose SMS, e-mail or both, opt out of reminders, set the e-mail address',
          body: Type.Partial(Type.Pick(Preferences, ['channel', 'reminders', 'email']), { additionalProperties: false, minProperties: 1 }),
          response: { 200: Preferences, ...problems(400, 401) },
        },
      },
      async (request) => {
        const { accountId } = deps.sessions.require(request);
        const values = { ...request.body, updated_at: new Date() };
        await db
          .insertInto('notification_preferences')
          .values({ resident_id: accountId, ...values })
          .onConflict((oc) => oc.column('resident_id').doUpdateSet(values))
          .execute();
        return read(accountId);
      },
    );
  };
}
