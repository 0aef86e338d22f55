import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ROLES, staffOf } from '../../platform/access/index.js';
import { MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { AccountsService, IssuedLink, StaffActor } from './accounts.service.js';
import {
  AccountParams,
  DisplayNameSchema,
  EmailSchema,
  LanguageSchema,
  LinkBody,
  LinkSchema,
  MemberParams,
  MunicipalityParams,
  RoleSchema,
  RolesSchema,
  StaffAccountSchema,
  StaffMemberSchema,
} from './staff.schemas.js';

const actor = (request: FastifyRequest): StaffActor => ({ principal: staffOf(request).principal, ip: request.ip });
const linkAnswer = (link: IssuedLink) => ({ ...link, expiresAt: link.expiresAt.toISOString() });
const linkOrNull = (link: IssuedLink | undefined) => (link ? linkAnswer(link) : null);

/**
 * Managing staff accounts: in a municipality (its administrators: invite, roles, disable, links),
 * and deployment-wide (super-administrators: every account, super-administrator rights).
 */
export function accountsRoutes(deps: { accounts: AccountsService }): FastifyPluginAsyncTypebox {
  const { accounts } = deps;
  return async (app) => {
    const tags = ['staff-accounts'];

    app.get(
      '/staff/municipalities/:municipalityCode/accounts',
      {
        config: { action: 'accounts.list' },
        schema: {
          tags,
          operationId: 'listStaffMembers',
          summary: 'The staff of the municipality, with their roles there',
          security: staffSignedIn,
          params: MunicipalityParams,
          response: { 200: Type.Array(StaffMemberSchema), ...problems(400) },
        },
      },
      async (request) => accounts.listIn(request.params.municipalityCode),
    );

    app.post(
      '/staff/municipalities/:municipalityCode/accounts',
      {
        config: { action: 'accounts.manage' },
        schema: {
          tags,
          operationId: 'inviteStaffMember',
          summary: 'Give someone roles here; a new address gets an account and an enrolment link to pass on (null for an existing account)',
          security: staffSignedIn,
          params: MunicipalityParams,
          body: Type.Object(
            {
              email: EmailSchema,
              displayName: DisplayNameSchema,
              language: Type.Optional(LanguageSchema),
              roles: Type.Array(RoleSchema, { uniqueItems: true, minItems: 1, maxItems: ROLES.length }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ account: StaffMemberSchema, link: Type.Union([LinkSchema, Type.Null()]) }), ...problems(409) },
        },
      },
      async (request, reply) => {
        const { language = 'ja', ...body } = request.body;
        const invited = await accounts.invite(request.params.municipalityCode, { ...body, language }, actor(request));
        return reply.code(201).send({ account: invited.account, link: linkOrNull(invited.link) });
      },
    );

    app.put(
      '/staff/municipalities/:municipalityCode/accounts/:accountId/roles',
      {
        config: { action: 'accounts.manage' },
        schema: {
          tags,
          operationId: 'setStaffMemberRoles',
          summary: "Set the member's roles here (an empty list removes them from the municipality)",
          security: staffSignedIn,
          params: MemberParams,
          body: Type.Object({ roles: RolesSchema }, { additionalProperties: false }),
          response: { 200: StaffMemberSchema, ...problems(409) },
        },
      },
      async (request) => accounts.setRoles(request.params.municipalityCode, request.params.accountId, request.body.roles, actor(request)),
    );

    for (const [verb, operation] of [
      ['disable', 'disableStaffMember'],
      ['enable', 'enableStaffMember'],
    ] as const) {
      app.post(
        `/staff/municipalities/:municipalityCode/accounts/:accountId/${verb}`,
        {
          config: { action: 'accounts.manage' },
          schema: {
            tags,
            operationId: operation,
            summary:
              verb === 'disable'
                ? 'Disable the account (it works here only): its sessions end at once'
                : 'Enable the account again (it works here only)',
            security: staffSignedIn,
            params: MemberParams,
            response: { 200: StaffAccountSchema, ...problems(409) },
          },
        },
        async (request) => accounts[verb]({ municipalityCode: request.params.municipalityCode }, request.params.accountId, actor(request)),
      );
    }

    app.post(
      '/staff/municipalities/:municipalityCode/accounts/:accountId/links',
      {
        config: { action: 'accounts.manage' },
        schema: {
          tags,
          operationId: 'issueStaffMemberLink',
          summary: 'A one-time link: enrolment (new password, authenticator and recovery codes) or password reset',
          security: staffSignedIn,
          params: MemberParams,
          body: LinkBody,
          response: { 201: LinkSchema, ...problems(409) },
        },
      },
      async (request, reply) => {
        const { municipalityCode, accountId } = request.params;
        const link = await accounts.issueLink({ municipalityCode }, accountId, request.body.purpose, actor(request));
        return reply.code(201).send(linkAnswer(link));
      },
    );

    app.get(
      '/staff/accounts',
      {
        config: { action: 'accounts.list-all' },
        schema: {
          tags,
          operationId: 'listStaffAccounts',
          summary: 'Super-administrators: every staff account with its memberships',
          security: staffSignedIn,
          response: {
            200: Type.Array(
              Type.Composite([
                StaffAccountSchema,
                Type.Object({ memberships: Type.Array(Type.Object({ municipalityCode: MunicipalityCodeSchema, roles: RolesSchema })) }),
              ]),
            ),
            ...problems(),
          },
        },
      },
      async () => accounts.listAll(),
    );

    app.post(
      '/staff/accounts',
      {
        config: { action: 'accounts.manage-all' },
        schema: {
          tags,
          operationId: 'createStaffAccount',
          summary: 'Super-administrators: a new account (super-administrator or not) and its enrolment link',
          security: staffSignedIn,
          body: Type.Object(
            { email: EmailSchema, displayName: DisplayNameSchema, language: Type.Optional(LanguageSchema), superAdmin: Type.Boolean() },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ account: StaffAccountSchema, link: LinkSchema }), ...problems(409) },
        },
      },
      async (request, reply) => {
        const { language = 'ja', ...body } = request.body;
        const created = await accounts.create({ ...body, language }, actor(request));
        return reply.code(201).send({ account: created.account, link: linkAnswer(created.link) });
      },
    );

    app.put(
      '/staff/accounts/:accountId/super-admin',
      {
        config: { action: 'accounts.manage-all' },
        schema: {
          tags,
          operationId: 'setStaffSuperAdmin',
          summary: 'Super-administrators: make an account super-administrator, or no longer',
          security: staffSignedIn,
          params: AccountParams,
          body: Type.Object({ superAdmin: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: StaffAccountSchema, ...problems(404, 409) },
        },
      },
      async (request) => accounts.setSuperAdmin(request.params.accountId, request.body.superAdmin, actor(request)),
    );

    for (const [verb, operation] of [
      ['disable', 'disableStaffAccount'],
      ['enable', 'enableStaffAccount'],
    ] as const) {
      app.post(
        `/staff/accounts/:accountId/${verb}`,
        {
          config: { action: 'accounts.manage-all' },
          schema: {
            tags,
            operationId: operation,
            summary:
              verb === 'disable'
                ? 'Super-administrators: disable any account; its sessions end at once'
                : 'Super-administrators: enable an account again',
            security: staffSignedIn,
            params: AccountParams,
            response: { 200: StaffAccountSchema, ...problems(404, 409) },
          },
        },
        async (request) => accounts[verb]('deployment', request.params.accountId, actor(request)),
      );
    }

    app.post(
      '/staff/accounts/:accountId/links',
      {
        config: { action: 'accounts.manage-all' },
        schema: {
          tags,
          operationId: 'issueStaffAccountLink',
          summary: 'Super-administrators: a one-time enrolment or password-reset link for any account',
          security: staffSignedIn,
          params: AccountParams,
          body: LinkBody,
          response: { 201: LinkSchema, ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const link = await accounts.issueLink('deployment', request.params.accountId, request.body.purpose, actor(request));
        return reply.code(201).send(linkAnswer(link));
      },
    );
  };
}
