import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChildLogger } from './lazy-child-logger.js';

function loggerWithLines(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level }, stream);
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children++;
    return child(...args);
  }) as typeof logger.child;
  return { logger, lines, children: () => children };
}

describe('the lazy child logger of a request', () => {
  it('makes no child for a request that logs nothing, nor for a line below the level', () => {
    const { logger, children } = loggerWithLines('info');
    const log = lazyChildLogger.call(undefined as never, logger as never, { reqId: 'r-1' }, {}, undefined as never);
    log.debug('dropped');
    log.trace({ a: 1 }, 'dropped too');
    expect(children()).toBe(0);
    expect(log.level).toBe('info');
  });

  it('writes a line with the request’s bindings, making the child once', async () => {
    const { logger, lines, children } = loggerWithLines('info');
    const log = lazyChildLogger.call(undefined as never, logger as never, { reqId: 'r-2' }, {}, undefined as never);
    log.info({ status: 200 }, 'first');
    log.error(new Error('boom'), 'second');
    await new Promise((resolve) => setImmediate(resolve));
    expect(children()).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.level])).toEqual([
      ['r-2', 'first', 30],
      ['r-2', 'second', 50],
    ]);
    expect(lines[0]!.status).toBe(200);
  });

  it('keeps the options of the child: a route at debug logs its debug lines', async () => {
    const { logger, lines } = loggerWithLines('info');
    const log = lazyChildLogger.call(undefined as never, logger as never, { reqId: 'r-3' }, { level: 'debug' }, undefined as never);
    expect(log.level).toBe('debug');
    log.debug('kept');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });
});
