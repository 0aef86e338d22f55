import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { STAFF_PREFIX, STAFF_SESSION_COOKIE, staffOf } from '../../platform/access/index.js';
import { InstantSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { Enrolment } from './enrolment.service.js';
import type { SelfService } from './self.service.js';
import {
  CodeSchema,
  DisplayNameSchema,
  EmailSchema,
  LanguageSchema,
  LinkTokenSchema,
  MembershipSchema,
  PasswordSchema,
  SessionAnswer,
  StaffAccountSchema,
} from './staff.schemas.js';
import type { StaffSessions, StartedSession } from './staff-sessions.service.js';
import { staffPolicy } from './staff-policy.js';

const signedOut = { 204: Type.Null({ description: 'Signed out' }) };

/** Signing in and out, the staff member's own account, and the pages of the one-time links. */
export function staffRoutes(deps: {
  sessions: StaffSessions;
  self: SelfService;
  enrolment: Enrolment;
  secureCookies: boolean;
}): FastifyPluginAsyncTypebox {
  // Strict: a staff session is never sent along with a request another site starts.
  const cookie = { path: STAFF_PREFIX, httpOnly: true, sameSite: 'strict', secure: deps.secureCookies ? true : ('auto' as const) } as const;

  function startSession(reply: FastifyReply, session: StartedSession): void {
    reply.setCookie(STAFF_SESSION_COOKIE, session.token, { ...cookie, maxAge: staffPolicy.sessionAbsoluteHours * 3600 });
  }

  async function sessionAnswer(accountId: number, session: StartedSession) {
    return {
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      idleTimeoutSeconds: staffPolicy.sessionIdleMinutes * 60,
      account: await deps.self.account(accountId),
    };
  }

  return async (app) => {
    app.post(
      '/staff/sign-in',
      {
        config: { action: 'session.start' },
        schema: {
          tags: ['staff'],
          operationId: 'signInStaff',
          summary: 'Sign in with e-mail, password and the authenticator code (or a recovery code); sets the staff session cookie',
          body: Type.Object({ email: EmailSchema, password: PasswordSchema, code: CodeSchema }, { additionalProperties: false }),
          response: { 200: SessionAnswer, ...problems(401, 429) },
        },
      },
      async (request, reply) => {
        const session = await deps.sessions.signIn({ ...request.body, ip: request.ip });
        startSession(reply, session);
        return sessionAnswer(session.accountId, session);
      },
    );

    app.post(
      '/staff/sign-out',
      {
        config: { action: 'self.sign-out' },
        schema: {
          tags: ['staff'],
          operationId: 'signOutStaff',
          summary: 'End this staff session, on every server at once',
          security: staffSignedIn,
          response: { ...signedOut, ...problems() },
        },
      },
      async (request, reply) => {
        await deps.sessions.signOut(staffOf(request), request.ip);
        return reply.clearCookie(STAFF_SESSION_COOKIE, cookie).code(204).send(null);
      },
    );

    app.post(
      '/staff/sign-out-everywhere',
      {
        config: { action: 'self.sign-out' },
        schema: {
          tags: ['staff'],
          operationId: 'signOutStaffEverywhere',
          summary: 'End every session of this staff account, on every device',
          security: staffSignedIn,
          response: { ...signedOut, ...problems() },
        },
      },
      async (request, reply) => {
        await deps.sessions.signOutEverywhere(staffOf(request), request.ip);
        return reply.clearCookie(STAFF_SESSION_COOKIE, cookie).code(204).send(null);
      },
    );

    app.get(
      '/staff/me',
      {
        config: { action: 'self.view' },
        schema: {
          tags: ['staff'],
          operationId: 'getStaffSession',
          summary: 'The signed-in staff member, the CSRF token of the session and when it ends',
          security: staffSignedIn,
          response: { 200: SessionAnswer, ...problems() },
        },
      },
      async (request) => {
        const context = staffOf(request);
        return {
          csrfToken: context.csrfToken,
          expiresAt: context.expiresAt.toISOString(),
          idleTimeoutSeconds: staffPolicy.sessionIdleMinutes * 60,
          account: await deps.self.account(context.principal.accountId),
        };
      },
    );

    app.patch(
      '/staff/me',
      {
        config: { action: 'self.update' },
        schema: {
          tags: ['staff'],
          operationId: 'updateStaffSelf',
          summary: 'Change your own display name or language (ja/en)',
          security: staffSignedIn,
          body: Type.Object(
            { displayName: Type.Optional(DisplayNameSchema), language: Type.Optional(LanguageSchema) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: StaffAccountSchema, ...problems() },
        },
      },
      async (request) => deps.self.update(staffOf(request).principal.accountId, request.body, request.ip),
    );

    app.get(
      '/staff/me/memberships',
      {
        config: { action: 'self.view' },
        schema: {
          tags: ['staff'],
          operationId: 'listStaffMemberships',
          summary: 'The municipalities you work for, with your roles and what they allow there',
          security: staffSignedIn,
          response: { 200: Type.Object({ superAdmin: Type.Boolean(), memberships: Type.Array(MembershipSchema) }), ...problems() },
        },
      },
      async (request) => {
        const { principal } = staffOf(request);
        return { superAdmin: principal.superAdmin, memberships: await deps.self.memberships(principal) };
      },
    );

    app.post(
      '/staff/links/open',
      {
        config: { action: 'enrolment.use' },
        schema: {
          tags: ['staff'],
          operationId: 'openStaffLink',
          summary: 'What an enrolment or password-reset link is for; for enrolment, the TOTP secret to scan (the same until used)',
          body: Type.Object({ token: LinkTokenSchema }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              purpose: Type.Union([Type.Literal('enrolment'), Type.Literal('password-reset')]),
              email: Type.String(),
              displayName: Type.String(),
              expiresAt: InstantSchema,
              totp: Type.Union([
                Type.Object({
                  secret: Type.String({ description: 'Base32, for typing into the app' }),
                  otpauthUri: Type.String(),
                  qrSvg: Type.String({ description: 'The otpauth URI as a QR code, an SVG document' }),
                }),
                Type.Null(),
              ]),
            }),
            ...problems(404),
          },
        },
      },
      async (request) => {
        const opened = await deps.enrolment.open(request.body.token);
        return { ...opened, expiresAt: opened.expiresAt.toISOString() };
      },
    );

    app.post(
      '/staff/enrolment',
      {
        config: { action: 'enrolment.use' },
        schema: {
          tags: ['staff'],
          operationId: 'enrolStaffAccount',
          summary: 'Complete enrolment: password and the first code of the scanned secret; answers the ten recovery codes, once',
          body: Type.Object({ token: LinkTokenSchema, password: PasswordSchema, code: CodeSchema }, { additionalProperties: false }),
          response: {
            201: Type.Composite([
              SessionAnswer,
              Type.Object({ recoveryCodes: Type.Array(Type.String(), { description: 'Shown this once; each works once' }) }),
            ]),
            ...problems(404, 429),
          },
        },
      },
      async (request, reply) => {
        const enrolled = await deps.enrolment.enrol({ ...request.body, ip: request.ip });
        startSession(reply, enrolled.session);
        return reply
          .code(201)
          .send({ ...(await sessionAnswer(enrolled.accountId, enrolled.session)), recoveryCodes: enrolled.recoveryCodes });
      },
    );

    app.post(
      '/staff/password-reset',
      {
        config: { action: 'enrolment.use' },
        schema: {
          tags: ['staff'],
          operationId: 'resetStaffPassword',
          summary: 'Set a new password with a reset link, proven with the authenticator code or a recovery code',
          body: Type.Object({ token: LinkTokenSchema, password: PasswordSchema, code: CodeSchema }, { additionalProperties: false }),
          response: { 200: SessionAnswer, ...problems(404, 429) },
        },
      },
      async (request, reply) => {
        const reset = await deps.enrolment.resetPassword({ ...request.body, ip: request.ip });
        startSession(reply, reset.session);
        return sessionAnswer(reset.accountId, reset.session);
      },
    );
  };
}
