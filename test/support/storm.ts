import type { Db } from '../../server/db/database.js';
import { slotCountsMismatches } from './fixtures.js';
import type { TestResponse } from './server.js';

/** One answer of a storm: what came back and how long it took, as the client saw it. */
export interface Timed {
  label: string;
  status: number;
  code: string | undefined;
  ms: number;
}

/** Records the answers of a storm, with their latency, for the figures and the assertions. */
export class StormLog {
  readonly answers: Timed[] = [];

  async timed(label: string, send: () => Promise<TestResponse>): Promise<TestResponse> {
    const started = performance.now();
    const response = await send();
    this.answers.push({ label, status: response.status, code: response.body?.code, ms: performance.now() - started });
    return response;
  }

  get serverErrors(): Timed[] {
    return this.answers.filter((a) => a.status >= 500);
  }

  /** The latency below which 99 % of the answers came (nearest rank). */
  get p99(): number {
    const sorted = this.answers.map((a) => a.ms).sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
  }

  /** Answers whose problem code is not one of those the storm may meet. */
  unexpected(allowed: readonly string[]): Timed[] {
    return this.answers.filter((a) => a.status >= 500 || (a.status >= 400 && !allowed.includes(a.code ?? '')));
  }

  summary(name: string): string {
    const slowest = Math.max(0, ...this.answers.map((a) => a.ms));
    return `${name}: ${this.answers.length} answers, ${this.serverErrors.length} ≥ 500, p99 ${Math.round(this.p99)} ms, slowest ${Math.round(slowest)} ms`;
  }
}

/**
 * What must hold after any storm: every slot's count is its active reservations plus holds and
 * within capacity, and nobody has two active bookings of one dose.
 */
export async function bookingInvariantViolations(db: Db, slotIds: number[]) {
  const counts = await slotCountsMismatches(db, slotIds);
  const doubleBookings = await db
    .selectFrom('reservations')
    .select(['resident_id', 'dose_number', db.fn.countAll<number>().as('n')])
    .where('slot_id', 'in', slotIds)
    .where('status', '=', 'booked')
    .groupBy(['resident_id', 'dose_number'])
    .having(db.fn.countAll(), '>', 1)
    .execute();
  return { counts, doubleBookings };
}

export const noViolations = { counts: [], doubleBookings: [] };
