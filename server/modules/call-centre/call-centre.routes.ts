import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staffOf } from '../../platform/access/index.js';
import { IdSchema, InstantSchema, IsoDateSchema, MunicipalityCodeSchema, problems, staffSignedIn } from '../../platform/schemas.js';
import { ReservationSchema } from '../reservations/index.js';
import type { CallCentreService, Operator } from './call-centre.service.js';
import type { PostcardLanguage } from './postcard.js';
import { SCRIPT_SCREENS } from './scripts.js';

const tags = ['staff-call-centre'];
const base = '/staff/municipalities/:municipalityCode/call-centre';
const Params = Type.Object({ municipalityCode: MunicipalityCodeSchema });
const ResidentParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, residentId: IdSchema });
const NumberParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, number: Type.String({ minLength: 8, maxLength: 12 }) });

const Typed = (description: string, maxLength = 40) => Type.Optional(Type.String({ maxLength, description }));
const SearchQuery = Type.Object(
  {
    kana: Typed('Kana name, whole or part, as typed (width, hiragana/katakana, spaces, small kana, long vowels ignored)', 60),
    birthDate: Typed('As the caller says it: 昭和25年4月1日, S25.4.1, 1950-04-01, 1950/4/1'),
    voucherNumber: Typed('The 10-digit voucher number'),
    reservationNumber: Typed('A reservation number, alone (XXXX-XXXX)'),
    phone: Typed('The phone number on the record, in any spelling'),
  },
  { additionalProperties: false },
);
const Match = Type.Object({ residentId: IdSchema, nameKana: Type.String(), birthDate: Type.String() });
const ReadBack = Type.Array(Type.Object({ character: Type.String(), ja: Type.String(), en: Type.String() }), {
  description: 'The number character by character, each with the word it is read out with',
});
const Booked = Type.Composite([ReservationSchema, Type.Object({ readBack: ReadBack })]);
const BookedWithFollowUp = Type.Composite([
  ReservationSchema,
  Type.Object({ readBack: ReadBack, followUp: Type.Optional(ReservationSchema) }),
]);
const Person = Type.Object({
  residentId: IdSchema,
  name: Type.String(),
  nameKana: Type.String(),
  birthDate: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  voucherNumber: Type.String(),
});
const Note = Type.Object({
  id: IdSchema,
  body: Type.String(),
  at: InstantSchema,
  by: Type.Object({ accountId: IdSchema, name: Type.Optional(Type.String()) }),
});
const Lines = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 10 });
const Scripts = Type.Object(
  Object.fromEntries(SCRIPT_SCREENS.map((screen) => [screen, Type.Object({ ja: Lines, en: Lines }, { additionalProperties: false })])),
  { additionalProperties: false },
);

/** The access hook has checked the operator's role in the path's municipality before this runs. */
const operatorOf = (request: FastifyRequest & { params: { municipalityCode: string } }): Operator => ({
  accountId: staffOf(request).principal.accountId,
  ip: request.ip,
  municipalityCode: request.params.municipalityCode,
});

/**
 * The call centre's console, for operators (role operator): thin routes over the call-centre
 * service, which holds every rule. Nothing here is cached by a browser or a proxy.
 */
