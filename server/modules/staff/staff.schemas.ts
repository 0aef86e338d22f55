import { Type } from '@sinclair/typebox';
import { ACTIONS, ROLES, scopeOf, type Action } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, MunicipalityCodeSchema } from '../../platform/schemas.js';
import { staffPolicy } from './staff-policy.js';

/** The pieces of the staff routes' schemas. */
export const RoleSchema = Type.Union(
  ROLES.map((role) => Type.Literal(role)),
  { description: 'administrator: accounts and settings; staff: the campaign; operator: call centre; venue: check-in; viewer: read-only' },
);
export const RolesSchema = Type.Array(RoleSchema, { uniqueItems: true, maxItems: ROLES.length });
export const LanguageSchema = Type.Union([Type.Literal('ja'), Type.Literal('en')]);
export const EmailSchema = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
export const DisplayNameSchema = Type.String({ maxLength: 100 });
export const PasswordSchema = Type.String({
  minLength: 1,
  maxLength: staffPolicy.passwordMaxLength,
  description: `At least ${staffPolicy.passwordMinLength} characters, and not easy to guess`,
});
/** A TOTP code (6 digits) or a recovery code (XXXXX-XXXXX). */
export const CodeSchema = Type.String({
  minLength: 6,
  maxLength: 16,
  description: 'The 6-digit code of the authenticator app, or a recovery code',
});
export const LinkTokenSchema = Type.String({ minLength: 20, maxLength: 100, description: 'The token after # in the link' });

export const StaffAccountSchema = Type.Object({
  id: IdSchema,
  email: Type.String(),
  displayName: Type.String(),
  language: LanguageSchema,
  superAdmin: Type.Boolean(),
  status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('disabled')], {
    description: 'invited: not enrolled yet',
  }),
  createdAt: InstantSchema,
  lastSignInAt: Type.Union([InstantSchema, Type.Null()]),
});

/** A member as their municipality sees them. */
export const StaffMemberSchema = Type.Composite([
  StaffAccountSchema,
  Type.Object({
    roles: RolesSchema,
    managedHere: Type.Boolean({
      description: "Whether this municipality's administrators may disable it and issue its links (it works for this municipality only)",
    }),
  }),
]);

export const LinkSchema = Type.Object({
  purpose: Type.Union([Type.Literal('enrolment'), Type.Literal('password-reset')]),
  url: Type.String({ description: 'To give to the person; the token is after #, so it never reaches a server log' }),
  expiresAt: InstantSchema,
});

const municipalityActions = (Object.keys(ACTIONS) as Action[]).filter((a) => scopeOf(a) === 'municipality');
export const MembershipSchema = Type.Object({
  municipalityCode: MunicipalityCodeSchema,
  nameJa: Type.String(),
  nameEn: Type.String(),
  roles: RolesSchema,
  actions: Type.Array(Type.Union(municipalityActions.map((a) => Type.Literal(a))), {
    description: 'What the roles allow here (server/platform/access/actions.ts), for a page to offer only what will work',
  }),
});

export const SessionAnswer = Type.Object({
  csrfToken: Type.String({ description: 'Send back in x-csrf-token on every change' }),
  expiresAt: InstantSchema,
  idleTimeoutSeconds: Type.Integer(),
  account: StaffAccountSchema,
});

export const MunicipalityParams = Type.Object({ municipalityCode: MunicipalityCodeSchema });
export const MemberParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, accountId: IdSchema });
export const AccountParams = Type.Object({ accountId: IdSchema });
export const LinkBody = Type.Object(
  { purpose: Type.Union([Type.Literal('enrolment'), Type.Literal('password-reset')]) },
  { additionalProperties: false },
);
