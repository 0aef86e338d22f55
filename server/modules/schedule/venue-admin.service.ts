import type { Db } from '../../db/database.js';
import type { Venue } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { ScheduleRepository, VenueValues } from './schedule.repository.js';

export interface StaffBy {
  accountId: number;
  ip: string;
}

export function staffVenueView(venue: Venue) {
  return {
    id: venue.id,
    nameJa: venue.name_ja,
    nameEn: venue.name_en,
    address: venue.address,
    vaccine: venue.vaccine,
    accessNotes: venue.access_notes,
    mapUrl: venue.map_url,
    phone: venue.phone,
    texts: venue.texts,
    overbookingPercent: venue.overbooking_percent,
  };
}

export type StaffVenueView = ReturnType<typeof staffVenueView>;

/** Venues as staff keep them: scoped to the municipality of the URL, every change audited. */
export function createVenueAdmin(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  repository: ScheduleRepository;
  municipalities: MunicipalitiesRepository;
}) {
  const { db, audit, repository: repo } = deps;

  /** A venue gives one of the municipality's vaccines: the dose rules know no other. */
  async function checkVaccine(code: string, vaccine: string) {
    const municipality = await deps.municipalities.find(code);
    if (!municipality) throw new AppError('municipality-not-found');
    if (!Object.hasOwn(municipality.policy.vaccines, vaccine)) {
      throw new AppError('invalid-request', { errors: [{ field: 'body.vaccine', rule: 'enum' }] });
    }
  }

  const record = (code: string, by: StaffBy, action: string, detail: Record<string, unknown>, tx: Parameters<AuditLog['record']>[1]) =>
    audit.record(
      { actorKind: 'staff', actorId: String(by.accountId), action, subjectResidentId: null, municipalityCode: code, ip: by.ip, detail },
      tx,
    );

  return {
    async list(code: string) {
      return (await repo.listVenues(code)).map(staffVenueView);
    },

    async get(code: string, venueId: number) {
      const venue = await repo.findVenue(code, venueId);
      if (!venue) throw new AppError('not-found');
      return staffVenueView(venue);
    },

    async create(code: string, values: VenueValues, by: StaffBy) {
      await checkVaccine(code, values.vaccine);
      return inTransaction(db, async (tx) => {
        const venue = await repo.insertVenue(tx, code, values);
        await record(code, by, 'venue.create', { venueId: venue.id, nameJa: venue.name_ja }, tx);
        return staffVenueView(venue);
      });
    },

    /**
     * Replaces a venue's details. A new overbooking allowance is applied to its slots that have
     * not started (never below the extra places already used); past slots keep what they had.
     */
    async update(code: string, venueId: number, values: VenueValues, by: StaffBy) {
      await checkVaccine(code, values.vaccine);
      return inTransaction(db, async (tx) => {
        const before = await repo.lockVenue(tx, code, venueId);
        if (!before) throw new AppError('not-found');
        if (before.vaccine !== values.vaccine) {
          // People booked for one vaccine must not find another at their venue.
          const booked = await tx
            .selectFrom('reservations')
            .innerJoin('slots', 'slots.id', 'reservations.slot_id')
            .select('reservations.id')
            .where('slots.venue_id', '=', venueId)
            .where('reservations.status', '=', 'booked')
            .limit(1)
            .executeTakeFirst();
          if (booked) throw new AppError('venue-in-use');
        }
        const venue = (await repo.updateVenue(tx, code, venueId, values))!;
        const slotsChanged =
          before.overbooking_percent === values.overbookingPercent
            ? 0
            : await repo.applyAllowance(tx, venueId, values.overbookingPercent, deps.clock.now());
        const changed = Object.keys(values).filter((key) => {
          const view = staffVenueView(before) as Record<string, unknown>;
          return JSON.stringify(view[key]) !== JSON.stringify((values as unknown as Record<string, unknown>)[key]);
        });
        await record(
          code,
          by,
          'venue.update',
          { venueId, changed, overbookingPercent: { from: before.overbooking_percent, to: values.overbookingPercent }, slotsChanged },
          tx,
        );
        return staffVenueView(venue);
      });
    },

    /** Only a venue that never had slots: bookings and their history refer to slots. */
    async remove(code: string, venueId: number, by: StaffBy): Promise<void> {
      await inTransaction(db, async (tx) => {
        const venue = await repo.lockVenue(tx, code, venueId);
        if (!venue) throw new AppError('not-found');
        const outcome = await repo.deleteVenueWithoutSlots(tx, code, venueId);
        if (outcome === 'in-use') throw new AppError('venue-in-use');
        await record(code, by, 'venue.delete', { venueId, nameJa: venue.name_ja }, tx);
      });
    },
  };
}

export type VenueAdmin = ReturnType<typeof createVenueAdmin>;
