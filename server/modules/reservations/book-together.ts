import { localDate } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import { inTransaction, pgConstraint, pgErrorCode } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { MunicipalitiesRepository, Municipality } from '../municipalities/index.js';
import type { ResidentsRepository } from '../residents/index.js';
import { isInsideBookingWindow } from '../venues/index.js';
import { recordedActor, type Actor } from './actor.js';
import { doseHistoryOf } from './dose-history.js';
import { decideDose, type DoseEntry } from './dose-rules.js';
import type { ReservationsNotifier } from './notifier-port.js';
import { generateReservationNumber } from './reservation-number.js';
import { reservationsRepository as repo, type Executor } from './reservations.repository.js';
import { toReservationView, type ReservationView } from './reservation.view.js';

/** A couple, a parent with grown children: more than this is a group the call centre books. */
export const MAX_TOGETHER = 6;

export interface BookTogetherDeps {
  db: Db;
  clock: Clock;
  municipalities: MunicipalitiesRepository;
  residents: ResidentsRepository;
  /** Told once the bookings committed: their confirmations are owed by their ledger events. */
  notifier?: ReservationsNotifier;
}

const isNumberCollision = (error: unknown) => pgErrorCode(error) === '23505' && pgConstraint(error) === 'reservations_number_key';

function translateConstraint(error: unknown): never {
  if (pgErrorCode(error) === '23505' && pgConstraint(error) === 'reservations_one_active_per_dose') throw new AppError('already-booked');
  if (pgErrorCode(error) === '23514' && pgConstraint(error) === 'slots_not_overbooked') throw new AppError('slot-full');
  throw error;
}

/**
 * Booking several people of one account (the holder and family members) into the same slot:
 * a couple who come together. All get a place or none does: every person's dose is decided
 * first, then one transaction takes one place per person with the repository's one-statement
 * insert, and a full slot for any of them rolls back all of them. Reuses the single booking's
 * repository functions; the second dose is not scheduled automatically here (each person books
 * it from their page, where their own interval applies).
 */
export function createBookTogether(deps: BookTogetherDeps) {
  const { db, clock } = deps;

  async function doseHistory(residentId: number, timeZone: string, executor: Executor): Promise<DoseEntry[]> {
    const [received, booked] = await Promise.all([
      deps.residents.doseRecords([residentId], executor),
      repo.activeBookings(executor, [residentId]),
    ]);
    return doseHistoryOf(received, booked, timeZone);
  }

  function decide(
    person: { birth_date: string; eligible: boolean },
    history: DoseEntry[],
    slot: { starts_at: Date; vaccine: string },
    municipality: Municipality,
  ) {
    const decision = decideDose(
      {
        birthDate: person.birth_date,
        eligible: person.eligible,
        history,
        slotDate: localDate(slot.starts_at, municipality.timeZone),
        vaccine: slot.vaccine,
      },
      municipality.policy,
    );
    // Which person the rule stopped is told (their id, never another's details): the page names them.
    if (!decision.ok) throw new AppError(decision.code, decision.details);
    return decision.dose;
  }

  return async function bookTogether(actor: Actor, input: { residentIds: number[]; slotId: number }): Promise<ReservationView[]> {
    const ids = [...new Set(input.residentIds)].sort((a, b) => a - b);
    if (ids.length !== input.residentIds.length)
      throw new AppError('invalid-request', { errors: [{ field: 'residentIds', rule: 'uniqueItems' }] });
    const contexts = await repo.bookingContexts(
      db,
      ids.map((residentId) => ({ residentId, accountId: actor.kind === 'resident' ? actor.accountId : null, slotId: input.slotId })),
    );
    const people = contexts.map(({ resident }) => {
      const mayAct =
        resident !== undefined &&
        resident.municipality_code === actor.municipalityCode &&
        (actor.kind !== 'resident' || actor.accountId === resident.id || resident.is_family);
      if (!mayAct) throw new AppError('forbidden');
      return resident;
    });
    const slot = contexts[0]?.slot;
    if (!slot || slot.municipality_code !== actor.municipalityCode) throw new AppError('slot-not-found');
    if (!isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, clock.now())) throw new AppError('slot-not-open');
    const municipality = await deps.municipalities.find(actor.municipalityCode);
    if (!municipality) throw new AppError('municipality-not-found');
    // Told before anything is written: who of them cannot have this slot, and why.
    for (const person of people) {
      try {
        decide(person, doseHistoryOf(person.doses, person.bookings, municipality.timeZone), slot, municipality);
      } catch (error) {
        if (error instanceof AppError) throw new AppError(error.code, { ...error.details, residentId: person.id });
        throw error;
      }
    }

    const booked = await inTransaction(
      db,
      async (tx) => {
        // People in id order, then every slot in id order: two such bookings never wait on each other in a circle.
        for (const person of people) await repo.lockResident(tx, person.id);
        const holds = [];
        for (const person of people) {
          const hold = person.hold ? await repo.deleteHoldOf(tx, person.id) : undefined;
          if (hold) holds.push(hold);
        }
        await repo.lockSlots(tx, [slot.id, ...holds.map((h) => h.slot_id)]);
        // Their holds are given back first (one on this slot too): then each takes a place like anyone.
        for (const hold of holds) await repo.releasePlaces(tx, hold.slot_id);
        const now = clock.now();
        let swept = false;
        const rows = [];
        for (const person of people) {
          const dose = decide(person, await doseHistory(person.id, municipality.timeZone, tx), slot, municipality);
          const who = recordedActor(actor, person.id);
          const values = {
            number: generateReservationNumber(),
            residentId: person.id,
            slotId: slot.id,
            dose,
            vaccine: slot.vaccine,
            madeBy: who.kind,
            madeByResidentId: who.residentId,
            autoScheduled: false,
          };
          let row = await repo.insertReservation(tx, values, { takePlace: true });
          if (!row && !swept) {
            swept = true;
            if ((await repo.releaseExpiredHolds(tx, now, slot.id)) > 0) row = await repo.insertReservation(tx, values, { takePlace: true });
          }
          // One of them has no room: the transaction rolls back the places the others took.
          if (!row) throw new AppError('slot-full', { people: people.length });
          rows.push(row.number);
        }
        return rows;
      },
      { retryOn: isNumberCollision },
    ).catch(translateConstraint);
    deps.notifier?.committed();

    const ledger = await repo.ledgerQuery(db).where('reservations.number', 'in', booked).execute();
    const byNumber = new Map(ledger.map((row) => [row.number, row]));
    return booked.map((number) => toReservationView(byNumber.get(number)!, municipality));
  };
}

export type BookTogether = ReturnType<typeof createBookTogether>;
