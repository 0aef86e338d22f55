import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { AuditLog } from '../audit/index.js';
import { waitingRoomRoutes, type RoutedRoom } from './waiting-room.routes.js';

/**
 * The room when WAITING_ROOM=off: no store, no ticker, nobody queues. Its routes are the same
 * ones (so the API and its document do not change with the setting) and answer as a room that is
 * not in use: the state says so, there are no queues, and joining or taking a turn is refused
 * with `waiting-room-off` (sign in directly instead).
 */
const offRoom: RoutedRoom = {
  settings: { mode: 'off', admissionMs: 0 },
  isActive: () => false,
  join: async () => {
    throw new AppError('waiting-room-off');
  },
  refresh: async () => {
    throw new AppError('waiting-room-off');
  },
  admit: async () => {
    throw new AppError('waiting-room-off');
  },
  setControl: async () => {
    throw new AppError('waiting-room-off');
  },
  status: async () => undefined,
  stats: async () => ({
    mode: 'off',
    active: false,
    paused: false,
    ratePerMinute: 0,
    autoTune: false,
    autoTuneConfigured: false,
    queues: [],
  }),
  observe: () => undefined,
  recordBooked: () => undefined,
  decodeAdmission: () => undefined,
  browserHash: () => '',
};

export function waitingRoomOffRoutes(options: { audit: AuditLog; secureCookies: boolean }): FastifyPluginAsync {
  return waitingRoomRoutes({
    room: offRoom,
    secureCookies: options.secureCookies,
    ticketTtlSeconds: 0,
    audit: options.audit,
  }) as FastifyPluginAsync;
}