export function callCentreRoutes(deps: { callCentre: CallCentreService }): FastifyPluginAsyncTypebox {
  const { callCentre } = deps;
  return async (app) => {
    // Personal data: never kept by a browser or a proxy (the hook sees only this plugin's routes).
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get(
      `${base}/callers`,
      {
        config: { action: 'call-centre.search' },
        schema: {
          tags,
          operationId: 'searchCallers',
          summary: 'Find the caller: by kana + birth date + voucher (any of them), by reservation number, or by phone (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: SearchQuery,
          response: {
            200: Type.Object({
              results: Type.Array(Match, { maxItems: 20 }),
              more: Type.Boolean({ description: 'More matched: ask for more' }),
            }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => callCentre.search(operatorOf(request), request.query),
    );

    app.get(
      `${base}/residents/:residentId`,
      {
        config: { action: 'call-centre.view' },
        schema: {
          tags,
          operationId: 'getCaller',
          summary: 'Who was found, to confirm with the caller: name, kana, birth date, address; family, bookings, notes (audited)',
          security: staffSignedIn,
          params: ResidentParams,
          response: {
            200: Type.Object({
              person: Person,
              family: Type.Array(
                Type.Object({ residentId: IdSchema, name: Type.String(), nameKana: Type.String(), birthDate: Type.String() }),
              ),
              reservations: Type.Array(Booked),
              notes: Type.Array(Note),
            }),
            ...problems(400, 404, 429),
          },
        },
      },
      async (request) => callCentre.view(operatorOf(request), request.params.residentId),
    );

    app.post(
      `${base}/residents/:residentId/notes`,
      {
        config: { action: 'call-centre.note' },
        schema: {
          tags,
          operationId: 'addCallNote',
          summary: 'A short note on the call, on the person’s record, for other operators (audited)',
          security: staffSignedIn,
          params: ResidentParams,
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
          response: { 201: Note, ...problems(400, 404, 429) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await callCentre.addNote(operatorOf(request), { residentId: request.params.residentId, body: request.body.body })),
    );

    app.post(
      `${base}/reservations`,
      {
        config: { action: 'call-centre.book' },
        schema: {
          tags,
          operationId: 'bookForCaller',
          summary: 'Book the next dose for the caller (or a family member), with the web’s rules; recorded as made by the operator',
          description:
            'Answers 409 existing-booking, listing what the person holds, when they hold a booking already; ' +
            'send acknowledgeExisting: true once the caller has confirmed they want another.',
          security: staffSignedIn,
          params: Params,
          body: Type.Object(
            { residentId: IdSchema, slotId: IdSchema, acknowledgeExisting: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
          response: { 201: BookedWithFollowUp, ...problems(400, 404, 409, 422, 429) },
        },
      },
      async (request, reply) => reply.code(201).send(await callCentre.book(operatorOf(request), request.body)),
    );

    const Count = Type.Integer({ minimum: 0 });
    app.get(
      `${base}/venues/:venueId/slots`,
      {
        config: { action: 'call-centre.book' },
        schema: {
          tags,
          operationId: 'listSlotsForOperator',
          summary: 'A venue’s slots as an operator books them: the web’s part and the telephone’s (3/5 (phone 1/3))',
          description:
            'counts.webTaken/webPlaces and counts.phoneTaken/phonePlaces; an operator may book any free place (operatorRemaining), ' +
            'the web only webRemaining. Dates are the municipality’s local dates, at most 31 days.',
          security: staffSignedIn,
          params: Type.Object({ municipalityCode: MunicipalityCodeSchema, venueId: IdSchema }),
          querystring: Type.Object({ from: IsoDateSchema, to: IsoDateSchema }, { additionalProperties: false }),
          response: {
            200: Type.Array(
              Type.Object({
                id: IdSchema,
                startsAt: InstantSchema,
                durationMinutes: Type.Integer(),
                capacity: Count,
                taken: Count,
                bookable: Type.Boolean(),
                opensAt: InstantSchema,
                closesAt: InstantSchema,
                phoneReleaseAt: Type.Union([InstantSchema, Type.Null()]),
                counts: Type.Object({
                  webPlaces: Count,
                  webTaken: Count,
                  webRemaining: Count,
                  phonePlaces: Count,
                  phoneTaken: Count,
                  operatorRemaining: Count,
                  released: Type.Boolean(),
                }),
              }),
            ),
            ...problems(400, 404),
          },
        },
      },
      async (request) =>
        callCentre.slots(operatorOf(request), { venueId: request.params.venueId, from: request.query.from, to: request.query.to }),
    );

    app.post(
      `${base}/reservations/:number/change`,
      {
        config: { action: 'call-centre.book' },
        schema: {
          tags,
          operationId: 'changeForCaller',
          summary: 'Move the caller’s booking to another slot, with the web’s rules',
          security: staffSignedIn,
          params: NumberParams,
          body: Type.Object({ slotId: IdSchema }, { additionalProperties: false }),
          response: { 200: Booked, ...problems(400, 404, 409, 422, 429) },
        },
      },
      async (request) => callCentre.change(operatorOf(request), { number: request.params.number, slotId: request.body.slotId }),
    );

    app.post(
      `${base}/reservations/:number/cancel`,
      {
        config: { action: 'call-centre.book' },
        schema: {
          tags,
          operationId: 'cancelForCaller',
          summary: 'Cancel the caller’s booking (and the later doses that rest on it)',
          security: staffSignedIn,
          params: NumberParams,
          response: {
            200: Type.Composite([ReservationSchema, Type.Object({ readBack: ReadBack, alsoCancelled: Type.Array(Type.String()) })]),
            ...problems(400, 404, 409, 429),
          },
        },
      },
      async (request) => callCentre.cancel(operatorOf(request), { number: request.params.number }),
    );

    const Pdf = Type.Unsafe<string>({
      description: 'Postcards (100 × 148 mm), two pages each: the address side, then the message side',
      content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    });
    // A plain string with a pattern (not a union of literals): every query parameter is a string schema.
    const Language = Type.Optional(Type.String({ pattern: '^(ja|en)$', default: 'ja', description: 'The card’s language: ja or en' }));
    const languageOf = (value: string | undefined): PostcardLanguage => (value === 'en' ? 'en' : 'ja');
    const sendPdf = (reply: FastifyReply, name: string, pdf: PDFKit.PDFDocument) =>
      reply.header('content-disposition', `inline; filename="${name}"`).type('application/pdf').send(pdf);

    app.get(
      `${base}/reservations/:number/postcard`,
      {
        config: { action: 'call-centre.postcard' },
        schema: {
          tags,
          operationId: 'getPostcard',
          summary: 'The confirmation postcard (予約登録済書) of one booking, as a PDF (audited)',
          security: staffSignedIn,
          params: NumberParams,
          querystring: Type.Object({ language: Language }, { additionalProperties: false }),
          response: { 200: Pdf, ...problems(400, 404, 429) },
        },
      },
      async (request, reply) => {
        const pdf = await callCentre.postcards(operatorOf(request), {
          number: request.params.number,
          language: languageOf(request.query.language),
        });
        return sendPdf(reply as FastifyReply, `postcard-${request.params.number}.pdf`, pdf);
      },
    );

    app.get(
      `${base}/postcards`,
      {
        config: { action: 'call-centre.postcard' },
        schema: {
          tags,
          operationId: 'listPostcards',
          summary: 'The postcards of every booking operators made on a day, as one PDF, streamed (audited)',
          security: staffSignedIn,
          params: Params,
          querystring: Type.Object({ madeOn: IsoDateSchema, language: Language }, { additionalProperties: false }),
          response: { 200: Pdf, ...problems(400, 429) },
        },
      },
      async (request, reply) => {
        const pdf = await callCentre.postcards(operatorOf(request), {
          madeOn: request.query.madeOn,
          language: languageOf(request.query.language),
        });
        return sendPdf(reply as FastifyReply, `postcards-${request.query.madeOn}.pdf`, pdf);
      },
    );

    app.get(
      `${base}/scripts`,
      {
        config: { action: 'call-centre.scripts' },
        schema: {
          tags,
          operationId: 'getCallScripts',
          summary: 'The lines operators say on each screen of the console, in Japanese and English',
          security: staffSignedIn,
          params: Params,
          response: { 200: Scripts, ...problems() },
        },
      },
      async (request) => callCentre.scripts(request.params.municipalityCode),
    );

    app.put(
      `${base}/scripts`,
      {
        config: { action: 'call-centre.scripts-update' },
        schema: {
          tags,
          operationId: 'setCallScripts',
          summary: 'Administrators: set the script lines of every screen (audited)',
          security: staffSignedIn,
          params: Params,
          body: Scripts,
          response: { 200: Scripts, ...problems(400) },
        },
      },
      async (request) => callCentre.setScripts(operatorOf(request), request.body as never),
    );
  };
}
