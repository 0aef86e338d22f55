import { defineJob, type JobDefinition } from '../../platform/jobs/index.js';
import { UnreadableFileError, type ImportRunner } from './import-runner.js';

export interface ImportJobPayload {
  importId: number;
  municipalityCode: string;
}

const RETRY_LIMIT = 3;

/**
 * One import as a background job. A run that dies (a crash, a deploy) is retried and goes on
 * from the last batch written; a file that cannot be read fails at once, and the import says why.
 */
export function residentImportJob(runner: ImportRunner): JobDefinition<ImportJobPayload> {
  return defineJob<ImportJobPayload>({
    name: 'residents.import',
    retryLimit: RETRY_LIMIT,
    retryDelaySeconds: 5,
    retryBackoff: true,
    // 300,000 rows take about a minute; an hour leaves room for a busy database.
    expireInSeconds: 3600,
    concurrency: 1,
    summarize: ({ importId }) => ({ importId }),
    municipalityOf: ({ municipalityCode }) => municipalityCode,
    handler: async ({ importId }, context) => {
      try {
        await runner.run(importId, context.signal);
      } catch (error) {
        if (error instanceof UnreadableFileError) return runner.fail(importId, error.message);
        if (context.attempt > RETRY_LIMIT) await runner.fail(importId, (error as Error).message ?? 'failed');
        throw error;
      }
    },
  });
}
