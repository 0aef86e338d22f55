import { Type } from '@fastify/type-provider-typebox';
import { IdSchema, InstantSchema, IsoDateSchema, MunicipalityCodeSchema } from '../../platform/schemas.js';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Optional = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM, local time' });

export const VenueParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, venueId: IdSchema });
export const DayParams = Type.Object({ municipalityCode: MunicipalityCodeSchema, venueId: IdSchema, date: IsoDateSchema });

export const VenueTextsSchema = Type.Record(
  Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8}){0,3}$' }),
  Type.Object(
    {
      name: Type.Optional(Type.String({ maxLength: 200 })),
      address: Type.Optional(Type.String({ maxLength: 400 })),
      accessNotes: Type.Optional(Type.String({ maxLength: 2000 })),
    },
    { additionalProperties: false },
  ),
  { description: 'Name, address and access notes per language code (ja-x-easy, vi, …); any may be missing', maxProperties: 20 },
);

export const VenueBody = Type.Object(
  {
    nameJa: Text(200),
    nameEn: Text(200),
    address: Text(400),
    vaccine: Type.String({ pattern: '^[a-z0-9-]{1,40}$', description: "A vaccine of the municipality's campaign settings" }),
    accessNotes: Optional(2000),
    mapUrl: Type.Union([Type.String({ pattern: '^https://', maxLength: 2000 }), Type.Null()]),
    phone: Type.Union([Type.String({ pattern: '^[0-9+() -]{6,20}$' }), Type.Null()]),
    texts: VenueTextsSchema,
    overbookingPercent: Type.Integer({
      minimum: 0,
      maximum: 50,
      description: 'Bookings accepted beyond the doses, in percent of each slot (rounded down); 0 by default',
    }),
  },
  { additionalProperties: false },
);

export const StaffVenue = Type.Object({
  id: IdSchema,
  nameJa: Type.String(),
  nameEn: Type.String(),
  address: Type.String(),
  vaccine: Type.String(),
  accessNotes: Type.Union([Type.String(), Type.Null()]),
  mapUrl: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  texts: VenueTextsSchema,
  overbookingPercent: Type.Integer(),
});

export const TemplateBody = Type.Object(
  {
    from: IsoDateSchema,
    to: IsoDateSchema,
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, description: 'ISO weekdays, 1 = Monday' }),
    times: Type.Optional(Type.Array(Time, { maxItems: 288, description: 'Start times; or give startTime, endTime and intervalMinutes' })),
    startTime: Type.Optional(Time),
    endTime: Type.Optional(Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'Excluded' })),
    intervalMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
    durationMinutes: Type.Integer({ minimum: 5, maximum: 600 }),
    capacity: Type.Integer({ minimum: 0, maximum: 100_000 }),
    opensDaysBefore: Type.Integer({ minimum: 0, maximum: 365 }),
    opensAtTime: Time,
    closesDaysBefore: Type.Integer({ minimum: 0, maximum: 365 }),
    closesAtTime: Time,
  },
  { additionalProperties: false },
);

const Overlap = Type.Union([
  Type.Object({
    kind: Type.Union([Type.Literal('same-start'), Type.Literal('overlapping')]),
    slotId: IdSchema,
    startsAt: InstantSchema,
  }),
  Type.Null(),
]);

export const PreviewSlotSchema = Type.Object({
  startsAt: InstantSchema,
  durationMinutes: Type.Integer(),
  capacity: Type.Integer(),
  extraPlaces: Type.Integer(),
  opensAt: InstantSchema,
  closesAt: InstantSchema,
  overlap: Overlap,
});

export const PreviewSchema = Type.Object({
  summary: Type.Object({ total: Type.Integer(), new: Type.Integer(), overlapping: Type.Integer() }),
  slots: Type.Array(PreviewSlotSchema),
});

export const GeneratedSchema = Type.Object({
  templateId: IdSchema,
  created: Type.Integer(),
  skipped: Type.Array(Type.Object({ startsAt: InstantSchema, overlap: Overlap })),
});

export const TemplateRecord = Type.Object({
  id: IdSchema,
  definition: Type.Unknown({ description: 'The template as it was given' }),
  createdCount: Type.Integer(),
  skippedCount: Type.Integer(),
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: InstantSchema,
});

export const DaySchema = Type.Object({
  date: IsoDateSchema,
  venueId: IdSchema,
  slots: Type.Array(
    Type.Object({
      id: IdSchema,
      startsAt: InstantSchema,
      durationMinutes: Type.Integer(),
      capacity: Type.Integer({ description: 'Doses' }),
      extraPlaces: Type.Integer({ description: 'Places beyond the doses (overbooking allowance)' }),
      taken: Type.Integer({ description: 'Active bookings plus live holds' }),
      booked: Type.Integer({ description: 'Active bookings' }),
      opensAt: InstantSchema,
      closesAt: InstantSchema,
      closedAt: Type.Union([InstantSchema, Type.Null()]),
      templateId: Type.Union([IdSchema, Type.Null()]),
    }),
  ),
});

export const PeopleSchema = Type.Array(
  Type.Object({
    reservationNumber: Type.String(),
    slotId: IdSchema,
    startsAt: InstantSchema,
    dose: Type.Integer(),
    nameKanji: Type.String(),
    nameKana: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
  }),
);

export const CloseBody = Type.Object(
  {
    slotIds: Type.Optional(
      Type.Array(IdSchema, { minItems: 1, maxItems: 300, description: 'Slots of the day to close; all when missing' }),
    ),
    action: Type.Union([Type.Literal('move'), Type.Literal('cancel')]),
    toSlotId: Type.Optional(IdSchema),
    toDate: Type.Optional(IsoDateSchema),
    toVenueId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
);

const Person = { reservationNumber: Type.String(), nameKanji: Type.String(), fromStartsAt: InstantSchema };

export const CloseReport = Type.Object({
  closedSlotIds: Type.Array(IdSchema),
  moved: Type.Array(Type.Object({ ...Person, toSlotId: IdSchema, toStartsAt: InstantSchema })),
  notMoved: Type.Array(
    Type.Object({ ...Person, reason: Type.String({ description: 'A problem code: slot-full, interval-too-short, …' }) }),
  ),
  cancelled: Type.Array(Type.Object({ ...Person, alsoCancelled: Type.Array(Type.String()) })),
});

export const ReopenBody = Type.Object(
  {
    slotIds: Type.Optional(
      Type.Array(IdSchema, { minItems: 1, maxItems: 300, description: 'Slots of the day to reopen; every closed one when missing' }),
    ),
  },
  { additionalProperties: false },
);

export const ReopenReport = Type.Object({
  reopenedSlotIds: Type.Array(IdSchema, { description: 'Taking bookings again, until their booking window ends' }),
  stillClosedSlotIds: Type.Array(IdSchema, { description: 'Closed slots that had already started: they stay closed' }),
});
