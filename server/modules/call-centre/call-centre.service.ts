import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { addDays, isIsoDate, zonedTimeToUtc } from '../../../shared/dates.js';
import { AppError } from '../../platform/errors.js';
import type { AttemptGuard } from '../../platform/rate-limit/attempt-guard.js';
import type { AuditLog } from '../audit/index.js';
import { normalisePhone, phoneRegionOf } from '../auth/index.js';
import type { MunicipalitiesRepository } from '../municipalities/index.js';
import type { VenuesService } from '../venues/index.js';
import { normaliseReservationNumber, type Actor, type ReservationsService, type ReservationView } from '../reservations/index.js';
import { normaliseKana, normaliseVoucherNumber, isVoucherNumber } from '../residents/index.js';
import type { CallCentreRepository, CallerCriteria, CallerMatch } from './call-centre.repository.js';
import { readBack } from './read-back.js';
import { scriptsOf, type ScriptLines } from './scripts.js';
import { parseSpokenBirthDate } from './spoken-birth-date.js';
import { checkPostcardFont, renderPostcards, type PostcardBooking, type PostcardLanguage } from './postcard.js';

/** Rows read at a time for a batch of postcards. */
const POSTCARD_PAGE = 200;

/** The operator at the console: their account, their address, the municipality they are working in. */
export interface Operator {
  accountId: number;
  ip: string;
  municipalityCode: string;
}

export interface CallCentreLimits {
  /** Searches and views of a resident per operator account per window (LIMIT_OPERATOR_LOOKUPS_PER_ACCOUNT). */
  lookupsPerAccount: number;
  /** Bookings, changes, cancellations and notes per operator account per window (LIMIT_OPERATOR_CHANGES_PER_ACCOUNT). */
  changesPerAccount: number;
}

export interface CallerQuery {
  kana?: string;
  birthDate?: string;
  voucherNumber?: string;
  reservationNumber?: string;
  phone?: string;
}

/** Most people one search lists: a caller is picked from a short list, never browsed. */
const MAX_RESULTS = 20;
/** A kana prefix shorter than this (サ) would list half a ward. */
const MIN_PREFIX = 2;
const KATAKANA_KEY = /^[\u30a1-\u30fa\u30fd\u30fe]+$/;

const invalid = (field: string, rule: string) => new AppError('invalid-request', { errors: [{ field, rule }] });

/**
 * The call centre: operators find a caller, confirm who they are, book, change and cancel for
 * them with the web's own use cases (reservations), and keep notes. Operators are not residents:
 * none of the residents' lock-outs (per voucher, per address, per account) applies to them; each
 * operator account has its own counters instead, and every search, view and change is audited.
 */
