import type { Db } from '../../db/database.js';
import { createFailedJobsRepository, FAILED_JOBS_PAGE_MAX, type FailedJob, type FailedJobsScope } from './failed-jobs.repository.js';

export { FAILED_JOBS_PAGE_MAX };

/**
 * Jobs that failed for good, for staff. Which scope a principal may ask for is the access
 * policy's decision (a super-administrator: all; an administrator: their municipality's), made
 * by the route that calls this.
 */
export function createFailedJobsService(db: Db) {
  const repository = createFailedJobsRepository(db);
  return {
    /** Newest first, `limit` (default 50, at most 200) at a time; pass the last id seen as `beforeId` for the next page. */
    list(scope: FailedJobsScope, page: { limit?: number; beforeId?: number } = {}): Promise<FailedJob[]> {
      return repository.list(scope, { limit: page.limit ?? 50, beforeId: page.beforeId });
    },
  };
}

export type FailedJobsService = ReturnType<typeof createFailedJobsService>;
