import type { Db } from '../../db/database.js';
import type { ActorKind } from '../../db/schema.js';
import { pgErrorCode, withRetries } from '../../db/transaction.js';
import { generateReservationNumber } from './reservation-number.js';
import { reservationsRepository as repo } from './reservations.repository.js';

/** One person's booking, already decided by the dose rules, waiting for its slot's next statement. */
export interface GroupedRequest {
  residentId: number;
  dose: number;
  madeBy: ActorKind;
  madeByResidentId: number | null;
  madeByStaffAccountId?: number | null;
}

export type GroupedOutcome =
  | { kind: 'booked'; row: { id: number; number: string; created_at: Date } }
  /** No place was left for this person; `expiredHolds`: a sweep of expired holds may free some. */
  | { kind: 'full'; expiredHolds: boolean }
  /** The slot's booking window was closed when the statement ran. */
  | { kind: 'closed' }
  /** Refused by a unique index (that dose booked meanwhile, a taken number): the caller books them alone. */
  | { kind: 'alone' };

interface Pending extends GroupedRequest {
  resolve(outcome: GroupedOutcome): void;
  reject(error: unknown): void;
}

interface SlotLine {
  running: boolean;
  waiting: Pending[];
}

/** More than this in one statement waits for the next one (bounds a statement's size and latency). */
const MAX_GROUP = 200;

const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';

/**
 * The hot slot. Every booking of one slot takes that slot's row lock, so bookings of one slot go
 * one statement at a time however many connections there are. Here a booking for a slot with no
 * statement in flight goes at once, alone; bookings that arrive while one is in flight wait for it
 * and then go together, in one statement (repository.bookGroup), all of them or none. A quiet slot
 * pays nothing; a hot one takes as many places per lock as people arrived meanwhile. When the
 * slot has too few places for the whole group, its people go one at a time, in arrival order, and
 * once one finds the slot full the rest of that group are told it is full.
 * Per process: several processes each group their own, and the database keeps the count.
 */
export function createGroupedBooking(db: Db, now: () => Date) {
  const lines = new Map<string, SlotLine>();
  /** Statements sent and people they carried: how much grouping there was (tests, metrics). */
  const counts = { statements: 0, people: 0 };

  async function statement(slot: { id: number; vaccine: string }, group: Pending[]) {
    const people = group.map((p) => ({ ...p, number: generateReservationNumber() }));
    counts.statements += 1;
    counts.people += people.length;
    return withRetries(() => repo.bookGroup(db, slot, now(), people));
  }

  /** Sends one group; resolves every person in it. */
  async function send(slot: { id: number; vaccine: string }, group: Pending[]): Promise<void> {
    let result;
    try {
      result = await statement(slot, group);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      for (const person of group) person.resolve({ kind: 'alone' });
      return;
    }
    if (result.booked[0]) {
      group.forEach((person, i) => person.resolve({ kind: 'booked', row: result.booked[i]! }));
    } else if (!result.open) {
      for (const person of group) person.resolve({ kind: 'closed' });
    } else if (group.length === 1 || result.free <= 0) {
      for (const person of group) person.resolve({ kind: 'full', expiredHolds: result.expiredHolds });
    } else {
      // Fewer places than people: one at a time, so the first to arrive get them.
      for (let i = 0; i < group.length; i++) {
        const person = group[i]!;
        const before = { full: false, expiredHolds: false };
        await send(slot, [
          {
            ...person,
            resolve: (outcome) => {
              if (outcome.kind === 'full') Object.assign(before, { full: true, expiredHolds: outcome.expiredHolds });
              person.resolve(outcome);
            },
            reject: person.reject,
          },
        ]);
        if (before.full) {
          for (const rest of group.slice(i + 1)) rest.resolve({ kind: 'full', expiredHolds: before.expiredHolds });
          return;
        }
      }
    }
  }

  async function run(key: string, slot: { id: number; vaccine: string }, line: SlotLine): Promise<void> {
    while (line.waiting.length > 0) {
      const group = line.waiting.splice(0, MAX_GROUP);
      try {
        await send(slot, group);
      } catch (error) {
        // Those already answered ignore a second answer (a settled promise stays settled).
        for (const person of group) person.reject(error);
      }
    }
    line.running = false;
    lines.delete(key);
  }

  return {
    counts: () => ({ ...counts }),

    /** Books one person into the slot, together with whoever else is booking it at the same moment. */
    book(slot: { id: number; vaccine: string }, request: GroupedRequest): Promise<GroupedOutcome> {
      // Operators' bookings go in statements of their own: they may take the telephone's places (place-rules.ts).
      const key = `${slot.id}:${slot.vaccine}:${request.madeBy === 'operator' ? 'phone' : 'web'}`;
      let line = lines.get(key);
      if (!line) {
        line = { running: false, waiting: [] };
        lines.set(key, line);
      }
      const promise = new Promise<GroupedOutcome>((resolve, reject) => line.waiting.push({ ...request, resolve, reject }));
      if (!line.running) {
        line.running = true;
        void run(key, slot, line);
      }
      return promise;
    },
  };
}

export type GroupedBooking = ReturnType<typeof createGroupedBooking>;
