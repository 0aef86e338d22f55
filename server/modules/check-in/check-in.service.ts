import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { inTransaction, pgConstraint, pgErrorCode } from '../../db/transaction.js';
import { isIsoDate, localDate } from '../../../shared/dates.js';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import type { MunicipalitiesRepository, Municipality } from '../municipalities/index.js';
import { normaliseReservationNumber } from '../reservations/index.js';
import type { CheckInRepository, CheckInStatus, DayRow, MarkTarget } from './check-in.repository.js';
import { matchesDaySearch, readDaySearch } from './day-search.js';
import { dayFigures } from './no-show-rate.js';

/** The staff member at the venue: their account, their address, the municipality they work in. */
export interface VenueStaff {
  accountId: number;
  ip: string;
  municipalityCode: string;
}

/** What a mark answers: the reservation's state after it, the same however often it is sent. */
export interface MarkAnswer {
  number: string;
  status: CheckInStatus;
  residentId: number;
  dose: number;
  /** The dose recorded at this reservation (attended only). */
  lotNumber: string | null;
  administeredOn: string | null;
}

/** Lot numbers are printed as letters and digits (FF2153, 3004215-A); phones may type them full width. */
const LOT_NUMBER = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

const invalid = (field: string, rule: string) => new AppError('invalid-request', { errors: [{ field, rule }] });

/**
 * On the day at a venue: the day's list (searchable), and marking each person attended (the dose
 * recorded in their history in the same transaction), no-show, or back to booked after a wrong tap.
 * Marks are idempotent: the second of two taps, or the loser of a race, gets the same answer and
 * changes nothing. The place stays taken whatever the mark: the slot was used.
 */
