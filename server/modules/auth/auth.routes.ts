import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdmissionGate } from '../../platform/admission.js';
import {
  IdSchema,
  InstantSchema,
  IsoDateSchema,
  MunicipalityCodeSchema,
  VoucherNumberSchema,
  problems,
  signedIn,
} from '../../platform/schemas.js';
import type { SessionCodec, SessionGuard } from '../../platform/session.js';
import type { Clock } from '../../platform/clock.js';
import { negotiateLanguage } from '../../platform/language.js';
import type { SignInService } from './sign-in.service.js';

const ChallengeId = Type.String({ format: 'uuid' });

export function authRoutes(deps: {
  signIn: SignInService;
  sessions: SessionGuard;
  codec: SessionCodec;
  clock: Clock;
  admission: AdmissionGate;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/auth/voucher',
      {
        schema: {
          tags: ['sign-in'],
          operationId: 'startSignIn',
          summary: 'Step 1: voucher number + birth date',
          body: Type.Object(
            { municipalityCode: MunicipalityCodeSchema, voucherNumber: VoucherNumberSchema, birthDate: IsoDateSchema },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ challengeId: ChallengeId, expiresAt: InstantSchema }), ...problems(400, 401, 429) },
        },
      },
      async (request) => {
        const started = await deps.signIn.start({ ...request.body, ip: request.ip });
        return { challengeId: started.challengeId, expiresAt: started.expiresAt.toISOString() };
      },
    );

    app.post(
      '/auth/sms',
      {
        schema: {
          tags: ['sign-in'],
          operationId: 'sendSignInCode',
          summary: 'Step 2: send a 6-digit code to a mobile number',
          body: Type.Object(
            { challengeId: ChallengeId, phone: Type.String({ minLength: 10, maxLength: 24 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ codeExpiresAt: InstantSchema, resendAvailableAt: InstantSchema, phoneLast4: Type.String() }),
            ...problems(400, 401, 403, 429),
          },
        },
      },
      async (request) => {
        const admission = deps.admission.assertAdmitted(request);
        const language = negotiateLanguage(request.headers['accept-language']);
        const sent = await deps.signIn.sendCode({ ...request.body, ip: request.ip, admission, language });
        return {
          codeExpiresAt: sent.codeExpiresAt.toISOString(),
          resendAvailableAt: sent.resendAvailableAt.toISOString(),
          phoneLast4: sent.phoneLast4,
        };
      },
    );

    app.post(
      '/auth/verify',
      {
        schema: {
          tags: ['sign-in'],
          operationId: 'verifySignInCode',
          summary: 'Step 3: check the SMS code and start a session (cookie)',
          body: Type.Object(
            { challengeId: ChallengeId, code: Type.String({ pattern: '^\\s*\\d{6}\\s*$', maxLength: 10 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ csrfToken: Type.String(), accountId: IdSchema, expiresAt: InstantSchema }),
            ...problems(400, 401, 403, 429),
          },
        },
      },
      async (request, reply) => {
        deps.admission.assertAdmitted(request);
        const resident = await deps.signIn.verify({ ...request.body, ip: request.ip });
        const session = deps.codec.issue(resident.id, resident.municipality_code, deps.clock.now().getTime());
        deps.sessions.start(reply, session);
        return { csrfToken: session.csrfToken, accountId: resident.id, expiresAt: new Date(session.expiresAt * 1000).toISOString() };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['sign-in'],
          operationId: 'signOut',
          summary: 'End this session on every server at once (needs the x-csrf-token header)',
          security: signedIn,
          response: { 204: Type.Null({ description: 'Signed out' }), ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        await deps.sessions.end(reply, deps.sessions.require(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/logout-everywhere',
      {
        schema: {
          tags: ['sign-in'],
          operationId: 'signOutEverywhere',
          summary: 'End every session of this account, on every device (needs the x-csrf-token header)',
          security: signedIn,
          response: { 204: Type.Null({ description: 'Every session of the account ended' }), ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        await deps.sessions.endAll(reply, deps.sessions.require(request));
        return reply.code(204).send(null);
      },
    );
  };
}
