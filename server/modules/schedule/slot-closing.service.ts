import type { IsoDate } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, type ProblemCode } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { ReservationsService } from '../reservations/index.js';
import type { SlotNotices } from './notices-port.js';
import type { ScheduleDay } from './schedule-day.service.js';
import type { ScheduleRepository } from './schedule.repository.js';
import type { StaffBy } from './venue-admin.service.js';

export interface CloseRequest {
  /** Slots of the day to close; all of them when missing. */
  slotIds?: number[];
  action: 'move' | 'cancel';
  /** Where to move: one slot… */
  toSlotId?: number;
  /** …or a day (of this venue, or of `toVenueId`): each person to the free slot nearest their time. */
  toDate?: IsoDate;
  toVenueId?: number;
}

interface Target {
  id: number;
  startsAt: Date;
}

const minutesOfDay = (instant: Date, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
  return Number(parts.slice(0, 2)) * 60 + Number(parts.slice(3, 5));
};

/**
 * Closing a slot or a day. First the slots close (no new place from then on, holds given back),
 * then each person is moved, or cancelled, in their own transaction through the reservations
 * module (so its rules and lock order hold), with their notice written in that transaction.
 * A person who cannot be moved keeps their booking and is reported with the reason.
 */
export function createSlotClosing(deps: {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  repository: ScheduleRepository;
  day: ScheduleDay;
  reservations: ReservationsService;
  notices: SlotNotices;
}) {
  const { db, repository: repo, clock } = deps;

  async function targetsOf(code: string, venueId: number, closing: Set<number>, request: CloseRequest): Promise<Target[]> {
    const usable = (s: { id: number; closed_at: Date | null; starts_at: Date }) =>
      !closing.has(s.id) && s.closed_at === null && s.starts_at > clock.now();
    if (request.toSlotId !== undefined) {
      const slot = await db
        .selectFrom('slots')
        .innerJoin('venues', 'venues.id', 'slots.venue_id')
        .select(['slots.id', 'slots.starts_at', 'slots.closed_at'])
        .where('slots.id', '=', request.toSlotId)
        .where('venues.municipality_code', '=', code)
        .executeTakeFirst();
      if (!slot) throw new AppError('slot-not-found');
      if (!usable(slot)) throw new AppError('slot-not-open');
      return [{ id: slot.id, startsAt: slot.starts_at }];
    }
    if (request.toDate === undefined) throw new AppError('invalid-request', { errors: [{ field: 'body.toSlotId', rule: 'required' }] });
    const { slots } = await deps.day.slotsOfDay(code, request.toVenueId ?? venueId, request.toDate);
    const targets = slots.filter(usable).map((s) => ({ id: s.id, startsAt: s.starts_at }));
    if (targets.length === 0) throw new AppError('slot-not-found');
    return targets;
  }

  return {
    async close(code: string, venueId: number, date: IsoDate, request: CloseRequest, by: StaffBy) {
      const { slots, municipality } = await deps.day.slotsOfDay(code, venueId, date);
      const chosen = request.slotIds === undefined ? slots : slots.filter((s) => request.slotIds!.includes(s.id));
      if (chosen.length === 0 || (request.slotIds !== undefined && chosen.length !== new Set(request.slotIds).size)) {
        throw new AppError('slot-not-found');
      }
      const ids = new Set(chosen.map((s) => s.id));
      // The target is checked before anything closes: a wrong one changes nothing.
      const targets = request.action === 'move' ? await targetsOf(code, venueId, ids, request) : [];
      await inTransaction(db, async (tx) => {
        await repo.closeSlots(tx, [...ids], clock.now());
        await deps.audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action: 'schedule.close',
            subjectResidentId: null,
            municipalityCode: code,
            ip: by.ip,
            detail: { venueId, date, slotIds: [...ids], action: request.action, toSlotIds: targets.map((t) => t.id) },
          },
          tx,
        );
      });

      const actor = { kind: 'staff' as const, userId: String(by.accountId), municipalityCode: code };
      const tz = municipality.timeZone;
      const full = new Set<number>();
      const moved: { reservationNumber: string; nameKanji: string; fromStartsAt: string; toSlotId: number; toStartsAt: string }[] = [];
      const notMoved: { reservationNumber: string; nameKanji: string; fromStartsAt: string; reason: ProblemCode }[] = [];
      const cancelled: { reservationNumber: string; nameKanji: string; fromStartsAt: string; alsoCancelled: string[] }[] = [];
      const done = new Set<string>();

      async function moveOne(person: Awaited<ReturnType<ScheduleRepository['people']>>[number]) {
        const at = minutesOfDay(person.starts_at, tz);
        const sameDay = targets.filter((t) => !full.has(t.id));
        sameDay.sort((a, b) => Math.abs(minutesOfDay(a.startsAt, tz) - at) - Math.abs(minutesOfDay(b.startsAt, tz) - at));
        let reason: ProblemCode = 'slot-full';
        for (const target of sameDay) {
          try {
            const view = await deps.reservations.moveForStaff(
              actor,
              { number: person.number, slotId: target.id, fromSlotIds: [...ids] },
              (tx, m) => deps.notices.moved(tx, { reservationNumbers: [m.number] }),
            );
            moved.push({
              reservationNumber: person.number,
              nameKanji: person.name_kanji,
              fromStartsAt: person.starts_at.toISOString(),
              toSlotId: target.id,
              toStartsAt: view.slot.startsAt,
            });
            return;
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            reason = error.code;
            // Full: the next nearest slot may have room. Any other answer (a dose rule, the
            // booking gone meanwhile) is about the person, and the same in every slot of the day.
            if (error.code === 'slot-full') full.add(target.id);
            else break;
          }
        }
        notMoved.push({
          reservationNumber: person.number,
          nameKanji: person.name_kanji,
          fromStartsAt: person.starts_at.toISOString(),
          reason,
        });
      }

      async function cancelOne(person: Awaited<ReturnType<ScheduleRepository['people']>>[number]) {
        try {
          const result = await deps.reservations.cancelForStaff(actor, { number: person.number, fromSlotIds: [...ids] }, (tx, numbers) =>
            deps.notices.closed(tx, { reservationNumbers: numbers }),
          );
          cancelled.push({
            reservationNumber: person.number,
            nameKanji: person.name_kanji,
            fromStartsAt: person.starts_at.toISOString(),
            alsoCancelled: result.alsoCancelled,
          });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          notMoved.push({
            reservationNumber: person.number,
            nameKanji: person.name_kanji,
            fromStartsAt: person.starts_at.toISOString(),
            reason: error.code,
          });
        }
      }

      // A second look finds anyone whose booking committed while the slots were closing.
      for (let pass = 0; pass < 2; pass++) {
        const people = (await repo.people(db, [...ids])).filter((p) => !done.has(p.number));
        if (people.length === 0) break;
        for (const person of people) {
          done.add(person.number);
          await (request.action === 'move' ? moveOne(person) : cancelOne(person));
        }
      }
      return {
        closedSlotIds: [...ids],
        moved,
        notMoved,
        cancelled,
      };
    },

    /**
     * Undoes a closing (all closed slots of the day, or slotIds): they take bookings again until
     * their window's own end. Slots that have started stay closed; the people moved or cancelled
     * stay where they are. Reopening an open slot changes nothing, so a second press is harmless.
     */
    async reopen(code: string, venueId: number, date: IsoDate, request: { slotIds?: number[] }, by: StaffBy) {
      const { slots } = await deps.day.slotsOfDay(code, venueId, date);
      const chosen = request.slotIds === undefined ? slots : slots.filter((s) => request.slotIds!.includes(s.id));
      if (chosen.length === 0 || (request.slotIds !== undefined && chosen.length !== new Set(request.slotIds).size)) {
        throw new AppError('slot-not-found');
      }
      const closed = chosen.filter((s) => s.closed_at !== null).map((s) => s.id);
      const reopened = await inTransaction(db, async (tx) => {
        const ids = await repo.reopenSlots(tx, closed, clock.now());
        if (ids.length > 0) {
          await deps.audit.record(
            {
              actorKind: 'staff',
              actorId: String(by.accountId),
              action: 'schedule.reopen',
              subjectResidentId: null,
              municipalityCode: code,
              ip: by.ip,
              detail: { venueId, date, slotIds: ids },
            },
            tx,
          );
        }
        return ids;
      });
      const started = closed.filter((id) => !reopened.includes(id));
      return { reopenedSlotIds: reopened, stillClosedSlotIds: started };
    },
  };
}

export type SlotClosing = ReturnType<typeof createSlotClosing>;
