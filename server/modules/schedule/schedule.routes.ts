import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { isIsoDate } from '../../../shared/dates.js';
import { staffOf } from '../../platform/access/index.js';
import { AppError } from '../../platform/errors.js';
import { IdSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import {
  CloseBody,
  CloseReport,
  DayParams,
  DaySchema,
  GeneratedSchema,
  PeopleSchema,
  PreviewSchema,
  ReopenBody,
  ReopenReport,
  StaffVenue,
  TemplateBody,
  TemplateRecord,
  VenueBody,
  VenueParams,
} from './schedule.schemas.js';
import type { ScheduleDay } from './schedule-day.service.js';
import type { SlotClosing } from './slot-closing.service.js';
import type { Templates } from './templates.service.js';
import type { VenueAdmin } from './venue-admin.service.js';

const by = (request: FastifyRequest) => ({ accountId: staffOf(request).principal.accountId, ip: request.ip });
const base = '/staff/municipalities/:municipalityCode/venues';
const common = { tags: ['staff-schedule'], security: staffSignedIn };
const config = { action: 'schedule.manage' } as const;

function checkDate(date: string, field: string) {
  if (!isIsoDate(date)) throw new AppError('invalid-request', { errors: [{ field, rule: 'format' }] });
}

/** Venues, slot templates and the day view of the staff API; every route in the URL's municipality. */
export function scheduleRoutes(deps: {
  venues: VenueAdmin;
  templates: Templates;
  day: ScheduleDay;
  closing: SlotClosing;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      base,
      {
        config,
        schema: {
          ...common,
          operationId: 'listStaffVenues',
          summary: 'Venues of the municipality, with phone and overbooking allowance',
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema }),
          response: { 200: Type.Array(StaffVenue), ...problems(400) },
        },
      },
      async (request) => deps.venues.list(request.params.municipalityCode),
    );

    app.post(
      base,
      {
        config,
        schema: {
          ...common,
          operationId: 'createVenue',
          summary: 'Adds a venue (audited)',
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema }),
          body: VenueBody,
          response: { 201: StaffVenue, ...problems(400) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return deps.venues.create(request.params.municipalityCode, request.body, by(request));
      },
    );

    app.get(
      `${base}/:venueId`,
      {
        config,
        schema: {
          ...common,
          operationId: 'getStaffVenue',
          summary: 'One venue',
          params: VenueParams,
          response: { 200: StaffVenue, ...problems(400, 404) },
        },
      },
      async (request) => deps.venues.get(request.params.municipalityCode, request.params.venueId),
    );

    app.put(
      `${base}/:venueId`,
      {
        config,
        schema: {
          ...common,
          operationId: 'updateVenue',
          summary:
            "Replaces a venue's details (audited); a new overbooking allowance applies to its slots that have not started; the vaccine cannot change while people are booked (venue-in-use, 409)",
          params: VenueParams,
          body: VenueBody,
          response: { 200: StaffVenue, ...problems(400, 404, 409) },
        },
      },
      async (request) => deps.venues.update(request.params.municipalityCode, request.params.venueId, request.body, by(request)),
    );

    app.delete(
      `${base}/:venueId`,
      {
        config,
        schema: {
          ...common,
          operationId: 'deleteVenue',
          summary: 'Removes a venue that has no slots (venue-in-use, 409, otherwise); audited',
          params: VenueParams,
          response: { 204: Type.Null({ description: 'Removed' }), ...problems(400, 404, 409) },
        },
      },
      async (request, reply) => {
        await deps.venues.remove(request.params.municipalityCode, request.params.venueId, by(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      `${base}/:venueId/templates`,
      {
        config,
        schema: {
          ...common,
          operationId: 'listSlotTemplates',
          summary: 'The templates that made the venue’s slots, newest first (100 at most)',
          params: VenueParams,
          response: { 200: Type.Array(TemplateRecord), ...problems(400, 404) },
        },
      },
      async (request) => deps.templates.list(request.params.municipalityCode, request.params.venueId),
    );

    app.post(
      `${base}/:venueId/templates/preview`,
      {
        config,
        schema: {
          ...common,
          operationId: 'previewSlotTemplate',
          summary:
            'The slots a template would make, each with the existing slot it meets (same start or overlapping time); changes nothing',
          params: VenueParams,
          body: TemplateBody,
          response: { 200: PreviewSchema, ...problems(400, 404) },
        },
      },
      async (request) => deps.templates.preview(request.params.municipalityCode, request.params.venueId, request.body),
    );

    app.post(
      `${base}/:venueId/templates`,
      {
        config,
        schema: {
          ...common,
          operationId: 'createSlotsFromTemplate',
          summary:
            'Keeps the template and makes its slots in one transaction, skipping (and reporting) those that meet an existing slot; running it again makes none',
          params: VenueParams,
          body: TemplateBody,
          response: { 201: GeneratedSchema, ...problems(400, 404) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return deps.templates.generate(request.params.municipalityCode, request.params.venueId, request.body, by(request));
      },
    );

    app.get(
      `${base}/:venueId/days/:date`,
      {
        config,
        schema: {
          ...common,
          operationId: 'getScheduleDay',
          summary: "A venue's slots on a local date: capacity, extra places, taken, booked, closed",
          params: DayParams,
          response: { 200: DaySchema, ...problems(400, 404) },
        },
      },
      async (request) => {
        checkDate(request.params.date, 'params.date');
        return deps.day.day(request.params.municipalityCode, request.params.venueId, request.params.date);
      },
    );

    app.get(
      `${base}/:venueId/days/:date/people`,
      {
        config,
        schema: {
          ...common,
          operationId: 'listScheduleDayPeople',
          summary: 'The people booked on the day, or in one of its slots: name, kana, reservation number, phone (audited)',
          params: DayParams,
          querystring: Type.Object({ slotId: Type.Optional(IdSchema) }, { additionalProperties: false }),
          response: { 200: PeopleSchema, ...problems(400, 404) },
        },
      },
      async (request) => {
        const { municipalityCode, venueId, date } = request.params;
        checkDate(date, 'params.date');
        return deps.day.people(municipalityCode, venueId, date, request.query.slotId, by(request));
      },
    );

    app.post(
      `${base}/:venueId/days/:date/close`,
      {
        config,
        schema: {
          ...common,
          operationId: 'closeScheduleDay',
          summary:
            'Closes slots of the day (all, or slotIds) to new bookings, then moves each person (own transaction) to toSlotId or the nearest free slot of toDate, or cancels them; each gets a notice; answers who was moved where and who not and why',
          params: DayParams,
          body: CloseBody,
          response: { 200: CloseReport, ...problems(400, 404, 409) },
        },
      },
      async (request) => {
        const { municipalityCode, venueId, date } = request.params;
        checkDate(date, 'params.date');
        if (request.body.toDate !== undefined) checkDate(request.body.toDate, 'body.toDate');
        if (request.body.action === 'move' && request.body.toSlotId === undefined && request.body.toDate === undefined) {
          throw new AppError('invalid-request', { errors: [{ field: 'body.toSlotId', rule: 'required' }] });
        }
        return deps.closing.close(municipalityCode, venueId, date, request.body, by(request));
      },
    );

    app.post(
      `${base}/:venueId/days/:date/reopen`,
      {
        config,
        schema: {
          ...common,
          operationId: 'reopenScheduleDay',
          summary:
            'Reopens closed slots of the day (all, or slotIds) that have not started: they take bookings again until their booking window ends; the people moved or cancelled at the closing stay where they are',
          params: DayParams,
          body: ReopenBody,
          response: { 200: ReopenReport, ...problems(400, 404) },
        },
      },
      async (request) => {
        const { municipalityCode, venueId, date } = request.params;
        checkDate(date, 'params.date');
        return deps.closing.reopen(municipalityCode, venueId, date, request.body, by(request));
      },
    );
  };
}
