import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';

export type FetchedJob = PgBoss.JobWithMetadata<unknown>;

export interface WorkerLoop {
  /** Stops fetching; resolves when no run of this loop is in flight any more. */
  drain(): Promise<void>;
  /** The runs still going, to give back. */
  inFlight(): FetchedJob[];
}

/**
 * Asks pg-boss for jobs of one queue and runs up to `concurrency` at once. pg-boss's fetch
 * takes each job with FOR UPDATE SKIP LOCKED and marks it active in the same statement, so two
 * workers never get the same job. Unlike pg-boss's own `work()`, it fetches again at once while
 * there is work (work() sleeps a polling interval after every batch) and waits for its
 * complete/fail calls, so a failed call is logged instead of becoming an unhandled rejection.
 */
export function startWorkerLoop(options: {
  boss: PgBoss;
  queue: string;
  concurrency: number;
  pollMs: number;
  logger: Logger;
  run: (job: FetchedJob) => Promise<void>;
}): WorkerLoop {
  const { boss, queue, concurrency, pollMs, logger } = options;
  const running = new Map<string, { job: FetchedJob; done: Promise<void> }>();
  let stopping = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    while (!stopping) {
      const free = concurrency - running.size;
      if (free === 0) {
        await pause(pollMs); // until a run ends
        continue;
      }
      let jobs: FetchedJob[] = [];
      try {
        jobs = await boss.fetch(queue, { batchSize: free, includeMetadata: true });
      } catch (error) {
        logger.warn({ err: error, queue }, 'job worker: fetch failed');
      }
      for (const job of jobs) {
        const done = options.run(job).finally(() => {
          running.delete(job.id);
          wake?.();
        });
        running.set(job.id, { job, done });
      }
      // A full batch means more may be waiting: ask again as soon as there is room.
      if (jobs.length < free && !stopping) await pause(pollMs);
    }
  })();

  return {
    async drain() {
      stopping = true;
      wake?.();
      await loop;
      await Promise.all([...running.values()].map((r) => r.done));
    },
    inFlight: () => [...running.values()].map((r) => r.job),
  };
}