export function createCheckInService(deps: {
  db: Db;
  repository: CheckInRepository;
  municipalities: MunicipalitiesRepository;
  audit: AuditLog;
  clock: Clock;
}) {
  const { repository: repo, audit } = deps;

  async function municipalityOf(code: string): Promise<Municipality> {
    const found = await deps.municipalities.find(code);
    if (!found) throw new AppError('municipality-not-found');
    return found;
  }

  const vaccineOf = (municipality: Municipality, code: string) => {
    const rule = municipality.policy.vaccines[code];
    return { code, nameJa: rule?.nameJa ?? code, nameEn: rule?.nameEn ?? code };
  };

  const entryOf = (municipality: Municipality, row: DayRow) => ({
    number: row.number,
    startsAt: row.startsAt.toISOString(),
    time: new Intl.DateTimeFormat('en-GB', {
      timeZone: municipality.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(row.startsAt),
    residentId: row.residentId,
    name: row.nameKanji,
    nameKana: row.nameKana,
    birthDate: row.birthDate,
    voucherNumber: row.voucherNumber,
    dose: row.dose,
    vaccine: vaccineOf(municipality, row.vaccine),
    status: row.status,
    lotNumber: row.lotNumber,
  });

  function lotNumberOf(typed: string): string {
    const lot = typed
      .normalize('NFKC')
      .trim()
      .toUpperCase()
      .replace(/[‐－ー−]/g, '-');
    if (!LOT_NUMBER.test(lot)) throw invalid('lotNumber', 'pattern');
    return lot;
  }

  function numberOf(typed: string): string {
    const number = normaliseReservationNumber(typed);
    // A number that cannot be one is not found, exactly as one of another municipality.
    if (!number) throw new AppError('reservation-not-found');
    return number;
  }

  type Change = { status: CheckInStatus; lotNumber: string | null };

  const answerOf = (target: MarkTarget, status: CheckInStatus, lotNumber: string | null, number: string): MarkAnswer => ({
    number,
    status,
    residentId: target.residentId,
    dose: target.dose,
    lotNumber: status === 'attended' ? lotNumber : null,
    administeredOn: status === 'attended' ? target.localDate : null,
  });

  /**
   * One mark in one transaction: the person's lock first (marks of one person queue there), the
   * reservation read again under it, then `change` decides and writes. The audit row is written in
   * the same transaction when something changed.
   */
  async function mark(
    by: VenueStaff,
    typedNumber: string,
    action: 'check-in.attended' | 'check-in.no-show' | 'check-in.undo',
    change: (tx: Transaction<Database>, target: MarkTarget, today: string) => Promise<Change | 'unchanged'>,
  ): Promise<MarkAnswer> {
    const number = numberOf(typedNumber);
    const municipality = await municipalityOf(by.municipalityCode);
    const found = await repo.target(deps.db, by.municipalityCode, municipality.timeZone, number);
    if (!found) throw new AppError('reservation-not-found');
    try {
      return await inTransaction(deps.db, async (tx) => {
        await repo.lockResident(tx, found.residentId);
        const target = (await repo.target(tx, by.municipalityCode, municipality.timeZone, number))!;
        if (target.status === 'cancelled') throw new AppError('reservation-not-active');
        const today = localDate(deps.clock.now(), municipality.timeZone);
        const result = await change(tx, target, today);
        if (result === 'unchanged') {
          return answerOf(target, target.status as CheckInStatus, await repo.lotNumberOf(tx, target.id), number);
        }
        await audit.record(
          {
            actorKind: 'staff',
            actorId: String(by.accountId),
            action,
            subjectResidentId: target.residentId,
            municipalityCode: by.municipalityCode,
            ip: by.ip,
            detail: { reservationId: target.id, dose: target.dose, venueId: target.venueId, from: target.status, to: result.status },
          },
          tx,
        );
        return answerOf(target, result.status, result.lotNumber, number);
      });
    } catch (error) {
      // Undoing a no-show of someone who has booked that dose again since: one active booking per dose.
      if (pgErrorCode(error) === '23505' && pgConstraint(error) === 'reservations_one_active_per_dose') {
        throw new AppError('already-booked');
      }
      throw error;
    }
  }

  const notBefore = (target: MarkTarget, today: string) => {
    if (target.localDate > today) throw new AppError('check-in-too-early');
  };

  return {
    /**
     * The day's list at one venue (the municipality's local day; today by default), by time, with
     * the day's figures over everyone booked that day, and narrowed to what `q` finds. Audited: it
     * names people.
     */
    async day(by: VenueStaff, query: { venueId: number; date?: string; q?: string }) {
      const municipality = await municipalityOf(by.municipalityCode);
      const date = query.date ?? localDate(deps.clock.now(), municipality.timeZone);
      if (!isIsoDate(date)) throw invalid('date', 'date');
      const venue = await repo.venue(by.municipalityCode, query.venueId);
      if (!venue) throw new AppError('not-found');
      const rows = await repo.day(venue.id, date, municipality.timeZone);
      const search = readDaySearch(query.q ?? '');
      const shown = search ? rows.filter((row) => matchesDaySearch(row, search)) : rows;
      await audit.record({
        actorKind: 'staff',
        actorId: String(by.accountId),
        action: 'check-in.view',
        subjectResidentId: shown.length === 1 ? shown[0]!.residentId : null,
        municipalityCode: by.municipalityCode,
        ip: by.ip,
        // The kind of search, never what was typed; the people shown, by id.
        detail: { venueId: venue.id, date, by: search?.by ?? null, found: shown.length, residentIds: shown.map((r) => r.residentId) },
      });
      return {
        venue: { id: venue.id, nameJa: venue.name_ja, nameEn: venue.name_en },
        date,
        timeZone: municipality.timeZone,
        figures: dayFigures(rows, deps.clock.now()),
        search: search ? search.by : null,
        entries: shown.map((row) => entryOf(municipality, row)),
      };
    },

    /** Attended: the reservation marked and the dose written into the person's history, together. */
    async attended(by: VenueStaff, input: { number: string; lotNumber: string }) {
      const lotNumber = lotNumberOf(input.lotNumber);
      return mark(by, input.number, 'check-in.attended', async (tx, target, today) => {
        if (target.status === 'attended') return 'unchanged';
        notBefore(target, today);
        await repo.setStatus(tx, target.id, ['booked', 'no_show'], 'attended');
        await repo.addEvent(tx, target.id, 'attended', by.accountId);
        const recorded = await repo.recordDose(tx, {
          residentId: target.residentId,
          dose: target.dose,
          administeredOn: target.localDate,
          vaccine: target.vaccine,
          lotNumber,
          venueId: target.venueId,
          staffAccountId: by.accountId,
          reservationId: target.id,
        });
        // Rolls the mark back with it: the history already says this dose was given.
        if (!recorded) throw new AppError('dose-already-recorded');
        return { status: 'attended', lotNumber };
      });
    },

    /** No-show: the place stays counted (the slot was used); an attended person is undone first. */
    async noShow(by: VenueStaff, input: { number: string }) {
      return mark(by, input.number, 'check-in.no-show', async (tx, target, today) => {
        if (target.status === 'no_show') return 'unchanged';
        if (target.status === 'attended') throw new AppError('reservation-not-active');
        notBefore(target, today);
        await repo.setStatus(tx, target.id, ['booked'], 'no_show');
        await repo.addEvent(tx, target.id, 'no_show', by.accountId);
        return { status: 'no_show', lotNumber: null };
      });
    },

    /** A wrong tap taken back, on the day only: booked again, and an attended dose removed from the history. */
    async undo(by: VenueStaff, input: { number: string }) {
      return mark(by, input.number, 'check-in.undo', async (tx, target, today) => {
        if (target.status === 'booked') return 'unchanged';
        if (target.localDate !== today) throw new AppError('check-in-undo-too-late');
        await repo.setStatus(tx, target.id, ['attended', 'no_show'], 'booked');
        await repo.removeDose(tx, target.id);
        await repo.addEvent(tx, target.id, 'check-in-undone', by.accountId);
        return { status: 'booked', lotNumber: null };
      });
    },
  };
}

export type CheckInService = ReturnType<typeof createCheckInService>;
