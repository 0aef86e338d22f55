import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { problems } from './schemas.js';
import { CSRF_HEADER, needsCsrf, SESSION_COOKIE } from './session.js';

const description = [
  'Vaccination booking. Errors are application/problem+json with a stable `code` and a translated `title`.',
  'Signing in (startSignIn → sendSignInCode → verifySignInCode) sets the `session` cookie and returns the',
  '`csrfToken` that every change must send back in the `csrf` header.',
  'While the waiting room is on, sending a code, verifying it, holding and booking also need the admission',
  'cookie (`yoyaku_admission`, or the `x-admission-token` header) that takeAdmission sets.',
].join(' ');

/**
 * The @fastify/swagger options: the document's frame, and a transform that completes each route
 * from the rules the server applies to all of them: a signed-in route that changes something also
 * needs the CSRF header (so route schemas say only who may call them), and a request with a body
 * may be refused before the route sees it.
 */
export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: { title: 'Yoyaku API', version: '1', description, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'HttpOnly cookie set by verifySignInCode' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'The `csrfToken` from verifySignInCode or getAccount' },
        operator: { type: 'http', scheme: 'bearer', description: 'WAITING_ROOM_ADMIN_TOKEN' },
      },
    },
  },
  // Shared schemas (the Problem) keep their own name in components/schemas.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  transform: ({ schema, url, route }) => {
    if (!schema || schema.hide) return { schema, url };
    const method = typeof route.method === 'string' ? route.method : route.method[0]!;
    const security = (schema.security ?? []).map((requirement) =>
      'session' in requirement && needsCsrf(method) ? { ...requirement, csrf: [] } : requirement,
    );
    // Any request with a body can be malformed, too large or not JSON, whatever the route.
    const response = method === 'GET' ? schema.response : { ...problems(400, 413, 415), ...(schema.response as object) };
    // No requirement is a public route: said explicitly, as `security: []`.
    return { schema: { ...schema, security, response }, url };
  },
};
