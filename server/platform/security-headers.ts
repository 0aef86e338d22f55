import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * What every page may load: its own scripts, styles and images only (no inline script or style,
 * no eval), talking to its own origin, framed by nobody. The resident app, its built assets and
 * the waiting page all live by this; the Swagger UI has its own (swaggerUiCsp).
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // The app's favicon is a data: URL.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI draws with inline styles; its scripts are still files of its own. */
export const swaggerUiCsp = { ...contentSecurityPolicy, 'style-src': ["'self'", "'unsafe-inline'"] };

const helmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'same-origin' as const },
  strictTransportSecurity: false,
};

/** Two years, the subdomains too: what browsers' preload lists ask for. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Security headers on every answer, in one place:
 * - helmet's set (CSP above, nosniff, frame denial, a referrer policy that sends other sites
 *   nothing, cross-origin isolation of our resources);
 * - HSTS only when the request came over TLS, directly or as a trusted proxy says (TRUST_PROXY):
 *   sent over plain HTTP it would be ignored at best, and locks out a site without TLS at worst;
 * - `Cache-Control: no-store` on every API answer that does not say it may be cached. Answers
 *   that carry personal data (the account, reservations, look-up, sign-in, problems) thus never
 *   sit in a browser's or a proxy's cache, including routes added later; the few public,
 *   cacheable documents (venues, slot marks, the waiting room's status) set their own.
 *
 * helmet decides the headers, once, at start; @fastify/helmet 13 builds its middleware again on
 * every request. CPU per request of a trivial route, measured: 10 µs without headers, 18-19 µs
 * running helmet's built middleware per request, 25-33 µs with @fastify/helmet. Every booking pays it.
 */
export function registerSecurityHeaders(server: FastifyInstance): void {
  // helmet's answer to a request never depends on the request (no nonces here): it is taken once
  // and written as it is, one setHeader each, instead of running its thirteen middlewares per request.
  const headers = fixedSecurityHeaders();
  server.addHook('onRequest', (request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  server.addHook('onSend', (request, reply, payload, done) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/**
 * The headers registerSecurityHeaders' helmet set writes, as name/value pairs, for an answer sent
 * without Fastify (the waiting room's prebuilt status answers). Plain HTTP only: no HSTS.
 */
export function fixedSecurityHeaders(): [string, string][] {
  const headers = helmet(helmetOptions);
  const collected = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: unknown) => collected.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => collected.delete(name.toLowerCase()),
  };
  headers({} as never, response as never, () => undefined);
  return [...collected];
}
