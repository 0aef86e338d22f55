import { admissionCredit, type BackendHealth } from './queue-rules.js';
import { emptySnapshot, type QueueSnapshot, type RoomControl, type WaitingRoomStore } from './waiting-room.store.js';

/** In the lobby, not numbered yet. Positions are >= 1, so this never clashes with one. */
const IN_LOBBY = -1;

interface Batch {
  through: number;
  at: number;
  claims: number;
}

interface Queue {
  snapshot: QueueSnapshot;
  /** personKey -> position (or IN_LOBBY). A plain Map of short strings to small ints: ~100 B a person. */
  persons: Map<string, number>;
  lobbyKeys: string[];
  lobbySort: number[];
  /** personKey -> "claimedAt|browser" */
  claims: Map<string, string>;
  batches: Batch[];
  settledThrough: number;
  carry: number;
}

/** The queues in this process's memory: the embedded default for a single server process. */
export function createMemoryWaitingRoomStore(initial: { ratePerMinute: number }): WaitingRoomStore {
  const queues = new Map<string, Queue>();
  let control: RoomControl = { paused: false, ratePerMinute: initial.ratePerMinute, busyUntil: 0, autoTune: true };
  const health = new Map<number, BackendHealth>();
  const leases = new Map<string, { owner: string; until: number }>();

  function queueOf(queueId: string, opensAt: number | null, share: number): Queue {
    let queue = queues.get(queueId);
    if (!queue) {
      queue = {
        snapshot: emptySnapshot(queueId, opensAt, share),
        persons: new Map(),
        lobbyKeys: [],
        lobbySort: [],
        claims: new Map(),
        batches: [],
        settledThrough: 0,
        carry: 0,
      };
      queues.set(queueId, queue);
    }
    moveOpening(queue, opensAt);
    return queue;
  }

  /**
   * An opening that the plan has moved counts for as long as the lobby has not been drawn: the
   * opening time comes from the caller's current plan, not only from the first person to join.
   */
  function moveOpening(queue: Queue, opensAt: number | null | undefined): void {
    if (!queue.snapshot.open && typeof opensAt === 'number') queue.snapshot.opensAt = opensAt;
  }

  /** Numbers the lobby in the order of its random sort keys, once, at the opening. */
  function sealIfDue(queue: Queue, now: number): void {
    const s = queue.snapshot;
    if (s.open || s.opensAt === null || now < s.opensAt) return;
    const order = queue.lobbyKeys.map((_, i) => i);
    order.sort((a, b) => queue.lobbySort[a]! - queue.lobbySort[b]! || (queue.lobbyKeys[a]! < queue.lobbyKeys[b]! ? -1 : 1));
    order.forEach((index, rank) => queue.persons.set(queue.lobbyKeys[index]!, rank + 1));
    s.issued = order.length;
    s.lobby = 0;
    s.open = true;
    queue.lobbyKeys = [];
    queue.lobbySort = [];
  }

  function claimOf(queue: Queue, personKey: string): { at: number; browser: string } | undefined {
    const raw = queue.claims.get(personKey);
    if (!raw) return undefined;
    const bar = raw.indexOf('|');
    return { at: Number(raw.slice(0, bar)), browser: raw.slice(bar + 1) };
  }

  return {
    async join(queueId, personKey, input) {
      const queue = queueOf(queueId, input.opensAt, input.share);
      sealIfDue(queue, input.now);
      const s = queue.snapshot;
      const current = queue.persons.get(personKey);
      if (current === IN_LOBBY) return { position: null };
      if (current !== undefined) {
        const claim = claimOf(queue, personKey);
        const usedUp = claim ? input.now > claim.at + input.claimLifetimeMs : current <= queue.settledThrough;
        if (!usedUp) return { position: current };
        queue.claims.delete(personKey);
      }
      if (!s.open) {
        queue.persons.set(personKey, IN_LOBBY);
        queue.lobbyKeys.push(personKey);
        queue.lobbySort.push(input.sortKey);
        s.lobby += 1;
        return { position: null };
      }
      s.issued += 1;
      queue.persons.set(personKey, s.issued);
      return { position: s.issued };
    },

    async positionOf(queueId, personKey) {
      const position = queues.get(queueId)?.persons.get(personKey);
      return position === IN_LOBBY ? null : position;
    },

    async claim(queueId, personKey, input) {
      const queue = queues.get(queueId);
      const position = queue?.persons.get(personKey);
      if (!queue || position === undefined) return { kind: 'unknown' };
      if (position === IN_LOBBY) return { kind: 'not-yet', position: null };
      if (input.position !== null && input.position !== position) return { kind: 'unknown' };
      if (position > queue.snapshot.admittedThrough) return { kind: 'not-yet', position };
      const claim = claimOf(queue, personKey);
      if (claim) {
        const sameBrowser = claim.browser === input.browser && input.now <= claim.at + input.claimLifetimeMs;
        return sameBrowser ? { kind: 'admitted', claimedAt: claim.at } : { kind: 'used' };
      }
      if (position <= queue.settledThrough) return { kind: 'expired' };
      const batch = queue.batches.find((b) => b.through >= position);
      if (!batch || batch.at + input.graceMs < input.now) return { kind: 'expired' };
      batch.claims += 1;
      queue.snapshot.claimed += 1;
      queue.claims.set(personKey, `${input.now}|${input.browser}`);
      return { kind: 'admitted', claimedAt: input.now };
    },

    async advance(queueId, input) {
      const queue = queues.get(queueId);
      if (!queue) return emptySnapshot(queueId, null, 1);
      moveOpening(queue, input.opensAt);
      sealIfDue(queue, input.now);
      const s = queue.snapshot;
      if (!s.open) return { ...s };
      // Turns not taken within the grace period are lost. They are counted, not made up for on
      // top of the rate: the next people are admitted out of the same allowance, so lost turns
      // never push admissions past the rate (the tuner raises it if the back end has room).
      let previous = queue.settledThrough;
      while (queue.batches.length > 0 && queue.batches[0]!.at + input.graceMs < input.now) {
        const batch = queue.batches.shift()!;
        s.abandoned += batch.through - previous - batch.claims;
        previous = batch.through;
        queue.settledThrough = batch.through;
      }
      const waiting = s.issued - s.admittedThrough;
      if (input.paused || waiting === 0) {
        queue.carry = 0;
      } else {
        const credit = admissionCredit({
          ratePerMinute: input.ratePerMinute,
          elapsedMs: input.now - (s.advancedAt || input.now),
          carry: queue.carry,
        });
        queue.carry = credit.carry;
        const admit = Math.min(credit.count, waiting);
        if (admit > 0) {
          s.admittedThrough += admit;
          queue.batches.push({ through: s.admittedThrough, at: input.now, claims: 0 });
        }
      }
      // Never move backwards: a caller with a slow clock must not make the next one count time twice.
      s.advancedAt = Math.max(s.advancedAt, input.now);
      return { ...s };
    },

    async snapshot(queueId) {
      const queue = queues.get(queueId);
      return queue ? { ...queue.snapshot } : undefined;
    },

    async queueIds() {
      return [...queues.keys()];
    },

    async recordBooked(queueId) {
      const queue = queues.get(queueId);
      if (queue) queue.snapshot.booked += 1;
    },

    async control() {
      return { ...control };
    },

    async setControl(patch) {
      control = { ...control, ...patch };
      return { ...control };
    },

    async addHealth(second, sample) {
      const bucket = health.get(second) ?? { requests: 0, slow: 0, errors: 0 };
      bucket.requests += sample.requests;
      bucket.slow += sample.slow;
      bucket.errors += sample.errors;
      health.set(second, bucket);
      for (const key of health.keys()) if (key < second - 300) health.delete(key);
    },

    async readHealth(fromSecond, toSecond) {
      const sum = { requests: 0, slow: 0, errors: 0 };
      for (const [second, b] of health) {
        if (second < fromSecond || second > toSecond) continue;
        sum.requests += b.requests;
        sum.slow += b.slow;
        sum.errors += b.errors;
      }
      return sum;
    },

    async acquireLease(name, owner, ttlMs) {
      const now = Date.now();
      const lease = leases.get(name);
      if (lease && lease.owner !== owner && lease.until > now) return false;
      leases.set(name, { owner, until: now + ttlMs });
      return true;
    },

    async close() {
      queues.clear();
    },
  };
}
