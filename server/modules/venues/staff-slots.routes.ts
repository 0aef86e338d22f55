import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { SlotCapacity } from './slot-capacity.service.js';

/** The schedule as staff edit it: one slot's capacity (templates, closing and moving come next). */
export function staffSlotsRoutes(deps: { capacity: SlotCapacity }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/staff/municipalities/:municipalityCode/slots/:slotId',
      {
        config: { action: 'schedule.manage' },
        schema: {
          tags: ['staff-schedule'],
          operationId: 'updateSlotCapacity',
          summary: "Changes one slot's capacity; never below its bookings and live holds (capacity-below-bookings, 409)",
          security: staffSignedIn,
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema, slotId: IdSchema }),
          body: Type.Object({ capacity: Type.Integer({ minimum: 0, maximum: 100_000 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              id: IdSchema,
              startsAt: InstantSchema,
              capacity: Type.Integer(),
              extraPlaces: Type.Integer({ description: "Places beyond the doses from the venue's overbooking allowance" }),
              taken: Type.Integer(),
            }),
            ...problems(400, 404, 409),
          },
        },
      },
      async (request) => {
        const { municipalityCode, slotId } = request.params;
        return deps.capacity.set(municipalityCode, slotId, request.body.capacity, {
          accountId: staffOf(request).principal.accountId,
          ip: request.ip,
        });
      },
    );
  };
}
