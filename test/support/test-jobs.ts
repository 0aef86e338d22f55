/**
 * The jobs of test/support/job-process.ts, also registered (to send them) by the tests that
 * start such processes. Every run is handed to `record`.
 */
import { defineJob, type JobContext, type JobQueue } from '../../server/platform/jobs/index.js';

export interface JobRun {
  job: string;
  key: string;
  jobId: string;
  attempt: number;
  pid: number;
  phase: 'ran' | 'started' | 'done';
}

export type RecordRun = (run: Omit<JobRun, 'pid'>) => Promise<void>;

export function registerTestJobs(jobs: JobQueue, record: RecordRun) {
  const ran = (job: string) => async (payload: { key: string } | void, context: JobContext) =>
    record({ job, key: payload?.key ?? '', jobId: context.id, attempt: context.attempt, phase: 'ran' });
  const recordJob = defineJob<{ key: string }>({
    name: 'test.record',
    retryLimit: 0,
    retryDelaySeconds: 0,
    retryBackoff: false,
    expireInSeconds: 60,
    concurrency: 8,
    handler: ran('test.record'),
  });
  // Its first run hangs until it is aborted (or its process killed); a retry finishes.
  const hangJob = defineJob<{ key: string }>({
    name: 'test.hang',
    retryLimit: 3,
    retryDelaySeconds: 0,
    retryBackoff: false,
    expireInSeconds: 4,
    handler: async ({ key }, context) => {
      await record({ job: 'test.hang', key, jobId: context.id, attempt: context.attempt, phase: 'started' });
      if (context.attempt === 1) {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        throw new Error('aborted');
      }
      await record({ job: 'test.hang', key, jobId: context.id, attempt: context.attempt, phase: 'done' });
    },
  });
  const everyTwoSeconds = defineJob({
    name: 'test.every',
    retryLimit: 0,
    retryDelaySeconds: 0,
    retryBackoff: false,
    expireInSeconds: 30,
    handler: ran('test.every'),
  });
  const everyMinute = defineJob({
    name: 'test.cron',
    retryLimit: 0,
    retryDelaySeconds: 0,
    retryBackoff: false,
    expireInSeconds: 30,
    handler: ran('test.cron'),
  });
  jobs.register(recordJob, hangJob, everyTwoSeconds, everyMinute);
  jobs.every(everyTwoSeconds, 2);
  jobs.schedule(everyMinute, '* * * * *', 'Asia/Tokyo');
  return { recordJob, hangJob };
}
