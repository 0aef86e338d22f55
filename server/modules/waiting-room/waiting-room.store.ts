import type { BackendHealth } from './queue-rules.js';

/**
 * Where the queues live. Two implementations behind this one interface: in this process's memory
 * (the embedded default, one server process) and Redis (any number of processes share a queue).
 * Every method that changes a queue is atomic, so positions stay unique and in order and nobody
 * is admitted twice however many processes call at once.
 */
export interface WaitingRoomStore {
  /**
   * Gives the person a place, or returns the place they already hold. Before the opening the
   * place has no number yet (null): the person is added to the lobby with a random `sortKey`,
   * and the lobby is numbered in that order at the opening. A place that was used up (admission
   * claimed long ago) or lost (admitted but not claimed in time) is replaced by a new one at the back.
   */
  join(queueId: string, personKey: string, input: JoinInput): Promise<{ position: number | null }>;

  /** The person's current number (null while still in an unopened lobby; undefined if unknown). */
  positionOf(queueId: string, personKey: string): Promise<number | null | undefined>;

  /** Takes the admitted person's turn: once per person, idempotent for the same browser. */
  claim(queueId: string, personKey: string, input: ClaimInput): Promise<ClaimOutcome>;

  /**
   * Numbers the lobby once the opening time has passed, settles turns that were not claimed in
   * time (counted as abandoned; the next people are admitted within the same rate, never on top
   * of it) and admits people at `ratePerMinute` for the time
   * since the last call. Only one process calls it at a time (see acquireLease), but the count
   * is computed from the stored time of the last call, so even two callers cannot exceed the rate.
   */
  advance(queueId: string, input: AdvanceInput): Promise<QueueSnapshot>;

  snapshot(queueId: string): Promise<QueueSnapshot | undefined>;
  queueIds(): Promise<string[]>;
  recordBooked(queueId: string): Promise<void>;

  /** Room-wide operator settings and the tuned rate, shared by every process. */
  control(): Promise<RoomControl>;
  setControl(patch: Partial<RoomControl>): Promise<RoomControl>;

  /** Adds one process's booking request counts to a 1-second bucket shared by all processes. */
  addHealth(second: number, health: BackendHealth): Promise<void>;
  /** Sums the buckets from `fromSecond` to `toSecond` inclusive. */
  readHealth(fromSecond: number, toSecond: number): Promise<BackendHealth>;

  /** A lease so that one process at a time runs the ticker; renews when `owner` holds it. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;

  close(): Promise<void>;
}

export interface JoinInput {
  now: number;
  /**
   * Opening time of the queue (ms), or null when it is open from the start. A queue that has not
   * opened yet takes the new time when the plan has moved it.
   */
  opensAt: number | null;
  /** Share of the admission rate while several queues admit (waves). */
  share: number;
  /** Uniform random number; orders the lobby. */
  sortKey: number;
  /** How long a claimed admission stays the person's; after that joining again queues anew. */
  claimLifetimeMs: number;
}

export interface ClaimInput {
  now: number;
  browser: string;
  /** The ticket's number; a ticket from before a re-join no longer matches. */
  position: number | null;
  graceMs: number;
  claimLifetimeMs: number;
}

export type ClaimOutcome =
  | { kind: 'admitted'; claimedAt: number }
  | { kind: 'not-yet'; position: number | null }
  | { kind: 'expired' }
  | { kind: 'used' }
  | { kind: 'unknown' };

export interface AdvanceInput {
  now: number;
  /** The queue's opening time in the current plan, if it has one: moves an opening not yet reached. */
  opensAt?: number;
  ratePerMinute: number;
  paused: boolean;
  graceMs: number;
}

export interface QueueSnapshot {
  queueId: string;
  opensAt: number | null;
  /** True once the lobby has been numbered (or for a queue without an opening time). */
  open: boolean;
  share: number;
  /** Places numbered so far: the last position handed out. */
  issued: number;
  /** People in the lobby of a queue that has not opened yet. */
  lobby: number;
  admittedThrough: number;
  claimed: number;
  abandoned: number;
  booked: number;
  /** Time of the last advance (ms); 0 before the first. */
  advancedAt: number;
}

export interface RoomControl {
  paused: boolean;
  /** The rate the room admits at now (configured, then tuned or set by an operator). */
  ratePerMinute: number;
  /** Until when the room stays on in `auto` mode (ms since epoch). */
  busyUntil: number;
  /** False once an operator has set the rate by hand, until they hand it back to the auto-tuner. */
  autoTune: boolean;
}

export function emptySnapshot(queueId: string, opensAt: number | null, share: number): QueueSnapshot {
  return {
    queueId,
    opensAt,
    open: opensAt === null,
    share,
    issued: 0,
    lobby: 0,
    admittedThrough: 0,
    claimed: 0,
    abandoned: 0,
    booked: 0,
    advancedAt: 0,
  };
}
