import { admit, join, refreshTicket } from './joining.js';
import { setControl, stats } from './operator-controls.js';
import { createRoomState, type StatusDocument, type WaitingRoomDeps } from './room-state.js';
import { statusDocument } from './status-documents.js';
import { observe, tick } from './ticker.js';

export type { StatusDocument, WaitingRoomDeps, WaitingRoomSettings } from './room-state.js';

/**
 * The waiting room, put together from its parts: joining and admission (joining.ts), the public
 * status documents (status-documents.ts), the ticker with the auto-tuner (ticker.ts) and the
 * operators' controls (operator-controls.ts), all sharing one process-local state.
 */
export function createWaitingRoomService(deps: WaitingRoomDeps) {
  const state = createRoomState(deps);
  const { codec, settings, store, logger } = deps;
  return {
    settings,
    tick: () => tick(state),

    /** Whether booking needs an admission token right now (decided by the last tick). */
    isActive: () => state.active,

    join: (input: Parameters<typeof join>[1]) => join(state, input),
    refresh: (input: Parameters<typeof refreshTicket>[1]) => refreshTicket(state, input),
    status: (queueId: string): Promise<StatusDocument | undefined> => statusDocument(state, queueId),
    /** The status document built at the last tick, if this process has one (no store read). */
    builtStatus: (queueId: string): StatusDocument | undefined => state.documents.get(queueId),
    admit: (input: Parameters<typeof admit>[1]) => admit(state, input),
    observe: (durationMs: number, statusCode: number) => observe(state, durationMs, statusCode),

    recordBooked(queueId: string): void {
      store.recordBooked(queueId).catch((error: unknown) => logger.warn({ err: error }, 'could not count a booking'));
    },

    stats: () => stats(state),
    setControl: (request: Parameters<typeof setControl>[1]) => setControl(state, request),

    decodeAdmission: (token: string | undefined) => codec.decodeAdmission(token, state.now()),
    personKey: (municipalityCode: string, accountId: number) => codec.personKey(municipalityCode, accountId),
    browserHash: (binding: string) => codec.browserHash(binding),
  };
}

export type WaitingRoomService = ReturnType<typeof createWaitingRoomService>;
