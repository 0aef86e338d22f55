import type { FastifyInstance } from 'fastify';

/** A request this slow is always logged, sampled or not. */
const SLOW_MS = 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False for routes polled by many (the waiting room's status): never logged one by one. */
    logRequests?: boolean;
  }
}

/**
 * One line per logged request (Fastify's own logging writes two per request, with the headers),
 * for one request in `every` (0: none); failures (5xx) and slow requests are always logged.
 * Lines name the route pattern, not the URL, so no reservation number or queue id reaches them.
 * At thousands of bookings a second a line per request is most of the cost of a request and
 * tells an operator nothing the sampled counts do not.
 */
export function registerRequestLog(server: FastifyInstance, options: { every: number }): void {
  let seen = 0;
  server.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    const always = status >= 500 || ms >= SLOW_MS;
    if (!always) {
      if (options.every === 0 || request.routeOptions.config.logRequests === false) return done();
      seen += 1;
      if (seen % options.every !== 0) return done();
    }
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        statusCode: status,
        ms: Math.round(ms * 10) / 10,
        sampledOneIn: always ? 1 : options.every,
      },
      'request',
    );
    done();
  });
}
