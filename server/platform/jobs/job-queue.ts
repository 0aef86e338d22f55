import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { pgErrorCode } from '../../db/transaction.js';
import { failedQueueOf, TAKEOVER_MARGIN_SECONDS, type JobDefinition } from './define-job.js';
import { inTransactionOf } from './engine.js';
import { createFailedJobsRepository } from './failed-jobs.repository.js';
import { startWorkerLoop, type FetchedJob, type WorkerLoop } from './worker-loop.js';

export interface SendOptions {
  /**
   * The caller's transaction (a Kysely Transaction): the job is written in it, so it exists if
   * and only if the transaction commits.
   */
  tx?: Db;
  /**
   * With singletonSeconds: at most one job per key in each window of that many seconds (a
   * second send in the window is dropped). Under the `short`, `singleton` and `stately`
   * policies: see JobPolicy. Alone under `standard`, it has no effect.
   */
  singletonKey?: string;
  singletonSeconds?: number;
  /** Not before this moment (a Date), or this many seconds from now. */
  startAfter?: Date | number;
}

export interface JobQueue {
  /** Every kind of job this process may send or run; before start. */
  register(...jobs: JobDefinition<any>[]): void;
  /** Runs `job` once per period of a cron expression (minute resolution) in an IANA time zone. */
  schedule(job: JobDefinition<void>, cron: string, timeZone: string): void;
  /** Runs `job` once in every window of `seconds` across all workers: for periods under a minute. */
  every(job: JobDefinition<void>, seconds: number): void;
  /** Creates the queues; with `work`, also runs the workers, schedules and repeats. */
  start(options: { work: boolean }): Promise<void>;
  /**
   * Enqueues a job. Undefined when a singleton rule dropped it (one is already there).
   * Throws for a kind that was not registered: pg-boss would drop it without a word.
   */
  send<Payload>(job: JobDefinition<Payload>, payload: Payload, options?: SendOptions): Promise<string | undefined>;
  /** Enqueues one job per payload in one statement (in the caller's transaction with `tx`). */
  sendMany<Payload>(job: JobDefinition<Payload>, payloads: Payload[], options?: { tx?: Db }): Promise<void>;
  /** Stops fetching, lets running jobs finish within the grace, gives the rest back, closes pg-boss. */
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  boss: PgBoss;
  db: Db;
  logger: Logger;
  pollMs: number;
  /** How long running jobs may take to finish when the process stops. */
  stopGraceMs: number;
}

const RECORD_ATTEMPTS = 4;
/** A job without payload stores null (pg-boss's types ask for an object, its SQL takes null). */
const NO_PAYLOAD = null as unknown as object;

/**
 * pg-boss makes each queue a partition of its job table (CREATE TABLE, ATTACH PARTITION). Two
 * processes creating queues at once (an api and a worker starting together on a new database)
 * can deadlock on the parent table; PostgreSQL then cancels one, whose transaction left
 * nothing, and it is simply tried again.
 */
async function withDeadlockRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (pgErrorCode(error) !== '40P01' || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
}

/** A recorded error: its message and code, never its stack. */
function errorOutput(error: unknown): { message: string; code?: string } {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  return code === undefined ? { message } : { message, code };
}

/** pg-boss's output of a failed job: ours ({ message, code }), its timeout's ({ value: { message } }) or a bare value. */
function lastErrorOf(output: unknown): string {
  const value = output as { message?: unknown; code?: unknown; value?: unknown } | null | undefined;
  if (typeof value?.message === 'string') return typeof value.code === 'string' ? `${value.code}: ${value.message}` : value.message;
  if (value?.value !== undefined) return lastErrorOf(typeof value.value === 'string' ? { message: value.value } : value.value);
  return 'unknown error';
}

