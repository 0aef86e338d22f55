import type { Db } from '../../db/database.js';
import type { ActorKind } from '../../db/schema.js';
import { pgErrorCode, withRetries } from '../../db/transaction.js';
import { generateReservationNumber } from './reservation-number.js';
import { reservationsRepository as repo, type GroupedPerson, type GroupResult } from './reservations.repository.js';

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
/**
 * Statements this process keeps in flight at once. Groups ready while they run wait and then go
 * together, several slots in one statement: under a load spread over many slots the round trips
 * and commits are shared as a hot slot's are. A quiet process sends each group at once. Measured
 * (bench:booking, spread): 1 in flight 41% of the minimal statement, 2 38%, 3 37%, 6 33%; two,
 * so that one statement waiting on a slot's lock (a staff closing, a dose-2 transaction) does
 * not hold up every booking of the process. The price of sharing: a shared statement ends when
 * its slowest slot's lock is given, so the other slots in it wait as long (latency, never a
 * wrong answer), and telephone and web groups count against the same two statements.
 */
const MAX_IN_FLIGHT = 2;

/** A slot's group waiting for a statement. */
interface ReadyGroup {
  slot: { id: number; vaccine: string };
  byPhone: boolean;
  people: GroupedPerson[];
  resolve(result: GroupResult): void;
  reject(error: unknown): void;
}

const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';
/** SQLSTATE class 23: a constraint refused a row; other errors (connection, timeout) would fail each group alike. */
const isIntegrityViolation = (error: unknown) => pgErrorCode(error)?.startsWith('23') === true;

/**
 * The hot slot. Every booking of one slot takes that slot's row lock, so bookings of one slot go
 * one statement at a time however many connections there are. Here a booking for a slot with no
 * statement in flight goes at once, alone; bookings that arrive while one is in flight wait for it
 * and then go together, in one statement (repository.bookGroup), all of them or none. A quiet slot
 * pays nothing; a hot one takes as many places per lock as people arrived meanwhile. When the
 * slot has too few places for the whole group, its people go one at a time, in arrival order, and
 * once one finds the slot full the rest of that group are told it is full.
 * The groups of different slots share statements too when MAX_IN_FLIGHT are already running
 * (repository.bookSlots: each group still all or nothing on its own, the slots locked in id order).
 * Per process: several processes each group their own, and the database keeps the count.
 */
export function createGroupedBooking(db: Db, now: () => Date) {
  const lines = new Map<string, SlotLine>();
  /** Statements sent, people they carried, and statements of several slots: how much grouping there was (tests, metrics). */
  const counts = { statements: 0, people: 0, combined: 0 };

  const ready: ReadyGroup[] = [];
  let inFlight = 0;

  /** One slot's group as one statement's part; resolves with what the statement found for it. */
  function statement(slot: { id: number; vaccine: string }, group: Pending[]): Promise<GroupResult> {
    const people = group.map((p) => ({ ...p, number: generateReservationNumber() }));
    const byPhone = group.every((p) => p.madeBy === 'operator');
    return new Promise((resolve, reject) => {
      ready.push({ slot, byPhone, people, resolve, reject });
      pump();
    });
  }

  function pump(): void {
    while (inFlight < MAX_IN_FLIGHT && ready.length > 0) {
      const batch = takeBatch();
      inFlight += 1;
      void sendBatch(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  /** The waiting groups in arrival order, each slot once (a slot's web and phone groups go in turn), up to MAX_GROUP people. */
  function takeBatch(): ReadyGroup[] {
    const batch: ReadyGroup[] = [];
    const slots = new Set<number>();
    let people = 0;
    for (let i = 0; i < ready.length && people < MAX_GROUP;) {
      const group = ready[i]!;
      // A group that would take the statement past MAX_GROUP waits for the next (unless it is the first).
      if (slots.has(group.slot.id) || (batch.length > 0 && people + group.people.length > MAX_GROUP)) {
        i += 1;
        continue;
      }
      slots.add(group.slot.id);
      people += group.people.length;
      batch.push(group);
      ready.splice(i, 1);
    }
    return batch;
  }

  async function sendBatch(batch: ReadyGroup[]): Promise<void> {
    counts.statements += 1;
    counts.people += batch.reduce((n, group) => n + group.people.length, 0);
    if (batch.length > 1) counts.combined += 1;
    try {
      if (batch.length === 1) {
        const [group] = batch as [ReadyGroup];
        group.resolve(await withRetries(() => repo.bookGroup(db, group.slot, now(), group.people)));
        return;
      }
      const results = await withRetries(() => repo.bookSlots(db, now(), batch));
      batch.forEach((group, i) => group.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || !isIntegrityViolation(error)) {
        for (const group of batch) group.reject(error);
        return;
      }
      // One row refused by the database (a unique index: that dose booked meanwhile, a taken
      // number; any other constraint) failed every group of the statement: each group again on
      // its own, with new numbers, so only the group at fault is told, and the others are booked.
      for (const group of batch) {
        const people = group.people.map((p) => ({ ...p, number: generateReservationNumber() }));
        await withRetries(() => repo.bookGroup(db, group.slot, now(), people)).then(group.resolve, group.reject);
      }
    }
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
