import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdmissionGate } from '../../platform/admission.js';
import { IdSchema, problems, signedIn } from '../../platform/schemas.js';
import type { SessionGuard } from '../../platform/session.js';
import { MAX_TOGETHER, type BookTogether } from './book-together.js';
import { ReservationSchema } from './reservations.routes.js';

export function bookTogetherRoutes(deps: {
  bookTogether: BookTogether;
  sessions: SessionGuard;
  admission: AdmissionGate;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/reservations/together',
      {
        schema: {
          tags: ['booking'],
          operationId: 'bookTogether',
          security: signedIn,
          summary: 'Book the account holder and family members into one slot: a place for each of them, or for none',
          body: Type.Object(
            {
              slotId: IdSchema,
              residentIds: Type.Array(IdSchema, {
                minItems: 2,
                maxItems: MAX_TOGETHER,
                uniqueItems: true,
                description: 'The account holder and/or their family members',
              }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ reservations: Type.Array(ReservationSchema) }),
            ...problems(400, 401, 403, 404, 409, 422),
          },
        },
      },
      async (request, reply) => {
        const session = deps.sessions.require(request);
        deps.admission.assertAdmitted(request);
        const reservations = await deps.bookTogether(
          { kind: 'resident', accountId: session.accountId, municipalityCode: session.municipalityCode },
          request.body,
        );
        return reply.code(201).send({ reservations });
      },
    );
  };
}
