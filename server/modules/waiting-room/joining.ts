import { randomInt } from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import { queueFor, refreshPlans } from './opening-plans.js';
import { withStore, type RoomState } from './room-state.js';
import type { AdmissionToken } from './tickets.js';

function readTicket(state: RoomState, token: string | undefined, browser: string) {
  const ticket = state.deps.codec.decodeTicket(token, state.now());
  if (!ticket) throw new AppError('forbidden', { reason: 'ticket-invalid' });
  if (ticket.browser !== browser) throw new AppError('forbidden', { reason: 'ticket-other-browser' });
  return ticket;
}

/**
 * Joins the queue after the cheap voucher + birth date check, or returns the place the
 * person already holds. The ticket is bound to this browser.
 */
export async function join(
  state: RoomState,
  input: { municipalityCode: string; voucherNumber: string; birthDate: string; ip: string; browser: string },
) {
  const { identity, logger, codec, store, settings } = state.deps;
  let resident;
  try {
    resident = await identity.prove(input, [identity.perAddress(input.ip)]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    logger.warn({ err: error }, 'voucher check failed: database unavailable');
    throw new AppError('unavailable', { retryAfterSeconds: 10, reason: 'database-unavailable' });
  }
  if (!resident) throw new AppError('sign-in-failed');
  await refreshPlans(state, state.now());
  const queue = queueFor(state, input.municipalityCode, resident.birthDate);
  const personKey = codec.personKey(input.municipalityCode, resident.id);
  const at = state.now();
  const placed = await withStore(state, () =>
    store.join(queue.queueId, personKey, {
      now: at,
      opensAt: queue.opensAt,
      share: queue.share,
      sortKey: randomInt(0, 2 ** 47) / 2 ** 47,
      claimLifetimeMs: settings.admissionMs,
    }),
  );
  state.misses.delete(queue.queueId); // the queue exists now, whatever was asked before
  const ticket = { queueId: queue.queueId, position: placed.position, personKey, browser: input.browser, issuedAt: at };
  return { ticket: codec.encodeTicket(ticket), ...ticket, opensAt: queue.opensAt };
}

/** A fresh ticket with the person's number, for those who joined before the opening. */
export async function refreshTicket(state: RoomState, input: { ticket: string | undefined; browser: string }) {
  const ticket = readTicket(state, input.ticket, input.browser);
  const position = await withStore(state, () => state.deps.store.positionOf(ticket.queueId, ticket.personKey));
  if (position === undefined) throw new AppError('forbidden', { reason: 'ticket-unknown' });
  const fresh = { ...ticket, position, issuedAt: state.now() };
  return { ticket: state.deps.codec.encodeTicket(fresh), ...fresh };
}

/** Takes the admitted person's turn and returns a short-lived admission token for this browser. */
export async function admit(state: RoomState, input: { ticket: string | undefined; browser: string }) {
  const { store, settings, codec } = state.deps;
  const ticket = readTicket(state, input.ticket, input.browser);
  const at = state.now();
  const outcome = await withStore(state, () =>
    store.claim(ticket.queueId, ticket.personKey, {
      now: at,
      browser: ticket.browser,
      position: ticket.position,
      graceMs: settings.graceMs,
      claimLifetimeMs: settings.admissionMs,
    }),
  );
  switch (outcome.kind) {
    case 'admitted': {
      const token: AdmissionToken = {
        queueId: ticket.queueId,
        personKey: ticket.personKey,
        browser: ticket.browser,
        expiresAt: outcome.claimedAt + settings.admissionMs,
      };
      return { token: codec.encodeAdmission(token), expiresAt: token.expiresAt };
    }
    case 'not-yet':
      throw new AppError('admission-required', { reason: 'not-yet', position: outcome.position });
    case 'expired':
      throw new AppError('forbidden', { reason: 'turn-expired' });
    case 'used':
      throw new AppError('forbidden', { reason: 'ticket-used' });
    case 'unknown':
      throw new AppError('forbidden', { reason: 'ticket-unknown' });
  }
}
