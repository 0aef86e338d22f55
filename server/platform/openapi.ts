import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { isAction, scopeOf, STAFF_SESSION_COOKIE } from './access/index.js';
import { problems } from './schemas.js';
import { CSRF_HEADER, needsCsrf, SESSION_COOKIE } from './session.js';

const description = [
  'Vaccination booking. Errors are application/problem+json with a stable `code` and a translated `title`.',
  'Signing in (startSignIn → sendSignInCode → verifySignInCode) sets the `session` cookie and returns the',
  '`csrfToken` that every change must send back in the `csrf` header.',
  'While the waiting room is on, sending a code, verifying it, holding and booking also need the admission',
  'cookie (`yoyaku_admission`, or the `x-admission-token` header) that takeAdmission sets.',
  'Staff routes (/api/v1/staff) use the `staffSession` cookie that signInStaff sets, and the same `csrf` header on',
  'every change; each names the action it performs in `x-yoyaku-action` (server/platform/access/actions.ts).',
  'A route of a municipality answers 404 municipality-not-found to anyone who does not work there, whether it exists',
  'or not, and 403 forbidden to a member whose roles do not allow the action.',
].join(' ');

/**
 * The @fastify/swagger options: the document's frame, and a transform that completes each route
 * from the rules the server applies to all of them: a signed-in route that changes something also
 * needs the CSRF header (so route schemas say only who may call them), and a request with a body
 * may be refused before the route sees it.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** The content types of a route whose body is an uploaded file (documented as binary). */
    uploadTypes?: string[];
  }
}

export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: { title: 'Yoyaku API', version: '1', description, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'HttpOnly cookie set by verifySignInCode' },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'The `csrfToken` from verifySignInCode or getAccount' },
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: STAFF_SESSION_COOKIE,
          description: 'HttpOnly cookie set by signInStaff (and by enrolment and password reset); path /api/v1/staff',
        },
      },
    },
  },
  // Shared schemas (the Problem) keep their own name in components/schemas.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  transform: ({ schema, url, route }) => {
    if (!schema || schema.hide) return { schema, url };
    const method = typeof route.method === 'string' ? route.method : route.method[0]!;
    const security = (schema.security ?? []).map((requirement) =>
      ('session' in requirement || 'staffSession' in requirement) && needsCsrf(method) ? { ...requirement, csrf: [] } : requirement,
    );
    // Any request with a body can be malformed, too large or not JSON, whatever the route.
    const bodyProblems = method === 'GET' ? {} : problems(400, 413, 415);
    // What the access hook answers before the route runs (server/platform/access/access-hook.ts).
    const action = route.config?.action;
    const scope = isAction(action) ? scopeOf(action) : undefined;
    const accessProblems = scope === undefined || scope === 'public' ? {} : problems(401, 403, ...(scope === 'municipality' ? [404] : []));
    const response = { ...bodyProblems, ...accessProblems, ...(schema.response as object) };
    const extension = scope === undefined ? {} : { 'x-yoyaku-action': action };
    // An upload's body is the file itself, read as bytes (no schema validates it): documented here.
    const uploadTypes = route.config?.uploadTypes;
    const upload = uploadTypes ? { consumes: uploadTypes, body: { type: 'string', format: 'binary', description: 'The file' } } : {};
    // No requirement is a public route: said explicitly, as `security: []`.
    return { schema: { ...schema, ...upload, security, response, ...extension }, url };
  },
};