/** Calls a definition's summary function without letting its bug lose the failure record. */
function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Our face on pg-boss: typed definitions, our worker loops, failures recorded for staff. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { boss, logger, pollMs } = options;
  const failures = createFailedJobsRepository(options.db);
  const definitions = new Map<string, JobDefinition<any>>();
  const schedules = new Map<string, { cron: string; timeZone: string }>();
  const repeats = new Map<string, number>();
  const loops: WorkerLoop[] = [];
  const timers: NodeJS.Timeout[] = [];
  const stopping = new AbortController();
  let state: 'new' | 'starting' | 'started' | 'stopped' = 'new';

  function registered(name: string): JobDefinition<any> {
    const job = definitions.get(name);
    if (!job) throw new Error(`job ${name} is not registered with the job queue`);
    return job;
  }

  async function createQueues(job: JobDefinition<any>): Promise<void> {
    const failed = failedQueueOf(job.name);
    // pg-boss writes dead letters itself (they keep the job's data, its last output and its retryLimit).
    if (!(await boss.getQueue(failed))) await withDeadlockRetries(() => boss.createQueue(failed, { name: failed, policy: 'standard' }));
    const queue: PgBoss.Queue = {
      name: job.name,
      policy: job.policy,
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: job.retryBackoff,
      expireInSeconds: job.expireInSeconds + TAKEOVER_MARGIN_SECONDS,
      deadLetter: failed,
    };
    // createQueue keeps an existing queue as it is; updateQueue brings it to this definition.
    if (!(await boss.getQueue(job.name))) await withDeadlockRetries(() => boss.createQueue(job.name, queue));
    await withDeadlockRetries(() => boss.updateQueue(job.name, queue));
  }

  async function runJob(job: JobDefinition<any>, fetched: FetchedJob): Promise<void> {
    const attempt = fetched.retryCount + 1;
    const expiry = AbortSignal.timeout(job.expireInSeconds * 1000);
    const signal = AbortSignal.any([expiry, stopping.signal]);
    try {
      await job.handler(fetched.data, { id: fetched.id, attempt, signal });
    } catch (error) {
      const output = expiry.aborted ? { message: `the run took longer than its ${job.expireInSeconds} s` } : errorOutput(error);
      const last = attempt > fetched.retryLimit;
      logger.warn(
        { job: job.name, jobId: fetched.id, attempt, error: output.message, code: output.code },
        last ? 'job failed for good' : 'job failed; it will be retried',
      );
      await boss.fail(job.name, fetched.id, output).catch((failError: unknown) => {
        // It stays active until pg-boss's maintenance expires it, then it is retried as usual.
        logger.warn({ err: failError, job: job.name, jobId: fetched.id }, 'job worker: could not record a failed run');
      });
      return;
    }
    await boss.complete(job.name, fetched.id).catch((error: unknown) => {
      // Done but not marked: pg-boss will expire and retry it, so handlers must tolerate a second run.
      logger.warn({ err: error, job: job.name, jobId: fetched.id }, 'job worker: could not mark a job completed');
    });
  }

  /** The dead letter pg-boss made of a job that failed for good, written to failed_jobs. */
  async function recordFailure(job: JobDefinition<any>, dead: FetchedJob): Promise<void> {
    await failures.record({
      deadJobId: dead.id,
      name: job.name,
      municipalityCode: safely(() => job.municipalityOf(dead.data), undefined),
      summary: safely(() => job.summarize(dead.data), { summary: 'unavailable' }),
      lastError: lastErrorOf(dead.output),
      // pg-boss fails a job for good after its retryLimit retries, and copies that limit here.
      attempts: dead.retryLimit + 1,
    });
    await boss.complete(failedQueueOf(job.name), dead.id);
  }

  /**
   * A dead letter carries its job's retryLimit, which may be 0: a database blip while recording
   * must not lose the record, so the recording itself is tried a few times here.
   */
  async function recordWithRetries(job: JobDefinition<any>, dead: FetchedJob): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await recordFailure(job, dead);
      } catch (error) {
        if (attempt === RECORD_ATTEMPTS || stopping.signal.aborted) {
          logger.error({ err: error, job: job.name }, 'job worker: could not record a job that failed for good');
          await boss.fail(failedQueueOf(job.name), dead.id, errorOutput(error)).catch(() => undefined);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
      }
    }
  }

  function startWorking(): void {
    for (const job of definitions.values()) {
      loops.push(
        startWorkerLoop({ boss, queue: job.name, concurrency: job.concurrency, pollMs, logger, run: (fetched) => runJob(job, fetched) }),
        startWorkerLoop({
          boss,
          queue: failedQueueOf(job.name),
          concurrency: 1,
          pollMs: pollMs * 2,
          logger,
          run: (dead) => recordWithRetries(job, dead),
        }),
      );
    }
    for (const [name, seconds] of repeats) {
      // Every worker offers the job twice a window; pg-boss keeps one per window (singletonSeconds
      // slots on the database's clock), so the window is covered even when a timer runs late.
      const offer = () =>
        void boss.send(name, NO_PAYLOAD, { singletonKey: name, singletonSeconds: seconds }).catch((error: unknown) => {
          logger.warn({ err: error, job: name }, 'job queue: could not offer a repeating job');
        });
      offer();
      const timer = setInterval(offer, (seconds * 1000) / 2);
      timer.unref();
      timers.push(timer);
    }
  }

  /**
   * Upserts this process's schedules. One that was dropped from the code is not removed here
   * (during a rolling deploy, old and new processes would take turns removing each other's):
   * it stays in pg-boss's schedule table until someone unschedules it (docs/adr/0005).
   */
  async function applySchedules(): Promise<void> {
    for (const [name, { cron, timeZone }] of schedules) {
      // singletonSeconds 60: a job per minute slot at most, even if the schedule fired twice.
      await boss.schedule(name, cron, NO_PAYLOAD, { tz: timeZone, singletonKey: name, singletonSeconds: 60 });
    }
  }

  return {
    register(...jobs) {
      if (state !== 'new') throw new Error('register jobs before the job queue starts');
      for (const job of jobs) {
        const known = definitions.get(job.name);
        if (known && known !== job) throw new Error(`two jobs are named ${job.name}`);
        definitions.set(job.name, job);
      }
    },

    schedule(job, cron, timeZone) {
      registered(job.name);
      // Refused here rather than at start: Intl throws a RangeError for an unknown zone.
      new Intl.DateTimeFormat('en', { timeZone });
      schedules.set(job.name, { cron, timeZone });
    },

    every(job, seconds) {
      registered(job.name);
      if (!Number.isInteger(seconds) || seconds < 2 || seconds > 3600) throw new Error(`job ${job.name}: every must be 2 to 3600 seconds`);
      repeats.set(job.name, seconds);
    },

    async start({ work }) {
      if (state !== 'new') throw new Error('the job queue starts once');
      state = 'starting';
      await boss.start();
      for (const job of definitions.values()) await createQueues(job);
      if (work) {
        await applySchedules();
        startWorking();
      }
      state = 'started';
    },

    async send(job, payload, sendOptions = {}) {
      registered(job.name);
      if (state !== 'started') throw new Error(`job ${job.name} sent before the job queue started (or after it stopped)`);
      const { startAfter } = sendOptions;
      const id = await boss.send(job.name, payload ?? NO_PAYLOAD, {
        singletonKey: sendOptions.singletonKey,
        singletonSeconds: sendOptions.singletonSeconds,
        startAfter: typeof startAfter === 'number' ? Math.max(1, Math.ceil(startAfter)) : startAfter,
        ...(sendOptions.tx ? { db: inTransactionOf(sendOptions.tx) } : {}),
      });
      return id ?? undefined;
    },

    async sendMany(job, payloads, sendOptions = {}) {
      registered(job.name);
      if (state !== 'started') throw new Error(`job ${job.name} sent before the job queue started (or after it stopped)`);
      if (payloads.length === 0) return;
      // pg-boss's insert takes the queue's retry, expiry and dead-letter settings, as send does.
      await boss.insert(
        payloads.map((data) => ({ name: job.name, data: (data ?? NO_PAYLOAD) as object })),
        sendOptions.tx ? { db: inTransactionOf(sendOptions.tx) } : {},
      );
    },

    async stop() {
      if (state === 'stopped') return;
      const wasStarted = state === 'started';
      state = 'stopped';
      for (const timer of timers.splice(0)) clearInterval(timer);
      if (!wasStarted) return;
      const drained = Promise.all(loops.map((loop) => loop.drain()));
      const inTime = await Promise.race([
        drained.then(() => true),
        new Promise<boolean>((r) => setTimeout(r, options.stopGraceMs, false).unref()),
      ]);
      if (!inTime) {
        // Tell the handlers, then give their jobs back: failed now, retried by another worker.
        stopping.abort(new Error('the worker is stopping'));
        const left = loops.flatMap((loop) => loop.inFlight());
        logger.warn({ jobs: left.length }, 'job worker: stopping with jobs still running; giving them back');
        await Promise.all(
          left.map((job) => boss.fail(job.name, job.id, { message: 'the worker stopped before the job finished' }).catch(() => undefined)),
        );
      }
      await boss.stop({ graceful: true, timeout: 2000, wait: true });
    },
  };
}
