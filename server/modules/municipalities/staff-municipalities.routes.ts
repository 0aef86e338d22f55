import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { InstantSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import type { WaitingRoomConfig } from '../../config.js';
import type { MunicipalitiesService, MunicipalityRecord, StaffActor } from './municipalities.service.js';
import { SettingsSchema } from './settings.schema.js';

const NameJa = Type.String({ minLength: 1, maxLength: 100 });
const NameEn = Type.String({ minLength: 1, maxLength: 100 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Tokyo' });
const Phone = Type.String({ maxLength: 24, description: 'The call centre residents may ring (shown on the site); empty: none' });

const MunicipalitySchema = Type.Object({
  code: MunicipalityCodeSchema,
  nameJa: Type.String(),
  nameEn: Type.String(),
  timeZone: Type.String(),
  callCentrePhone: Type.Union([Type.String(), Type.Null()]),
  createdAt: InstantSchema,
});
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });

const view = (m: MunicipalityRecord) => ({
  code: m.code,
  nameJa: m.nameJa,
  nameEn: m.nameEn,
  timeZone: m.timeZone,
  callCentrePhone: m.callCentrePhone,
  createdAt: m.createdAt.toISOString(),
});
const actor = (request: FastifyRequest): StaffActor => ({ accountId: staffOf(request).principal.accountId, ip: request.ip });

/** Municipalities for staff: created by super-administrators, their profile and settings edited by their administrators. */
export function staffMunicipalitiesRoutes(deps: {
  municipalities: MunicipalitiesService;
  waitingRoomMode: WaitingRoomConfig['mode'];
}): FastifyPluginAsyncTypebox {
  const { municipalities } = deps;
  return async (app) => {
    const tags = ['staff-municipalities'];

    app.get(
      '/staff/municipalities',
      {
        config: { action: 'municipality.list' },
        schema: {
          tags,
          operationId: 'listMunicipalities',
          summary: 'Super-administrators: every municipality of the deployment',
          security: staffSignedIn,
          response: { 200: Type.Array(MunicipalitySchema), ...problems() },
        },
      },
      async () => (await municipalities.list()).map(view),
    );

    app.post(
      '/staff/municipalities',
      {
        config: { action: 'municipality.create' },
        schema: {
          tags,
          operationId: 'createMunicipality',
          summary: 'Super-administrators: a new municipality (code with a valid check digit); its settings start as the defaults',
          security: staffSignedIn,
          body: Type.Object(
            { code: MunicipalityCodeSchema, nameJa: NameJa, nameEn: NameEn, timeZone: TimeZone, callCentrePhone: Type.Optional(Phone) },
            { additionalProperties: false },
          ),
          response: { 201: MunicipalitySchema, ...problems(409) },
        },
      },
      async (request, reply) => {
        const { callCentrePhone, ...body } = request.body;
        const created = await municipalities.create({ ...body, callCentrePhone: callCentrePhone || null }, actor(request));
        return reply.code(201).send(view(created));
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode',
      {
        config: { action: 'municipality.view' },
        schema: {
          tags,
          operationId: 'getStaffMunicipality',
          summary: 'The municipality: names, time zone, call-centre phone',
          security: staffSignedIn,
          params: Params,
          response: { 200: MunicipalitySchema, ...problems(400) },
        },
      },
      async (request) => view(await municipalities.get(request.params.municipalityCode)),
    );

    app.patch(
      '/staff/municipalities/:municipalityCode',
      {
        config: { action: 'municipality.update' },
        schema: {
          tags,
          operationId: 'updateMunicipality',
          summary: 'Change the names, time zone or call-centre phone (the code never changes)',
          security: staffSignedIn,
          params: Params,
          body: Type.Object(
            {
              nameJa: Type.Optional(NameJa),
              nameEn: Type.Optional(NameEn),
              timeZone: Type.Optional(TimeZone),
              callCentrePhone: Type.Optional(Phone),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: MunicipalitySchema, ...problems() },
        },
      },
      async (request) => {
        const { callCentrePhone, ...patch } = request.body;
        const changes = callCentrePhone === undefined ? patch : { ...patch, callCentrePhone: callCentrePhone || null };
        return view(await municipalities.update(request.params.municipalityCode, changes, actor(request)));
      },
    );

    app.get(
      '/staff/municipalities/:municipalityCode/settings',
      {
        config: { action: 'settings.view' },
        schema: {
          tags,
          operationId: 'getMunicipalitySettings',
          summary: 'The campaign policy and opening plan in force, the defaults beside them, and the deployment’s waiting-room mode',
          security: staffSignedIn,
          params: Params,
          response: {
            200: Type.Object({
              settings: SettingsSchema,
              defaults: SettingsSchema,
              waitingRoomMode: Type.Union([Type.Literal('off'), Type.Literal('always'), Type.Literal('scheduled'), Type.Literal('auto')], {
                description: 'WAITING_ROOM, the same for every municipality of the deployment',
              }),
            }),
            ...problems(400),
          },
        },
      },
      async (request) => ({ ...(await municipalities.settings(request.params.municipalityCode)), waitingRoomMode: deps.waitingRoomMode }),
    );

    app.put(
      '/staff/municipalities/:municipalityCode/settings',
      {
        config: { action: 'settings.update' },
        schema: {
          tags,
          operationId: 'setMunicipalitySettings',
          summary:
            'Replace the campaign policy and opening plan (every field; each refusal names its field); in force from the next request',
          security: staffSignedIn,
          params: Params,
          body: SettingsSchema,
          response: { 200: SettingsSchema, ...problems() },
        },
      },
      async (request) => municipalities.setSettings(request.params.municipalityCode, request.body, actor(request)),
    );
  };
}
