/** A slot as an interval: [startsAt, startsAt + duration). */
export interface SlotInterval {
  startsAt: Date;
  durationMinutes: number;
}

export type OverlapKind = 'same-start' | 'overlapping';

export interface Overlap<E> {
  kind: OverlapKind;
  existing: E;
}

const endOf = (slot: SlotInterval) => slot.startsAt.getTime() + slot.durationMinutes * 60_000;

/**
 * How a planned slot meets the venue's existing ones: the same start instant (the database
 * would refuse a second slot there) comes first, then any interval sharing time with it.
 * Touching intervals (10:00–10:30 and 10:30–11:00) do not overlap.
 */
export function overlapOf<E extends SlotInterval>(planned: SlotInterval, existing: readonly E[]): Overlap<E> | undefined {
  const start = planned.startsAt.getTime();
  const same = existing.find((slot) => slot.startsAt.getTime() === start);
  if (same) return { kind: 'same-start', existing: same };
  const end = endOf(planned);
  const crossing = existing.find((slot) => slot.startsAt.getTime() < end && start < endOf(slot));
  return crossing ? { kind: 'overlapping', existing: crossing } : undefined;
}

/**
 * The places a venue's overbooking allowance adds to a slot: whole people, rounded down
 * (5% of 20 is 1, 5% of 19 is 0), never negative. Shown beside the capacity, never folded in.
 */
export function extraPlacesFor(capacity: number, overbookingPercent: number): number {
  if (capacity <= 0 || overbookingPercent <= 0) return 0;
  // Integer arithmetic: 5% of 20 must be 1 exactly, not 0.9999….
  return Math.floor((capacity * Math.round(overbookingPercent * 100)) / 10_000);
}
