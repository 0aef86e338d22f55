import { describe, expect, it } from 'vitest';
import { extraPlacesFor, overlapOf } from './slot-overlap.js';

const at = (hhmm: string, durationMinutes = 30, id = 0) => ({ id, startsAt: new Date(`2026-12-07T${hhmm}:00+09:00`), durationMinutes });

describe('overlapOf', () => {
  const existing = [at('10:00', 30, 1), at('11:00', 60, 2)];

  it('names a slot at the same start first, even when another one also overlaps', () => {
    expect(overlapOf(at('10:00'), existing)).toEqual({ kind: 'same-start', existing: existing[0] });
    expect(overlapOf(at('11:00', 15), [at('10:45', 30, 3), ...existing])?.kind).toBe('same-start');
  });

  it('finds intervals that share time, either way round', () => {
    expect(overlapOf(at('10:15'), existing)).toEqual({ kind: 'overlapping', existing: existing[0] });
    expect(overlapOf(at('09:45'), existing)).toEqual({ kind: 'overlapping', existing: existing[0] });
    // A long planned slot that swallows an existing short one.
    expect(overlapOf(at('09:00', 180), [existing[1]!])?.kind).toBe('overlapping');
    expect(overlapOf(at('11:30', 10), existing)).toEqual({ kind: 'overlapping', existing: existing[1] });
  });

  it('lets slots that only touch stand side by side', () => {
    expect(overlapOf(at('10:30'), existing)).toBeUndefined();
    expect(overlapOf(at('09:30'), existing)).toBeUndefined();
    expect(overlapOf(at('12:00'), existing)).toBeUndefined();
    expect(overlapOf(at('10:00'), [])).toBeUndefined();
  });
});

describe('extraPlacesFor', () => {
  it('is 0 by default and rounds down to whole people', () => {
    expect(extraPlacesFor(20, 0)).toBe(0);
    expect(extraPlacesFor(20, 5)).toBe(1);
    expect(extraPlacesFor(19, 5)).toBe(0);
    expect(extraPlacesFor(40, 5)).toBe(2);
    expect(extraPlacesFor(100, 10)).toBe(10);
    expect(extraPlacesFor(3, 50)).toBe(1);
  });

  it('never adds to a slot of no capacity, nor subtracts', () => {
    expect(extraPlacesFor(0, 50)).toBe(0);
    expect(extraPlacesFor(20, -5)).toBe(0);
  });
});
