import type { Transaction } from 'kysely';
import { localDate } from '../../../shared/dates.js';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { inTransaction, pgConstraint, pgErrorCode, withRetries } from '../../db/transaction.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { MunicipalitiesRepository, Municipality } from '../municipalities/index.js';
import type { ResidentsRepository } from '../residents/index.js';
import { isInsideBookingWindow, type VenuesRepository } from '../venues/index.js';
import { recordedActor, type Actor } from './actor.js';
import { doseHistoryOf } from './dose-history.js';
import { decideDose, earliestDateAfter, type DoseEntry } from './dose-rules.js';
import { createContextReader } from './context-reader.js';
import { createGroupedBooking } from './grouped-booking.js';
import type { ReservationsNotifier } from './notifier-port.js';
import { generateReservationNumber } from './reservation-number.js';
import { reservationsRepository as repo, type Executor } from './reservations.repository.js';
import { toReservationView, type ReservationView } from './reservation.view.js';

type Tx = Transaction<Database>;

export interface ReservationsDeps {
  db: Db;
  clock: Clock;
  municipalities: MunicipalitiesRepository;
  venues: VenuesRepository;
  residents: ResidentsRepository;
  /** Messages about bookings (notifications), written in each booking's transaction. */
  notifier?: ReservationsNotifier;
}

const isUniqueViolation = (error: unknown, constraint: string) => pgErrorCode(error) === '23505' && pgConstraint(error) === constraint;

/** A random reservation number that was taken already: a new one is drawn on the next try. */
const isNumberCollision = (error: unknown) => isUniqueViolation(error, 'reservations_number_key');

/**
 * Another hold of the same person went in first. Holds are written under the person's lock, so
 * this is a backstop: the next try sees that hold and replaces it, as a later press does.
 */
const isHoldRace = (error: unknown) => isUniqueViolation(error, 'holds_resident_id_key');

/** Turns database refusals that mean a business answer into that answer. */
function translateConstraint(error: unknown): never {
  if (isUniqueViolation(error, 'reservations_one_active_per_dose')) throw new AppError('already-booked');
  if (pgErrorCode(error) === '23514' && pgConstraint(error) === 'slots_not_overbooked') throw new AppError('slot-full');
  throw error;
}

/**
 * Booking, changing and cancelling. Each use case checks the rules on what it has read, then
 * makes all of its writes in one transaction whose capacity check is done by the database.
 */
