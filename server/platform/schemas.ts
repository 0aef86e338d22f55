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

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    code: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), rule: Type.String() }))),
  },
  { additionalProperties: true, description: 'application/problem+json' },
);

/** Standard problem answers for a route's schema, so OpenAPI lists them. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
}
