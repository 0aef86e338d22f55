import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Args = Parameters<FastifyBaseLogger['info']>;

/**
 * Fastify gives every request a child logger with the request's id among its bindings, and pino
 * serialises those bindings when the child is made: a few microseconds and some garbage on every
 * request, though most requests log nothing (request lines are sampled, logger-requests.ts). This
 * child is made the first time the request logs, with the same bindings and options.
 */
class LazyChildLogger {
  #made: Logger | undefined;
  constructor(
    readonly parent: Logger,
    readonly bindings: Parameters<FastifyBaseLogger['child']>[0],
    readonly options: Parameters<FastifyBaseLogger['child']>[1],
  ) {}
  get #logger(): Logger {
    return (this.#made ??= this.parent.child(this.bindings, this.options));
  }
  get level(): string {
    return this.#made?.level ?? this.options?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.#logger.level = level;
  }
  #call(method: Method, args: Args): void {
    // A level the parent would drop costs nothing, not even the child.
    if (!this.#made && !this.parent.isLevelEnabled(method) && this.options?.level === undefined) return;
    (this.#logger[method] as (...a: Args) => void)(...args);
  }
  fatal(...args: Args): void {
    this.#call('fatal', args);
  }
  error(...args: Args): void {
    this.#call('error', args);
  }
  warn(...args: Args): void {
    this.#call('warn', args);
  }
  info(...args: Args): void {
    this.#call('info', args);
  }
  debug(...args: Args): void {
    this.#call('debug', args);
  }
  trace(...args: Args): void {
    this.#call('trace', args);
  }
  silent(): void {}
  child(...args: Parameters<FastifyBaseLogger['child']>): FastifyBaseLogger {
    return this.#logger.child(...args);
  }
  isLevelEnabled(level: string): boolean {
    return this.#logger.isLevelEnabled(level);
  }
}

export const lazyChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  new LazyChildLogger(logger as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger;
