import type { ActorKind } from '../../db/schema.js';

/** Who is making a change: a signed-in resident (for themselves or family), or staff. */
export type Actor =
  | { kind: 'resident'; accountId: number; municipalityCode: string }
  | { kind: 'operator' | 'staff'; userId: string; municipalityCode: string };

/** How the ledger records the actor for a booking of `residentId` (and which staff account, for staff). */
export function recordedActor(
  actor: Actor,
  residentId: number,
): { kind: ActorKind; residentId: number | null; staffAccountId: number | null } {
  if (actor.kind === 'resident') {
    return { kind: actor.accountId === residentId ? 'self' : 'family', residentId: actor.accountId, staffAccountId: null };
  }
  const account = Number(actor.userId);
  return { kind: actor.kind, residentId: null, staffAccountId: Number.isSafeInteger(account) ? account : null };
}
