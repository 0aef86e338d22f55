/** Background jobs on pg-boss (docs/adr/0005): typed definitions, a queue to send, workers, failures for staff. */
export { defineJob, type JobContext, type JobDefinition, type JobOptions, type JobPolicy, type JobSummary } from './define-job.js';
export { createJobEngine, type JobEngineOptions } from './engine.js';
export { failedJobsRoutes } from './failed-jobs.routes.js';
export { createFailedJobsService, type FailedJobsService } from './failed-jobs.service.js';
export { FAILED_JOBS_PAGE_MAX, type FailedJob, type FailedJobsScope } from './failed-jobs.repository.js';
export { createJobQueue, type JobQueue, type JobQueueOptions, type SendOptions } from './job-queue.js';
