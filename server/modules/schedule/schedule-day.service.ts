import { addDays, zonedTimeToUtc, type IsoDate } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { Executor } from '../reservations/index.js';
import type { ScheduleRepository } from './schedule.repository.js';
import type { StaffBy } from './venue-admin.service.js';

/** A venue's day as staff see it: each slot's counts, and (audited) the people booked. */
export function createScheduleDay(deps: {
  db: Db;
  audit: AuditLog;
  repository: ScheduleRepository;
  municipalities: MunicipalitiesRepository;
}) {
  const { db, repository: repo } = deps;

  /** The venue (of this municipality) and its slots on a local date. */
  async function slotsOfDay(code: string, venueId: number, date: IsoDate, executor: Executor = db) {
    const venue = await repo.findVenue(code, venueId, executor);
    if (!venue) throw new AppError('not-found');
    const municipality = await deps.municipalities.find(code);
    if (!municipality) throw new AppError('municipality-not-found');
    const tz = municipality.timeZone;
    const slots = await repo.slotsBetween(
      executor,
      venueId,
      zonedTimeToUtc(date, '00:00', tz),
      zonedTimeToUtc(addDays(date, 1), '00:00', tz),
    );
    return { venue, municipality, slots };
  }

  return {
    slotsOfDay,

    async day(code: string, venueId: number, date: IsoDate) {
      const { slots } = await slotsOfDay(code, venueId, date);
      const ids = slots.map((s) => s.id);
      const booked = ids.length
        ? await db
            .selectFrom('reservations')
            .select(['slot_id', db.fn.countAll<string>().as('n')])
            .where('slot_id', 'in', ids)
            .where('status', '=', 'booked')
            .groupBy('slot_id')
            .execute()
        : [];
      return {
        date,
        venueId,
        slots: slots.map((s) => ({
          id: s.id,
          startsAt: s.starts_at.toISOString(),
          durationMinutes: s.duration_minutes,
          capacity: s.capacity,
          extraPlaces: s.extra_places,
          taken: s.taken,
          booked: Number(booked.find((b) => b.slot_id === s.id)?.n ?? 0),
          opensAt: s.opens_at.toISOString(),
          closesAt: s.closes_at.toISOString(),
          closedAt: s.closed_at?.toISOString() ?? null,
          templateId: s.template_id,
        })),
      };
    },

    /** The people booked on the day (or in one of its slots): names and phones, so the view is audited. */
    async people(code: string, venueId: number, date: IsoDate, slotId: number | undefined, by: StaffBy) {
      const { slots } = await slotsOfDay(code, venueId, date);
      const chosen = slotId === undefined ? slots : slots.filter((s) => s.id === slotId);
      if (slotId !== undefined && chosen.length === 0) throw new AppError('slot-not-found');
      const people = await repo.people(
        db,
        chosen.map((s) => s.id),
      );
      await deps.audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'schedule.people-view',
        subjectResidentId: null,
        municipalityCode: code,
        ip: by.ip,
        detail: { venueId, date, slotIds: chosen.map((s) => s.id), people: people.length },
      });
      return people.map((p) => ({
        reservationNumber: p.number,
        slotId: p.slot_id,
        startsAt: p.starts_at.toISOString(),
        dose: p.dose_number,
        nameKanji: p.name_kanji,
        nameKana: p.name_kana,
        phone: p.phone,
      }));
    },
  };
}

export type ScheduleDay = ReturnType<typeof createScheduleDay>;