export function createReservationsService(deps: ReservationsDeps) {
  const { db, clock } = deps;
  const slotGroups = createGroupedBooking(db, () => clock.now());
  const contexts = createContextReader(db);

  async function assertMayActFor(actor: Actor, residentId: number) {
    const resident = await deps.residents.findById(residentId);
    if (!resident || resident.municipality_code !== actor.municipalityCode) throw new AppError('forbidden');
    if (actor.kind === 'resident' && actor.accountId !== residentId) {
      if (!(await deps.residents.isFamilyMember(actor.accountId, residentId))) throw new AppError('forbidden');
    }
    return resident;
  }

  /**
   * The person of another's reservation or hold, answered exactly as a record that does not exist
   * is (`missing`), so that numbers and ids cannot be probed for existence.
   */
  function assertMayActOn(actor: Actor, residentId: number, missing: 'reservation-not-found' | 'hold-not-found') {
    return assertMayActFor(actor, residentId).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'forbidden' ? new AppError(missing) : error;
    });
  }

  /** The reservation with this number, if the actor may act for its person. */
  async function reservationFor(actor: Actor, number: string) {
    const current = await repo.ledgerQuery(db).where('reservations.number', '=', number).executeTakeFirst();
    if (!current) throw new AppError('reservation-not-found');
    return { current, resident: await assertMayActOn(actor, current.resident_id, 'reservation-not-found') };
  }

  async function bookableSlot(slotId: number, municipalityCode: string, options: { ignoreWindow?: boolean } = {}) {
    const slot = await deps.venues.findSlotWithVenue(slotId);
    if (!slot || slot.municipality_code !== municipalityCode) throw new AppError('slot-not-found');
    const open = isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, clock.now());
    if (!open && !options.ignoreWindow) throw new AppError('slot-not-open');
    // Staff may place people outside the booking window, but never in a closed or past slot.
    if (slot.closed_at !== null || (options.ignoreWindow && slot.starts_at <= clock.now())) throw new AppError('slot-not-open');
    const municipality = await deps.municipalities.find(municipalityCode);
    if (!municipality) throw new AppError('municipality-not-found');
    return { slot, municipality };
  }

  /**
   * Doses received and booked. Inside a transaction (after lockResident) pass it: the bookings are
   * then read as they stand, and through the transaction, since on one connection, or a full pool,
   * a read beside it would wait for it for ever.
   */
  async function doseHistory(residentId: number, timeZone: string, executor: Executor = db): Promise<DoseEntry[]> {
    const [received, booked] = await Promise.all([
      deps.residents.doseRecords([residentId], executor),
      repo.activeBookings(executor, [residentId]),
    ]);
    return doseHistoryOf(received, booked, timeZone);
  }

  function decide(
    resident: { birth_date: string; eligible: boolean },
    history: DoseEntry[],
    slot: { starts_at: Date; vaccine: string },
    municipality: Municipality,
    replacingReservationId?: number,
  ): number {
    const decision = decideDose(
      {
        birthDate: resident.birth_date,
        eligible: resident.eligible,
        history,
        slotDate: localDate(slot.starts_at, municipality.timeZone),
        vaccine: slot.vaccine,
        replacingReservationId,
      },
      municipality.policy,
    );
    if (!decision.ok) throw new AppError(decision.code, decision.details);
    return decision.dose;
  }

  /**
   * Takes a place in the slot for the resident: their own live hold on it becomes the place;
   * a hold elsewhere is given back. `otherSlots` are the slots the caller writes besides (a
   * change's old slot): every slot is locked here, in id order, before any is written.
   * Expired holds on a full slot are swept once before giving up.
   * Returns the expiry of the person's live hold on this slot when that hold is what was used.
   */
  async function takePlaceFor(tx: Tx, residentId: number, slotId: number, otherSlots: number[] = []): Promise<Date | undefined> {
    const hold = await repo.deleteHoldOf(tx, residentId);
    const kept = hold !== undefined && hold.slot_id === slotId && hold.expires_at > clock.now();
    await repo.lockSlots(tx, [slotId, ...otherSlots, ...(hold ? [hold.slot_id] : [])]);
    if (kept) return hold.expires_at;
    if (hold) await repo.releasePlaces(tx, hold.slot_id);
    if (await repo.takePlace(tx, slotId)) return;
    if ((await repo.releaseExpiredHolds(tx, clock.now(), slotId)) > 0 && (await repo.takePlace(tx, slotId))) return;
    throw new AppError('slot-full');
  }

  /**
   * The slot for dose 2 at the same venue and time of day, the minimum interval later, if there
   * is one. Read before the booking's transaction (slots do not move), so that the transaction
   * can lock both slots in id order before it writes either.
   */
  async function secondDoseSlot(
    slot: { venue_id: number; starts_at: Date; vaccine: string },
    municipality: Municipality,
  ): Promise<number | undefined> {
    const firstDate = localDate(slot.starts_at, municipality.timeZone);
    const secondDate = earliestDateAfter({ dose: 1, date: firstDate, vaccine: slot.vaccine, booked: true }, 2, municipality.policy);
    const days = Math.round((Date.parse(secondDate) - Date.parse(firstDate)) / 86_400_000);
    return (await repo.findSlotAt(db, slot.venue_id, new Date(slot.starts_at.getTime() + days * 86_400_000)))?.id;
  }

  /** Books dose 2 in its slot when it has room (the slot is locked already). */
  async function bookSecondDose(
    tx: Tx,
    slotId: number,
    vaccine: string,
    residentId: number,
    /** Whoever booked dose 1: made by the system, but on their request (kept for the audit trail). */
    requestedBy: number | null,
  ): Promise<string | undefined> {
    const row = await repo.insertReservation(
      tx,
      {
        number: generateReservationNumber(),
        residentId,
        slotId,
        dose: 2,
        vaccine,
        madeBy: 'system',
        madeByResidentId: requestedBy,
        autoScheduled: true,
      },
      { takePlace: true },
    );
    return row?.number;
  }

  async function view(number: string): Promise<ReservationView> {
    const row = await repo.ledgerQuery(db).where('reservations.number', '=', number).executeTakeFirstOrThrow();
    return toReservationView(row, await deps.municipalities.find(row.municipality_code));
  }

  async function move(
    actor: Actor,
    input: { number: string; slotId: number },
    options: {
      ignoreWindow?: boolean;
      /** Only while the booking is still in one of these slots (staff moving people out of a closed slot). */
      fromSlotIds?: number[];
      notice?: (tx: Tx, moved: { number: string; previousStartsAt: Date }) => Promise<void>;
    } = {},
  ) {
    const { current, resident } = await reservationFor(actor, input.number);
    if (current.status !== 'booked') throw new AppError('reservation-not-active');
    if (current.slot_id === input.slotId) return view(input.number);
    const { slot, municipality } = await bookableSlot(input.slotId, resident.municipality_code, { ignoreWindow: options.ignoreWindow });
    await inTransaction(db, async (tx) => {
      // Decided under the person's lock: a booking of their next or previous dose made
      // meanwhile (another tab, a family member) must not be broken by this move.
      await repo.lockResident(tx, resident.id);
      const locked = await repo.lockActive(tx, input.number);
      if (!locked) throw new AppError('reservation-not-active');
      if (locked.slot_id === slot.id) return; // a parallel request moved it there already
      if (options.fromSlotIds && !options.fromSlotIds.includes(locked.slot_id)) throw new AppError('reservation-not-active');
      decide(resident, await doseHistory(resident.id, municipality.timeZone, tx), slot, municipality, current.id);
      // Both slots are locked in id order before either is written: two people swapping
      // places in opposite directions never wait on each other in a circle.
      await takePlaceFor(tx, resident.id, slot.id, [locked.slot_id]);
      await repo.releasePlaces(tx, locked.slot_id);
      await repo.moveReservation(tx, locked, { slotId: slot.id, vaccine: slot.vaccine }, recordedActor(actor, resident.id));
      // The move's ledger event owes a change message; staff closing a slot make it their notice.
      if (options.notice) await options.notice(tx, { number: input.number, previousStartsAt: current.starts_at });
    }).catch(translateConstraint);
    deps.notifier?.committed();
    return view(input.number);
  }

  async function cancel(
    actor: Actor,
    input: { number: string },
    options: { fromSlotIds?: number[]; notice?: (tx: Tx, numbers: string[]) => Promise<void> } = {},
  ) {
    const { notice } = options;
    const { current } = await reservationFor(actor, input.number);
    const alsoCancelled = await inTransaction(db, async (tx) => {
      await repo.lockResident(tx, current.resident_id);
      const locked = await repo.lockActive(tx, input.number);
      if (!locked) throw new AppError('reservation-not-active');
      if (options.fromSlotIds && !options.fromSlotIds.includes(locked.slot_id)) throw new AppError('reservation-not-active');
      // A later dose is booked on the interval after this one (dose 2 after dose 1, often
      // scheduled automatically): without it, that booking breaks the dose rules, so it goes too.
      const later = await repo.lockLaterBookings(tx, locked.resident_id, locked.dose_number);
      const cancelled = [locked, ...later];
      // Slot rows in id order, so two cancellations never wait on each other in a circle; and
      // before the reservations are written, so a parallel booking of the same dose that holds
      // one of these slots meets a booked row and fails at once instead of waiting for us.
      for (const slotId of cancelled.map((r) => r.slot_id).sort((a, b) => a - b)) await repo.releasePlaces(tx, slotId);
      const who = recordedActor(actor, current.resident_id);
      for (const reservation of cancelled) await repo.markCancelled(tx, reservation, who);
      // Each cancellation's ledger event owes its message; staff closing a slot make it their notice.
      if (notice) await notice(tx, [input.number, ...later.map((r) => r.number)]);
      return later.map((r) => r.number);
    });
    deps.notifier?.committed();
    return { ...(await view(input.number)), alsoCancelled };
  }

  return {
    /**
     * Books the next dose the resident is due, in the given slot. The hot path: one read for
     * everything the rules need (shared with the bookings arriving meanwhile), then the statement
     * that takes the place and writes the reservation (shared likewise, grouped-booking.ts).
     */
    async book(actor: Actor, input: { residentId: number; slotId: number }) {
      const context = await contexts.read({
        residentId: input.residentId,
        accountId: actor.kind === 'resident' ? actor.accountId : null,
        slotId: input.slotId,
      });
      const resident = context.resident;
      const mayAct =
        resident !== undefined &&
        resident.municipality_code === actor.municipalityCode &&
        (actor.kind !== 'resident' || actor.accountId === resident.id || resident.is_family);
      if (!mayAct) throw new AppError('forbidden');
      const slot = context.slot;
      if (!slot || slot.municipality_code !== resident.municipality_code) throw new AppError('slot-not-found');
      const now = clock.now();
      if (!isInsideBookingWindow({ opensAt: slot.opens_at, closesAt: slot.closes_at }, now)) throw new AppError('slot-not-open');
      const municipality = await deps.municipalities.find(resident.municipality_code);
      if (!municipality) throw new AppError('municipality-not-found');
      const dose = decide(resident, doseHistoryOf(resident.doses, resident.bookings, municipality.timeZone), slot, municipality);
      const who = recordedActor(actor, resident.id);
      const values = {
        residentId: resident.id,
        slotId: slot.id,
        dose,
        vaccine: slot.vaccine,
        madeBy: who.kind,
        madeByResidentId: who.residentId,
        madeByStaffAccountId: who.staffAccountId,
        autoScheduled: false,
      };
      const secondSlot = dose === 1 && municipality.policy.autoScheduleSecondDose ? await secondDoseSlot(slot, municipality) : undefined;
      // A later dose rests on an earlier booking, which a parallel change or cancel could move:
      // it is booked in a transaction, under the person's lock, with the rules checked again.
      // The confirmation is owed by the booking's ledger event, written by either path's statement.
      const needsTransaction = dose > 1 || resident.hold !== null || secondSlot !== undefined;
      // The common case is one statement (take the place, write the reservation and its event),
      // shared with whoever books the same slot at the same moment (grouped-booking.ts): PostgreSQL
      // runs a lone statement atomically, so BEGIN/COMMIT would only add round trips. A statement
      // shared by several slots locks them in id order, as every statement that locks several
      // slots does, so they never wait on each other in a circle. A full slot with expired holds
      // gets a second chance below, after sweeping them; a person a unique index left out is booked alone.
      const grouped = needsTransaction
        ? undefined
        : await slotGroups
            .book(
              { id: slot.id, vaccine: slot.vaccine },
              {
                residentId: resident.id,
                dose,
                madeBy: who.kind,
                madeByResidentId: who.residentId,
                madeByStaffAccountId: who.staffAccountId,
              },
            )
            .catch(translateConstraint);
      if (grouped?.kind === 'closed') throw new AppError('slot-not-open');
      if (grouped?.kind === 'full' && !grouped.expiredHolds) throw new AppError('slot-full');
      const direct =
        grouped?.kind === 'booked'
          ? grouped.row
          : grouped?.kind === 'alone'
            ? await withRetries(() => repo.insertReservation(db, { ...values, number: generateReservationNumber() }, { takePlace: true }), {
                retryOn: isNumberCollision,
              }).catch(translateConstraint)
            : undefined;
      const { row, followUp } = direct
        ? { row: direct, followUp: undefined }
        : await inTransaction(
            db,
            async (tx) => {
              if (dose > 1) {
                await repo.lockResident(tx, resident.id);
                if (decide(resident, await doseHistory(resident.id, municipality.timeZone, tx), slot, municipality) !== dose)
                  throw new AppError('already-booked');
              }
              // Their own live hold on this slot becomes the place; a hold elsewhere is given back.
              const hold = resident.hold ? await repo.deleteHoldOf(tx, resident.id) : undefined;
              const kept = hold !== undefined && hold.slot_id === slot.id && hold.expires_at > now;
              await repo.lockSlots(tx, [slot.id, ...(hold ? [hold.slot_id] : []), ...(secondSlot ? [secondSlot] : [])]);
              if (hold && !kept) await repo.releasePlaces(tx, hold.slot_id);
              const number = generateReservationNumber();
              let row = await repo.insertReservation(tx, { ...values, number }, { takePlace: !kept });
              if (!row && (await repo.releaseExpiredHolds(tx, now, slot.id)) > 0) {
                row = await repo.insertReservation(tx, { ...values, number }, { takePlace: true });
              }
              if (!row) throw new AppError('slot-full');
              const followUp = secondSlot ? await bookSecondDose(tx, secondSlot, slot.vaccine, resident.id, who.residentId) : undefined;
              return { row, followUp };
            },
            { retryOn: isNumberCollision },
          ).catch(translateConstraint);
      deps.notifier?.committed();
      const booked = toReservationView(
        {
          ...row,
          resident_id: resident.id,
          dose_number: dose,
          vaccine: slot.vaccine,
          status: 'booked',
          made_by_kind: who.kind,
          auto_scheduled: false,
          cancelled_at: null,
          slot_id: slot.id,
          starts_at: slot.starts_at,
          duration_minutes: slot.duration_minutes,
          venue_id: slot.venue_id,
          venue_name_ja: slot.name_ja,
          venue_name_en: slot.name_en,
          venue_address: slot.address,
          venue_map_url: slot.map_url,
          name_kanji: resident.name_kanji,
          birth_date: resident.birth_date,
          municipality_code: resident.municipality_code,
        },
        municipality,
      );
      return { ...booked, followUp: followUp ? await view(followUp) : undefined };
    },

    /** Moves a booking to another slot: the new place is taken and the old one freed together, or neither. */
    change: (actor: Actor, input: { number: string; slotId: number }) => move(actor, input),

    /**
     * Staff move a booking out of a slot they close: the same rules and writes as a change, but
     * the target's booking window does not apply (a closed or past slot still refuses), it moves
     * the booking only while it is still in one of `fromSlotIds` (two closings racing, or the person
     * changing it meanwhile, never move it twice), and `notice` writes the person's message in the
     * move's transaction instead of the usual one.
     */
    moveForStaff: (
      actor: Actor & { kind: 'staff' | 'operator' },
      input: { number: string; slotId: number; fromSlotIds: number[] },
      notice: (tx: Tx, moved: { number: string; previousStartsAt: Date }) => Promise<void>,
    ) => move(actor, input, { ignoreWindow: true, fromSlotIds: input.fromSlotIds, notice }),

    /**
     * Staff cancel a booking of a slot they close; `notice` gets every number cancelled (later doses
     * too). Like the move, only while it is still in one of `fromSlotIds` (not moved meanwhile).
     */
    cancelForStaff: (
      actor: Actor & { kind: 'staff' | 'operator' },
      input: { number: string; fromSlotIds: number[] },
      notice: (tx: Tx, numbers: string[]) => Promise<void>,
    ) => cancel(actor, input, { fromSlotIds: input.fromSlotIds, notice }),

    cancel: (actor: Actor, input: { number: string }) => cancel(actor, input),

    /** Holds one place for a few minutes while the person confirms; one hold per person. */
    async hold(actor: Actor, input: { residentId: number; slotId: number; changing?: string }) {
      const resident = await assertMayActFor(actor, input.residentId);
      const { slot, municipality } = await bookableSlot(input.slotId, resident.municipality_code);
      // Only a place the person could then book: the dose rules are told now, on the times page,
      // not after the confirmation, and nobody holds a place they could never take.
      let replacingId: number | undefined;
      if (input.changing !== undefined) {
        const { current } = await reservationFor(actor, input.changing);
        if (current.resident_id !== resident.id || current.status !== 'booked') throw new AppError('reservation-not-active');
        replacingId = current.id;
      }
      decide(resident, await doseHistory(resident.id, municipality.timeZone), slot, municipality, replacingId);
      const expiresAt = new Date(clock.now().getTime() + municipality.policy.holdMinutes * 60_000);
      const hold = await inTransaction(
        db,
        async (tx) => {
          // One hold per person, and the newest wins: presses in two tabs queue on the person's
          // lock and each replaces the hold before it, as two presses a moment apart do.
          await repo.lockResident(tx, resident.id);
          // Holding the same slot again keeps the first expiry: a hold cannot be renewed for ever.
          const held = await takePlaceFor(tx, resident.id, slot.id);
          return repo.insertHold(tx, resident.id, slot.id, held && held < expiresAt ? held : expiresAt);
        },
        { retryOn: isHoldRace },
      ).catch(translateConstraint);
      return { id: hold.id, slotId: hold.slot_id, residentId: hold.resident_id, expiresAt: hold.expires_at.toISOString() };
    },

    async releaseHold(actor: Actor, holdId: number): Promise<void> {
      const hold = await repo.findHold(db, holdId);
      if (!hold) throw new AppError('hold-not-found');
      await assertMayActOn(actor, hold.resident_id, 'hold-not-found');
      // This hold only: a newer one of the same person (another tab) stays.
      await inTransaction(db, async (tx) => {
        const deleted = await repo.deleteHold(tx, hold.id);
        if (deleted) await repo.releasePlaces(tx, deleted.slot_id);
      });
    },

    /** Every reservation of the account holder and their family, newest slot first. */
    async ledger(actor: Actor & { kind: 'resident' }): Promise<ReservationView[]> {
      const ids = [actor.accountId, ...(await deps.residents.familyMemberIds(actor.accountId))];
      const rows = await repo.ledgerQuery(db).where('reservations.resident_id', 'in', ids).orderBy('slots.starts_at', 'desc').execute();
      const municipality = await deps.municipalities.find(actor.municipalityCode);
      return rows.map((row) => toReservationView(row, municipality));
    },

    /**
     * Every reservation of some residents of the staff member's municipality (the call centre's
     * confirmation screen: the caller and their family), newest slot first.
     */
    async ofResidents(actor: Actor & { kind: 'operator' | 'staff' }, residentIds: number[]): Promise<ReservationView[]> {
      if (residentIds.length === 0) return [];
      const rows = await repo
        .ledgerQuery(db)
        .where('reservations.resident_id', 'in', residentIds)
        .where('residents.municipality_code', '=', actor.municipalityCode)
        .orderBy('slots.starts_at', 'desc')
        .execute();
      const municipality = await deps.municipalities.find(actor.municipalityCode);
      return rows.map((row) => toReservationView(row, municipality));
    },

    /** Read-only look-up by reservation number + birth date (no sign-in). */
    async lookup(input: { number: string; birthDate: string }): Promise<ReservationView> {
      const row = await repo.ledgerQuery(db).where('reservations.number', '=', input.number).executeTakeFirst();
      if (!row || row.birth_date !== input.birthDate) throw new AppError('reservation-not-found');
      return toReservationView(row, await deps.municipalities.find(row.municipality_code));
    },

    /** Gives back the places of holds nobody confirmed; run every few seconds. */
    async releaseExpiredHolds(): Promise<number> {
      return inTransaction(db, (tx) => repo.releaseExpiredHolds(tx, clock.now()));
    },
  };
}

export type ReservationsService = ReturnType<typeof createReservationsService>;
