import { Type, type TSchema } from '@sinclair/typebox';

/** Request and response pieces shared by several modules' route schemas. */
export const IsoDateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10, description: 'YYYY-MM-DD' });
export const InstantSchema = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const MunicipalityCodeSchema = Type.String({ pattern: '^\\d{6}$', description: '6-digit local government code' });
export const VoucherNumberSchema = Type.String({
  minLength: 10,
  maxLength: 20,
  description: '10-digit voucher number (spaces and hyphens allowed)',
});
export const IdSchema = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** Added to the server once (app.ts), referenced by every error answer: one `Problem` in the OpenAPI document. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    code: Type.String({ description: 'Stable; the list is server/platform/errors.ts' }),
    title: Type.String({ description: 'In the language of Accept-Language' }),
    status: Type.Integer(),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'Dotted path of the field, e.g. `vaccines.pfizer.minAgeYears`' }),
          rule: Type.String({ description: 'The rule it broke (`minimum`, `pattern`, `checkDigit`…), for the page to act on' }),
          limit: Type.Optional(Type.Number({ description: 'The bound of the rule, when it has one' })),
          message: Type.String({ description: 'What is wrong, in the language of Accept-Language' }),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'application/problem+json (RFC 9457)' },
);

/** Security requirements of a route's schema; the CSRF header is added for the methods that need it (openapi.ts). */
export const signedIn = [{ session: [] as string[] }];
/** A staff route: the staff session cookie (and, on changes, the CSRF header; openapi.ts adds it). */
export const staffSignedIn = [{ staffSession: [] as string[] }];

const problemDescriptions: Record<number, string> = {
  400: 'The request is not valid (`errors` names the fields)',
  401: 'Not signed in, or the identity or code was not accepted',
  403: 'Not allowed',
  404: 'Not found',
  409: 'In conflict with the current state',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'Refused by the campaign rules',
  429: 'Too many requests or attempts: wait Retry-After seconds',
  500: 'Unexpected server error',
  503: 'A service the server needs is unavailable: try again after Retry-After seconds',
};

/** Every 429 and 503 says when to try again (problem-handler.ts sends it on each). */
const RetryAfter = { 'retry-after': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' } };

function problemResponse(status: number): TSchema {
  return Type.Unsafe({
    description: problemDescriptions[status] ?? 'Problem',
    ...(status === 429 || status === 503 ? { headers: RetryAfter } : {}),
    content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
  });
}

/**
 * A route's problem answers, for its schema: the 4xx it lists, and the 500 and 503 that any route
 * can answer, each as application/problem+json.
 */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries([...new Set([...statuses, 500, 503])].map((status) => [status, problemResponse(status)]));
}
