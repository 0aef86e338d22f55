/** What a handler knows about the run it is in. */
export interface JobContext {
  /** pg-boss's id of the job (the same on every attempt). */
  readonly id: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  readonly attempt: number;
  /**
   * Aborted when the run passes expireInSeconds or the worker is stopping and its grace is
   * over: stop soon. The job counts as failed then (and is retried while attempts remain).
   */
  readonly signal: AbortSignal;
}

/** A few words about a payload that staff may read: ids and counts, never personal data. */
export type JobSummary = Readonly<Record<string, string | number | boolean | null>>;

/**
 * pg-boss's queue policies: `standard` (any number waiting and running); `short` (one job per
 * singletonKey waiting); `singleton` (one per singletonKey running); `stately` (one waiting and
 * one running per singletonKey).
 */
export type JobPolicy = 'standard' | 'short' | 'singleton' | 'stately';

export interface JobDefinition<Payload> {
  /** Lower case, dots and dashes: `holds.release-expired`. */
  readonly name: string;
  /** Runs after the first that fail before the job is failed for good (0: one run only). */
  readonly retryLimit: number;
  /** Wait before a retry; with retryBackoff it doubles each time (randomised, 1 s at least). */
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  /**
   * The longest one run may take. Past it the run is aborted (see JobContext.signal) and
   * failed; if its worker died, another worker takes the job over TAKEOVER_MARGIN_SECONDS later
   * (once pg-boss's maintenance sees it). A handler must stop within it, or the same job could
   * run twice at once.
   */
  readonly expireInSeconds: number;
  readonly policy: JobPolicy;
  /** How many jobs of this kind one worker process runs at once. */
  readonly concurrency: number;
  /** Recorded with a permanent failure, for staff: never personal data. */
  readonly summarize: (payload: Payload) => JobSummary;
  /** The municipality a failure concerns, so its administrators see it; none for deployment-wide jobs. */
  readonly municipalityOf: (payload: Payload) => string | undefined;
  /**
   * The work. Throwing fails the run; the error's message and `code` are recorded, so they
   * must not hold personal data either.
   */
  readonly handler: (payload: Payload, context: JobContext) => Promise<void>;
}

export type JobOptions<Payload> = Pick<
  JobDefinition<Payload>,
  'name' | 'retryLimit' | 'retryDelaySeconds' | 'retryBackoff' | 'expireInSeconds' | 'handler'
> &
  Partial<Pick<JobDefinition<Payload>, 'policy' | 'concurrency' | 'summarize' | 'municipalityOf'>>;

const NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
/**
 * pg-boss's own expiry of a job, which lets another worker take over a job whose worker died,
 * comes this long after the run's abort: a live worker aborts and fails its run first, so the
 * job is never handed on while its handler is still being stopped.
 */
export const TAKEOVER_MARGIN_SECONDS = 5;
/** pg-boss refuses an expiry of a day or more. */
const MAX_EXPIRY_SECONDS = 24 * 3600 - 1 - TAKEOVER_MARGIN_SECONDS;

function wholeNumber(name: string, field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`job ${name}: ${field} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** A kind of background job, checked once when the module that defines it loads. */
export function defineJob<Payload = void>(options: JobOptions<Payload>): JobDefinition<Payload> {
  const { name } = options;
  if (!NAME.test(name) || name.length > 100) throw new Error(`job name "${name}" must be lower case words joined by dots or dashes`);
  wholeNumber(name, 'retryLimit', options.retryLimit, 0, 100);
  wholeNumber(name, 'retryDelaySeconds', options.retryDelaySeconds, options.retryBackoff ? 1 : 0, 86_400);
  wholeNumber(name, 'expireInSeconds', options.expireInSeconds, 1, MAX_EXPIRY_SECONDS);
  const concurrency = options.concurrency ?? 1;
  wholeNumber(name, 'concurrency', concurrency, 1, 100);
  return Object.freeze({
    policy: 'standard',
    summarize: () => ({}),
    municipalityOf: () => undefined,
    ...options,
    concurrency,
  });
}

/** The queue where pg-boss puts a job of `name` that failed for good (its dead letter). */
export function failedQueueOf(name: string): string {
  return `${name}__failed`;
}
