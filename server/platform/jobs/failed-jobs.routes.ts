import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdSchema, InstantSchema, problems, staffSignedIn } from '../schemas.js';
import { FAILED_JOBS_PAGE_MAX, type FailedJobsService } from './failed-jobs.service.js';

const FailedJobSchema = Type.Object({
  id: IdSchema,
  name: Type.String({ description: 'The job definition, e.g. `holds.release-expired`' }),
  municipalityCode: Type.Union([Type.String(), Type.Null()], { description: 'Null for deployment-wide jobs (sweeps)' }),
  summary: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    description: 'Ids and counts of the payload, never personal data',
  }),
  lastError: Type.String({ description: 'The error code and message of the last run' }),
  attempts: Type.Integer({ minimum: 1 }),
  failedAt: InstantSchema,
});

/**
 * Jobs that failed for good (retries used up), for super-administrators. The summaries and errors
 * hold no personal data (define-job.ts), so reading them is not an audited view.
 */
export function failedJobsRoutes(deps: { failedJobs: FailedJobsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/staff/jobs/failed',
      {
        config: { action: 'jobs.view-failed' },
        schema: {
          tags: ['staff-jobs'],
          operationId: 'listFailedJobs',
          summary: 'Super-administrators: background jobs that failed for good, newest first',
          security: staffSignedIn,
          querystring: Type.Object(
            {
              before: Type.Optional(
                Type.Integer({ minimum: 1, description: 'Continue after this id (`nextBefore` of the previous page)' }),
              ),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FAILED_JOBS_PAGE_MAX, default: 50 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              jobs: Type.Array(FailedJobSchema),
              nextBefore: Type.Union([Type.Integer(), Type.Null()], {
                description: 'Pass as `before` for the next page; null on the last',
              }),
            }),
            ...problems(400),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const jobs = await deps.failedJobs.list({ all: true }, { limit, beforeId: request.query.before });
        return {
          jobs: jobs.map((job) => ({
            id: job.id,
            name: job.name,
            municipalityCode: job.municipalityCode ?? null,
            summary: job.summary,
            lastError: job.lastError,
            attempts: job.attempts,
            failedAt: job.failedAt.toISOString(),
          })),
          nextBefore: jobs.length === limit ? jobs[jobs.length - 1]!.id : null,
        };
      },
    );
  };
}
