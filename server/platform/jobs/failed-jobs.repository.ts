import type { Db } from '../../db/database.js';
import type { JobSummary } from './define-job.js';

/** A job that failed for good, as staff see it. */
export interface FailedJob {
  id: number;
  name: string;
  /** Undefined for deployment-wide jobs (sweeps), which only super-administrators see. */
  municipalityCode: string | undefined;
  summary: JobSummary;
  lastError: string;
  attempts: number;
  failedAt: Date;
}

/** Whose failures: all of them (super-administrator) or one municipality's (its administrators). */
export type FailedJobsScope = { readonly all: true } | { readonly municipalityCode: string };

export const FAILED_JOBS_PAGE_MAX = 200;

/** The table of permanent failures (migration 0003). */
export function createFailedJobsRepository(db: Db) {
  return {
    /** Idempotent: the dead-letter job's id is unique, so a second recording of it changes nothing. */
    async record(row: {
      deadJobId: string;
      name: string;
      municipalityCode: string | undefined;
      summary: JobSummary;
      lastError: string;
      attempts: number;
    }): Promise<void> {
      await db
        .insertInto('failed_jobs')
        .values({
          dead_job_id: row.deadJobId,
          name: row.name,
          municipality_code: row.municipalityCode ?? null,
          summary: JSON.stringify(row.summary),
          last_error: row.lastError,
          attempts: row.attempts,
        })
        .onConflict((oc) => oc.column('dead_job_id').doNothing())
        .execute();
    },

    /** Newest first; `beforeId` continues from the last row of the previous page. */
    async list(scope: FailedJobsScope, page: { limit: number; beforeId?: number }): Promise<FailedJob[]> {
      let query = db
        .selectFrom('failed_jobs')
        .select(['id', 'name', 'municipality_code', 'summary', 'last_error', 'attempts', 'failed_at'])
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(1, page.limit), FAILED_JOBS_PAGE_MAX));
      if ('municipalityCode' in scope) query = query.where('municipality_code', '=', scope.municipalityCode);
      if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
      const rows = await query.execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        municipalityCode: row.municipality_code ?? undefined,
        summary: row.summary,
        lastError: row.last_error,
        attempts: row.attempts,
        failedAt: row.failed_at,
      }));
    },
  };
}

export type FailedJobsRepository = ReturnType<typeof createFailedJobsRepository>;
