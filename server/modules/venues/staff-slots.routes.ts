import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { PhoneShare } from './phone-share.service.js';
import type { SlotCapacity } from './slot-capacity.service.js';

const PhonePlaces = Type.Integer({ minimum: 0, maximum: 100_000, description: 'Places kept for the telephone (cut to the capacity)' });

/** The schedule as staff edit it: one slot's capacity, the telephone's share (templates, closing and moving come next). */
export function staffSlotsRoutes(deps: { capacity: SlotCapacity; phoneShare: PhoneShare }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const by = (request: Parameters<typeof staffOf>[0]) => ({ accountId: staffOf(request).principal.accountId, ip: request.ip });

    app.put(
      '/staff/municipalities/:municipalityCode/venues/:venueId/phone-share',
      {
        config: { action: 'schedule.manage' },
        schema: {
          tags: ['staff-schedule'],
          operationId: 'setVenuePhoneShare',
          summary: "A venue's telephone share, the default for its slots: written to every slot of it not yet started",
          security: staffSignedIn,
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema, venueId: IdSchema }),
          body: Type.Object(
            {
              phonePlaces: PhonePlaces,
              releaseMinutesBefore: Type.Union([Type.Integer({ minimum: 0, maximum: 525_600 }), Type.Null()], {
                description: 'Minutes before a slot starts when its unused phone places go to the web (1440: the day before); null: never',
              }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              venueId: IdSchema,
              phonePlaces: Type.Integer(),
              releaseMinutesBefore: Type.Union([Type.Integer(), Type.Null()]),
              slotsUpdated: Type.Integer(),
            }),
            ...problems(400, 404),
          },
        },
      },
      async (request) => {
        const { municipalityCode, venueId } = request.params;
        return deps.phoneShare.setForVenue(municipalityCode, venueId, request.body, by(request));
      },
    );

    app.put(
      '/staff/municipalities/:municipalityCode/slots/:slotId/phone-share',
      {
        config: { action: 'schedule.manage' },
        schema: {
          tags: ['staff-schedule'],
          operationId: 'setSlotPhoneShare',
          summary: "One slot's telephone share: how many places, and until when the web may not book them",
          security: staffSignedIn,
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema, slotId: IdSchema }),
          body: Type.Object(
            {
              phonePlaces: PhonePlaces,
              releaseAt: Type.Union([InstantSchema, Type.Null()], { description: 'When unused phone places go to the web; null: never' }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              id: IdSchema,
              capacity: Type.Integer(),
              taken: Type.Integer(),
              phonePlaces: Type.Integer(),
              phoneTaken: Type.Integer(),
              phoneReleaseAt: Type.Union([InstantSchema, Type.Null()]),
            }),
            ...problems(400, 404),
          },
        },
      },
      async (request) => {
        const { municipalityCode, slotId } = request.params;
        const { phonePlaces, releaseAt } = request.body;
        return deps.phoneShare.setForSlot(
          municipalityCode,
          slotId,
          { phonePlaces, releaseAt: releaseAt === null ? null : new Date(releaseAt) },
          by(request),
        );
      },
    );

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
