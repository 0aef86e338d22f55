import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdSchema, IsoDateSchema, VoucherNumberSchema, problems, signedIn } from '../../platform/schemas.js';
import type { SessionGuard } from '../../platform/session.js';
import type { FamilyService } from './family.service.js';

/** The dose a booking is for and the dates and vaccine the rules allow it. */
const DoseWindowSchema = Type.Object({
  dose: Type.Integer(),
  earliestDate: Type.Optional(IsoDateSchema),
  latestDate: Type.Optional(IsoDateSchema),
  requiredVaccine: Type.Optional(Type.String()),
});

const PersonSchema = Type.Object({
  id: IdSchema,
  nameKanji: Type.String(),
  nameKana: Type.String(),
  birthDate: IsoDateSchema,
  relation: Type.Union([Type.Literal('self'), Type.Literal('family')]),
  doses: Type.Array(Type.Object({ dose: Type.Integer(), date: IsoDateSchema, vaccine: Type.String() })),
  nextDose: Type.Union([DoseWindowSchema, Type.Null()]),
  changes: Type.Array(Type.Composite([Type.Object({ number: Type.String() }), DoseWindowSchema])),
});

export function meRoutes(deps: { family: FamilyService; sessions: SessionGuard }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me',
      {
        schema: {
          tags: ['account'],
          operationId: 'getAccount',
          security: signedIn,
          summary: 'The signed-in account and its family members',
          response: {
            200: Type.Object({ csrfToken: Type.String(), account: PersonSchema, family: Type.Array(PersonSchema) }),
            ...problems(401),
          },
        },
      },
      async (request) => {
        const session = deps.sessions.require(request);
        const [account, ...family] = await deps.family.people(session.accountId);
        return { csrfToken: session.csrfToken, account: account!, family };
      },
    );

    app.post(
      '/me/family',
      {
        schema: {
          tags: ['account'],
          operationId: 'addFamilyMember',
          security: signedIn,
          summary: 'Add a family member by their voucher number + birth date',
          body: Type.Object({ voucherNumber: VoucherNumberSchema, birthDate: IsoDateSchema }, { additionalProperties: false }),
          response: { 201: PersonSchema, ...problems(400, 401, 403, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => {
        const session = deps.sessions.require(request);
        const person = await deps.family.add(session, { ...request.body, ip: request.ip });
        return reply.code(201).send(person);
      },
    );

    app.delete(
      '/me/family/:residentId',
      {
        schema: {
          tags: ['account'],
          operationId: 'removeFamilyMember',
          security: signedIn,
          summary: 'Remove a family member from this account',
          params: Type.Object({ residentId: IdSchema }),
          response: { 204: Type.Null({ description: 'Removed' }), ...problems(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const session = deps.sessions.require(request);
        await deps.family.remove(session, request.params.residentId, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
}
