import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LANGUAGES } from '../../../shared/i18n/languages.js';
import { problems, signedIn } from '../../platform/schemas.js';
import type { SessionGuard } from '../../platform/session.js';
import type { PreferencesService } from './preferences.service.js';

const Preferences = Type.Object({
  channel: Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('both')], {
    description: 'How confirmations and reminders reach the account holder',
  }),
  reminders: Type.Boolean({ description: 'false: no reminders before appointments' }),
  email: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
  phoneLast4: Type.Union([Type.String(), Type.Null()], { description: 'The number the last sign-in code confirmed' }),
  language: Type.Union(
    LANGUAGES.map((l) => Type.Literal(l.code)),
    { description: 'The language of messages: the site’s language at sign-in until the resident chooses one' },
  ),
});

/** The signed-in resident's choice of channels, reminders and the language of messages. */
export function notificationsMeRoutes(deps: { preferences: PreferencesService; sessions: SessionGuard }): FastifyPluginAsyncTypebox {
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
      async (request) => deps.preferences.read(deps.sessions.require(request).accountId),
    );

    app.patch(
      '/me/notifications',
      {
        schema: {
          tags: ['account'],
          operationId: 'updateNotificationPreferences',
          security: signedIn,
          summary: 'Choose SMS, e-mail or both, opt out of reminders, set the e-mail address and the language of messages',
          description: 'E-mail (alone or with SMS) needs an address: without one the answer is invalid-request naming the field `email`.',
          body: Type.Partial(Type.Pick(Preferences, ['channel', 'reminders', 'email', 'language']), {
            additionalProperties: false,
            minProperties: 1,
          }),
          response: { 200: Preferences, ...problems(400, 401) },
        },
      },
      async (request) => deps.preferences.update(deps.sessions.require(request).accountId, request.body),
    );
  };
}