export function createCallCentreService(deps: {
  db: Db;
  repository: CallCentreRepository;
  reservations: ReservationsService;
  venues: VenuesService;
  municipalities: MunicipalitiesRepository;
  attempts: AttemptGuard;
  audit: AuditLog;
  limits: CallCentreLimits;
  /** The Japanese font file the postcards embed (POSTCARD_FONT). */
  postcardFont: string;
  /** PUBLIC_URL: the postcards' QR code leads to the booking page there. */
  publicUrl: string;
}) {
  const { repository: repo, audit } = deps;

  const lookup = (operator: Operator) =>
    deps.attempts.consume([{ key: `operator:lookups:${operator.accountId}`, max: deps.limits.lookupsPerAccount }]);
  const change = (operator: Operator) =>
    deps.attempts.consume([{ key: `operator:changes:${operator.accountId}`, max: deps.limits.changesPerAccount }]);

  const actorOf = (operator: Operator): Actor & { kind: 'operator' } => ({
    kind: 'operator',
    userId: String(operator.accountId),
    municipalityCode: operator.municipalityCode,
  });

  const record = (operator: Operator, action: string, subjectResidentId: number | null, detail: Record<string, unknown>) =>
    audit.record({
      actorKind: 'staff',
      actorId: String(operator.accountId),
      action,
      subjectResidentId,
      municipalityCode: operator.municipalityCode,
      ip: operator.ip,
      detail,
    });

  async function criteriaOf(operator: Operator, query: CallerQuery): Promise<CallerCriteria> {
    const criteria: CallerCriteria = {};
    if (query.birthDate !== undefined && query.birthDate.trim() !== '') {
      criteria.birthDate = parseSpokenBirthDate(query.birthDate);
      if (!criteria.birthDate) throw invalid('birthDate', 'date');
    }
    if (query.voucherNumber !== undefined && query.voucherNumber.trim() !== '') {
      const voucher = normaliseVoucherNumber(query.voucherNumber);
      if (!isVoucherNumber(voucher)) throw invalid('voucherNumber', 'pattern');
      criteria.voucherNumber = voucher;
    }
    if (query.phone !== undefined && query.phone.trim() !== '') {
      const municipality = await deps.municipalities.find(operator.municipalityCode);
      const phone = normalisePhone(query.phone, phoneRegionOf(municipality?.timeZone ?? 'Asia/Tokyo'));
      if (!phone) throw invalid('phone', 'phone');
      criteria.phone = phone;
    }
    if (query.kana !== undefined && query.kana.trim() !== '') {
      const key = normaliseKana(query.kana);
      if (!KATAKANA_KEY.test(key)) throw invalid('kana', 'kana');
      const narrowed = criteria.birthDate !== undefined || criteria.voucherNumber !== undefined || criteria.phone !== undefined;
      // Any part of the name among the few born that day; the start of the name otherwise (the family name).
      if (!narrowed && key.length < MIN_PREFIX) throw invalid('kana', 'minLength');
      criteria.kana = { key, match: narrowed ? 'contains' : 'prefix' };
    }
    return criteria;
  }

  return {
    /**
     * Finds the caller: by reservation number alone, or by any of kana name, birth date (as
     * callers say it), voucher number and phone number together. Minimal answers (kana and birth
     * date); the confirmation details come from `view`. Audited with the kinds of criteria and the
     * ids found, never what was typed.
     */
    async search(operator: Operator, query: CallerQuery): Promise<{ results: CallerMatch[]; more: boolean }> {
      await lookup(operator);
      let results: CallerMatch[];
      const by = Object.entries(query)
        .filter(([, value]) => typeof value === 'string' && value.trim() !== '')
        .map(([key]) => key)
        .sort();
      if (query.reservationNumber !== undefined && query.reservationNumber.trim() !== '') {
        if (by.length > 1) throw invalid('reservationNumber', 'alone');
        const number = normaliseReservationNumber(query.reservationNumber);
        if (!number) throw invalid('reservationNumber', 'pattern');
        const found = await repo.residentOfReservation(operator.municipalityCode, number);
        results = found ? [found] : [];
      } else {
        const criteria = await criteriaOf(operator, query);
        if (Object.keys(criteria).length === 0) throw invalid('kana', 'required');
        results = await repo.search(operator.municipalityCode, criteria, MAX_RESULTS + 1);
      }
      const more = results.length > MAX_RESULTS;
      results = results.slice(0, MAX_RESULTS);
      await record(operator, 'call-centre.search', null, {
        by,
        found: results.length,
        more,
        residentIds: results.map((r) => r.residentId),
      });
      return { results, more };
    },

    /** Who was found, to confirm with the caller before anything changes; with family, bookings and notes. */
    async view(operator: Operator, residentId: number) {
      await lookup(operator);
      const person = await repo.person(operator.municipalityCode, residentId);
      if (!person) throw new AppError('resident-not-found');
      const family = await repo.family(person.id);
      const [reservations, notes] = await Promise.all([
        deps.reservations.ofResidents(actorOf(operator), [person.id, ...family.map((f) => f.id)]),
        repo.notes(person.id),
      ]);
      await record(operator, 'call-centre.view', person.id, { family: family.map((f) => f.id) });
      return {
        person: {
          residentId: person.id,
          name: person.name_kanji,
          nameKana: person.name_kana,
          birthDate: person.birth_date,
          address: person.address,
          phone: person.phone,
          voucherNumber: person.voucher_number,
        },
        family: family.map((f) => ({ residentId: f.id, name: f.name_kanji, nameKana: f.name_kana, birthDate: f.birth_date })),
        reservations: reservations.map(withReadBack),
        notes: notes.map((n) => ({
          id: n.id,
          body: n.body,
          at: n.created_at.toISOString(),
          by: { accountId: n.staff_account_id, name: n.display_name },
        })),
      };
    },

    /**
     * Books the next dose the person is due, with the web's rules. A person who holds a booking
     * already is not booked again unless the operator says the caller wants it (`acknowledgeExisting`):
     * the answer `existing-booking` lists what they hold, for the operator to read out.
     */
    async book(operator: Operator, input: { residentId: number; slotId: number; acknowledgeExisting?: boolean }) {
      await change(operator);
      const person = await repo.person(operator.municipalityCode, input.residentId);
      if (!person) throw new AppError('resident-not-found');
      const actor = actorOf(operator);
      if (!input.acknowledgeExisting) {
        const held = (await deps.reservations.ofResidents(actor, [person.id])).filter((r) => r.status === 'booked');
        if (held.length > 0) {
          throw new AppError('existing-booking', {
            existing: held.map((r) => ({ number: r.number, dose: r.dose, startsAt: r.slot.startsAt, venue: r.venue.nameJa })),
          });
        }
      }
      const booked = await deps.reservations.book(actor, { residentId: person.id, slotId: input.slotId });
      // The operator is written with the booking, in its statement (Actor → made_by_staff_account_id).
      const numbers = [booked.number, ...(booked.followUp ? [booked.followUp.number] : [])];
      await record(operator, 'call-centre.book', person.id, { numbers, slotId: input.slotId, dose: booked.dose });
      return withReadBack(booked);
    },

    /** A venue's slots with both parts, the telephone's and the web's, for booking on the phone. */
    async slots(operator: Operator, input: { venueId: number; from: string; to: string }) {
      const valid = isIsoDate(input.from) && isIsoDate(input.to) && input.from <= input.to && addDays(input.from, 31) >= input.to;
      if (!valid) throw invalid('querystring.to', 'range');
      return deps.venues.listStaffSlots(operator.municipalityCode, input.venueId, input.from, input.to);
    },

    async change(operator: Operator, input: { number: string; slotId: number }) {
      await change(operator);
      const number = normaliseReservationNumber(input.number);
      if (!number) throw new AppError('reservation-not-found');
      const changed = await deps.reservations.change(actorOf(operator), { number, slotId: input.slotId });
      await record(operator, 'call-centre.change', changed.residentId, { number, slotId: input.slotId });
      return withReadBack(changed);
    },

    async cancel(operator: Operator, input: { number: string }) {
      await change(operator);
      const number = normaliseReservationNumber(input.number);
      if (!number) throw new AppError('reservation-not-found');
      const cancelled = await deps.reservations.cancel(actorOf(operator), { number });
      await record(operator, 'call-centre.cancel', cancelled.residentId, { number, alsoCancelled: cancelled.alsoCancelled });
      return { ...withReadBack(cancelled), alsoCancelled: cancelled.alsoCancelled };
    },

    /** A short note on the call, on the person's record, for the next operator; written with its audit entry. */
    async addNote(operator: Operator, input: { residentId: number; body: string }) {
      await change(operator);
      const body = input.body.trim();
      if (body.length === 0) throw invalid('body', 'minLength');
      const person = await repo.person(operator.municipalityCode, input.residentId);
      if (!person) throw new AppError('resident-not-found');
      const note = await inTransaction(deps.db, async (tx) => {
        const row = await repo.insertNote(tx, {
          municipalityCode: operator.municipalityCode,
          residentId: person.id,
          staffAccountId: operator.accountId,
          body,
        });
        await audit.record(
          {
            actorKind: 'staff',
            actorId: String(operator.accountId),
            action: 'call-centre.note',
            subjectResidentId: person.id,
            municipalityCode: operator.municipalityCode,
            ip: operator.ip,
            detail: { noteId: row.id },
          },
          tx,
        );
        return row;
      });
      return { id: note.id, body, at: note.created_at.toISOString(), by: { accountId: operator.accountId } };
    },

    /**
     * Confirmation postcards as a PDF stream: of one booking (`number`), or of every booking an
     * operator made on a day (`madeOn`, the municipality's local date). One audit entry per PDF.
     * The rows are read in pages while the PDF is written, so a batch of any size keeps memory flat.
     */
    async postcards(
      operator: Operator,
      input: ({ number: string } | { madeOn: string }) & { language: PostcardLanguage },
    ): Promise<PDFKit.PDFDocument> {
      await lookup(operator);
      try {
        checkPostcardFont(deps.postcardFont);
      } catch {
        // The server logged the font's absence at start (app.ts); the operator gets a clear 503.
        throw new AppError('unavailable', { reason: 'postcard-font-missing' });
      }
      const municipality = await deps.municipalities.find(operator.municipalityCode);
      if (!municipality) throw new AppError('municipality-not-found');
      let which: { number: string } | { madeFrom: Date; madeTo: Date };
      if ('number' in input) {
        const number = normaliseReservationNumber(input.number);
        if (!number) throw new AppError('reservation-not-found');
        which = { number };
      } else {
        which = {
          madeFrom: zonedTimeToUtc(input.madeOn, '00:00', municipality.timeZone),
          madeTo: zonedTimeToUtc(addDays(input.madeOn, 1), '00:00', municipality.timeZone),
        };
      }
      const first = await repo.postcardBookings(operator.municipalityCode, which, { afterId: 0, limit: POSTCARD_PAGE });
      if ('number' in which && first.length === 0) throw new AppError('reservation-not-found');
      await record(operator, 'call-centre.postcard', 'number' in which ? first[0]!.resident_id : null, {
        ...('number' in which ? { number: which.number } : { madeOn: (input as { madeOn: string }).madeOn }),
        language: input.language,
      });
      const toCard = (row: (typeof first)[number]): PostcardBooking => {
        const vaccine = municipality.policy.vaccines[row.vaccine];
        return {
          number: row.number,
          name: row.name_kanji,
          address: row.address,
          dose: row.dose_number,
          vaccine: { nameJa: vaccine?.nameJa ?? row.vaccine, nameEn: vaccine?.nameEn ?? row.vaccine },
          startsAt: row.starts_at,
          durationMinutes: row.duration_minutes,
          venue: { nameJa: row.venue_name_ja, nameEn: row.venue_name_en, address: row.venue_address },
        };
      };
      async function* cards() {
        let page = first;
        while (page.length > 0) {
          for (const row of page) yield toCard(row);
          if (page.length < POSTCARD_PAGE) return;
          page = await repo.postcardBookings(operator.municipalityCode, which, { afterId: page.at(-1)!.id, limit: POSTCARD_PAGE });
        }
      }
      return renderPostcards(cards(), {
        language: input.language,
        fontPath: deps.postcardFont,
        sender: {
          nameJa: municipality.nameJa,
          nameEn: municipality.nameEn,
          timeZone: municipality.timeZone,
          callCentrePhone: municipality.callCentrePhone,
          bookingUrl: `${deps.publicUrl.replace(/\/$/, '')}/`,
        },
      });
    },

    async scripts(municipalityCode: string): Promise<ScriptLines> {
      return scriptsOf((await repo.scripts(municipalityCode))?.screens);
    },

    async setScripts(operator: Operator, screens: ScriptLines): Promise<ScriptLines> {
      await inTransaction(deps.db, async (tx) => {
        await repo.saveScripts(tx, operator.municipalityCode, screens, operator.accountId);
        await audit.record(
          {
            actorKind: 'staff',
            actorId: String(operator.accountId),
            action: 'call-centre.scripts-update',
            subjectResidentId: null,
            municipalityCode: operator.municipalityCode,
            ip: operator.ip,
            detail: { screens: Object.keys(screens) },
          },
          tx,
        );
      });
      return scriptsOf(screens);
    },
  };
}

function withReadBack<T extends ReservationView>(reservation: T) {
  return { ...reservation, readBack: readBack(reservation.number) };
}

export type CallCentreService = ReturnType<typeof createCallCentreService>;
