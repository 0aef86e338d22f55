import { ageOn, type IsoDate } from '../../../shared/dates.js';

/**
 * The waiting room's rules as pure functions: how many people to admit, how to estimate a wait,
 * how to tune the rate from the booking back end's health, and who belongs to which wave.
 */

/** Longest gap a tick may make up for, so a pause or a stalled ticker never releases a burst. */
export const MAX_CATCH_UP_MS = 5_000;

/**
 * How many people to admit after `elapsedMs` at `ratePerMinute`. `carry` keeps the fraction of a
 * person between ticks, so 90/min over 1-second ticks admits exactly 3 every 2 seconds.
 */
export function admissionCredit(input: { ratePerMinute: number; elapsedMs: number; carry: number }): {
  count: number;
  carry: number;
} {
  const elapsed = Math.min(Math.max(input.elapsedMs, 0), MAX_CATCH_UP_MS);
  const exact = (input.ratePerMinute * elapsed) / 60_000 + input.carry;
  const count = Math.floor(exact);
  return { count, carry: Math.min(exact - count, 1) };
}

/**
 * Honest estimate of the seconds until `ahead` people have been admitted at the measured rate;
 * undefined when nothing is being admitted (paused, or not yet measured), so the page says
 * "unknown" instead of inventing a number.
 */
export function estimateWaitSeconds(ahead: number, measuredPerMinute: number): number | undefined {
  if (ahead <= 0) return 0;
  if (!(measuredPerMinute > 0)) return undefined;
  return Math.ceil((ahead / measuredPerMinute) * 60);
}

/** Ticket renewals per second that the pages of a freshly drawn lobby may send the origin together. */
export const DRAW_REFRESHES_PER_SECOND = 1_000;
const MIN_DRAW_SPREAD_SECONDS = 5;

/**
 * Over how many seconds after the opening the pages of a drawn lobby spread their one request for
 * the number they drew. That request needs the store: a number is the rank of a secret random key
 * among everyone's, which no page can work out from the public document. The window grows with
 * the number of people drawn so that the origin sees about DRAW_REFRESHES_PER_SECOND, but stays
 * within half the grace period: whoever drew number 1 is admitted at once and must still learn
 * it in time to take the turn.
 */
export function drawSpreadSeconds(drawn: number, graceMs: number): number {
  const wanted = Math.ceil(Math.max(drawn, 0) / DRAW_REFRESHES_PER_SECOND);
  const ceiling = Math.max(MIN_DRAW_SPREAD_SECONDS, Math.floor(graceMs / 2000));
  return Math.min(Math.max(MIN_DRAW_SPREAD_SECONDS, wanted), ceiling);
}

export interface AdmissionSample {
  at: number;
  admittedThrough: number;
}

/** Admissions per minute over the samples in the last `windowMs` (oldest to newest). */
export function measuredRatePerMinute(samples: AdmissionSample[], now: number, windowMs: number): number {
  const recent = samples.filter((s) => s.at >= now - windowMs);
  if (recent.length < 2) return 0;
  const first = recent[0]!;
  const last = recent[recent.length - 1]!;
  const span = last.at - first.at;
  if (span <= 0) return 0;
  return Math.round(((last.admittedThrough - first.admittedThrough) * 60_000) / span);
}

export interface BackendHealth {
  requests: number;
  /** Requests slower than the latency target. */
  slow: number;
  /** Requests that failed with a server error (5xx). */
  errors: number;
}

export interface TuningPolicy {
  minPerMinute: number;
  maxPerMinute: number;
  /** Below this many requests in the window there is too little evidence to change anything. */
  minRequests: number;
}

/**
 * Additive increase, multiplicative decrease (as TCP does): when more than 1% of booking requests
 * fail or more than 5% are slower than the target, cut the rate by 30%; when none fail and under
 * 1% are slow, raise it by 5% (at least 1/min). Otherwise hold.
 */
export function tuneRate(current: number, health: BackendHealth, policy: TuningPolicy): number {
  const clamp = (rate: number) => Math.round(Math.min(policy.maxPerMinute, Math.max(policy.minPerMinute, rate)));
  if (health.requests < policy.minRequests) return clamp(current);
  const errorShare = health.errors / health.requests;
  const slowShare = health.slow / health.requests;
  if (errorShare > 0.01 || slowShare > 0.05) return clamp(current * 0.7);
  if (health.errors === 0 && slowShare < 0.01) return clamp(current + Math.max(1, current * 0.05));
  return clamp(current);
}

