import { AppError } from '../../platform/errors.js';
import { waveFor } from './queue-rules.js';
import type { RoomState } from './room-state.js';

const PLAN_REFRESH_MS = 30_000;

/** Reads the opening plans again when the last read is older than 30 s; keeps the last ones on failure. */
export async function refreshPlans(state: RoomState, at: number): Promise<void> {
  if (at - state.plansAt < PLAN_REFRESH_MS) return;
  state.plansAt = at;
  try {
    state.plans = await state.deps.loadPlans();
  } catch (error) {
    state.deps.logger.warn({ err: error }, 'could not read opening plans; keeping the last ones');
  }
}

/** The queue a person joins: the municipality's own, or their wave's when it has an opening plan. */
export function queueFor(state: RoomState, municipalityCode: string, birthDate: string) {
  const plan = state.plans.get(municipalityCode);
  if (!plan) return { queueId: municipalityCode, opensAt: null, share: 1 };
  const wave = waveFor(plan, birthDate);
  if (!wave) throw new AppError('not-eligible-age', { reason: 'no-wave' });
  return { queueId: `${municipalityCode}-${wave.id}`, opensAt: Date.parse(wave.opensAt), share: wave.share ?? 1 };
}

/** The opening time the current plan gives a wave's queue (undefined for a queue without one). */
export function plannedOpening(state: RoomState, queueId: string): number | undefined {
  for (const [municipalityCode, plan] of state.plans) {
    const wave = plan.waves.find((w) => `${municipalityCode}-${w.id}` === queueId);
    if (wave) return Date.parse(wave.opensAt);
  }
  return undefined;
}
