import type { App } from './app.js';
import { defineJob, type JobQueue } from './platform/jobs/index.js';

/** How often places of unconfirmed holds are given back, as before the job worker. */
export const HOLD_SWEEP_SECONDS = 15;

/**
 * The periodic clean-ups, as jobs: each runs on one worker at a time, whatever the number of
 * processes. Expired holds need seconds, below cron's minute, so they repeat in windows of
 * HOLD_SWEEP_SECONDS (JobQueue.every); the purges are hourly crons.
 */
export function registerMaintenanceJobs(
  jobs: JobQueue,
  app: Pick<App, 'reservations' | 'signIn' | 'revocations' | 'staff'>,
  options: { holdSweepSeconds?: number } = {},
): void {
  const releaseExpiredHolds = defineJob({
    name: 'holds.release-expired',
    // The next window sweeps again: one quick retry is enough.
    retryLimit: 1,
    retryDelaySeconds: 5,
    retryBackoff: false,
    expireInSeconds: 60,
    handler: async () => {
      await app.reservations.releaseExpiredHolds();
    },
  });
  const purgeChallenges = defineJob({
    name: 'sign-in.purge-challenges',
    retryLimit: 3,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
    // They hold phone numbers: gone a day after they ended.
    handler: async () => {
      await app.signIn.purgeExpired();
    },
  });
  const purgeRevocations = defineJob({
    name: 'sessions.purge-revocations',
    retryLimit: 3,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
    handler: async () => {
      await app.revocations.purgeExpired();
    },
  });
  const purgeStaffSessions = defineJob({
    name: 'staff.purge-sessions',
    retryLimit: 3,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 300,
    // Ended staff sessions and used or expired one-time links.
    handler: async () => {
      await app.staff.sessions.purgeExpired();
    },
  });
  jobs.register(releaseExpiredHolds, purgeChallenges, purgeRevocations, purgeStaffSessions);
  jobs.every(releaseExpiredHolds, options.holdSweepSeconds ?? HOLD_SWEEP_SECONDS);
  jobs.schedule(purgeChallenges, '7 * * * *', 'UTC');
  jobs.schedule(purgeRevocations, '37 * * * *', 'UTC');
  jobs.schedule(purgeStaffSessions, '47 * * * *', 'UTC');
}