/** Whether the back end is struggling enough for an `auto` waiting room to switch on. */
export function isBackendBusy(health: BackendHealth, minRequests: number): boolean {
  if (health.requests < minRequests) return false;
  return health.errors / health.requests > 0.01 || health.slow / health.requests > 0.05;
}

/** One wave of an opening plan: a cohort that may start queueing at its own time. */
export interface Wave {
  id: string;
  /** ISO instant; people who arrive before it are placed in random order at this moment. */
  opensAt: string;
  /** Inclusive age band, age counted on the day the wave opens. */
  ages?: [number, number];
  /** Last digit of the day of birth (Korea, August 2021: 9 and 19 and 29 on the same day). */
  birthDayDigits?: number[];
  /** Share of the admission rate while several waves are admitting; equal shares by default. */
  share?: number;
}

export interface OpeningPlan {
  waves: Wave[];
}

/** The wave a person belongs to: the first whose cohort matches. Undefined when none does. */
export function waveFor(plan: OpeningPlan, birthDate: IsoDate): Wave | undefined {
  return plan.waves.find((wave) => {
    if (wave.ages) {
      const age = ageOn(birthDate, wave.opensAt.slice(0, 10));
      if (age < wave.ages[0] || age > wave.ages[1]) return false;
    }
    if (wave.birthDayDigits) {
      const lastDigit = Number(birthDate.slice(-1));
      if (!wave.birthDayDigits.includes(lastDigit)) return false;
    }
    return true;
  });
}

/** Reads a municipality's `settings.waitingRoom`, ignoring anything malformed. */
export function parseOpeningPlan(raw: unknown): OpeningPlan | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const waves = (raw as { waves?: unknown }).waves;
  if (!Array.isArray(waves)) return undefined;
  const valid = waves.filter(isWave);
  return valid.length > 0 ? { waves: valid } : undefined;
}

/**
 * A wave as staff wrote it into the municipality's settings. One that is not exactly right is
 * left out rather than half-used: an age band read as "everyone" would open the door to all.
 */
function isWave(w: unknown): w is Wave {
  if (!w || typeof w !== 'object') return false;
  const wave = w as Record<string, unknown>;
  const wholeIn = (value: unknown, min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  if (typeof wave.id !== 'string' || !/^[a-z0-9-]{1,20}$/.test(wave.id)) return false;
  if (typeof wave.opensAt !== 'string' || Number.isNaN(Date.parse(wave.opensAt))) return false;
  if (wave.ages !== undefined) {
    const ages = wave.ages;
    if (!Array.isArray(ages) || ages.length !== 2 || !wholeIn(ages[0], 0, 150) || !wholeIn(ages[1], 0, 150) || ages[0] > ages[1])
      return false;
  }
  if (wave.birthDayDigits !== undefined) {
    const digits = wave.birthDayDigits;
    if (!Array.isArray(digits) || digits.length === 0 || !digits.every((d) => wholeIn(d, 0, 9))) return false;
  }
  if (wave.share !== undefined && !(typeof wave.share === 'number' && Number.isFinite(wave.share) && wave.share > 0)) return false;
  return true;
}

export interface QueueDemand {
  queueId: string;
  share?: number;
  waiting: number;
}

/**
 * Splits the room's rate between the queues that have people waiting, by share; a queue with
 * nobody waiting gets nothing so that its share goes to the others.
 */
export function splitRate(totalPerMinute: number, queues: QueueDemand[]): Map<string, number> {
  const busy = queues.filter((q) => q.waiting > 0);
  const shares = busy.map((q) => (q.share && q.share > 0 ? q.share : 1));
  const sum = shares.reduce((a, b) => a + b, 0);
  const result = new Map<string, number>(queues.map((q) => [q.queueId, 0]));
  busy.forEach((q, i) => result.set(q.queueId, (totalPerMinute * shares[i]!) / sum));
  return result;
}

export type WaitingRoomMode = 'off' | 'always' | 'scheduled' | 'auto';

/**
 * Whether booking needs an admission token right now.
 * - scheduled: from `leadMs` before an opening until `leadMs` after it, and on while anyone waits;
 * - auto: while the back end is busy or people are still queueing from the last busy spell.
 */
export function isRoomActive(
  mode: WaitingRoomMode,
  input: { now: number; openings: number[]; leadMs: number; waiting: number; busyUntil: number },
): boolean {
  switch (mode) {
    case 'off':
      return false;
    case 'always':
      return true;
    case 'scheduled':
      return input.openings.some(
        (opensAt) => input.now >= opensAt - input.leadMs && (input.now < opensAt + input.leadMs || input.waiting > 0),
      );
    case 'auto':
      return input.now < input.busyUntil || input.waiting > 0;
  }
}
