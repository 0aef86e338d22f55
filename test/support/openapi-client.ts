import createClient, { type Middleware } from 'openapi-fetch';
import { expect } from 'vitest';
import type { paths } from '../../shared/api/openapi.js';

type SecurityScheme = { type: 'apiKey'; in: 'cookie' | 'header'; name: string } | { type: 'http'; scheme: 'bearer' };
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { operationId?: string; security?: Record<string, string[]>[]; responses: Record<string, { content?: Record<string, unknown> }> }
    >
  >;
  components: { securitySchemes: Record<string, SecurityScheme> };
}

/** How the server must refuse a request that lacks one credential, per security scheme of the document. */
const refusals: Record<string, { status: number; code: string }> = {
  session: { status: 401, code: 'not-signed-in' },
  staffSession: { status: 401, code: 'not-signed-in' },
  csrf: { status: 403, code: 'csrf-failed' },
};

/**
 * A client generated from the OpenAPI document (openapi-fetch over the types of
 * shared/api/openapi.d.ts) that knows nothing the document does not say:
 * - it sends a credential only where the operation's `security` asks for it, where the scheme
 *   says (the resident's or the staff member's session cookie the server set, the CSRF header), so an
 *   operation that needs more than it documents fails;
 * - before each secured request it sends the same request once without each credential and
 *   expects the refusal, so an operation that documents more than it needs fails too;
 * - every answer must have a status and a media type the operation documents.
 * `called` collects the operationIds it sent, so a test can check it walked the whole API.
 */
export function contractClient(baseUrl: string, document: OpenApiDocument) {
  const cookies = new Map<string, string>();
  const secrets: Record<string, string> = {};
  const called = new Set<string>();

  function operationOf(schemaPath: string, method: string) {
    const operation = document.paths[schemaPath]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${schemaPath} is not in the document`);
    return operation;
  }

  /** The request with the credentials of `schemes`, from a copy taken before any was added. */
  function withCredentials(request: Request, schemes: string[]): Request {
    const headers = new Headers(request.headers);
    const cookie: string[] = [];
    for (const name of schemes) {
      const scheme = document.components.securitySchemes[name];
      if (!scheme) throw new Error(`security scheme ${name} is not described`);
      if (scheme.type === 'http') headers.set('authorization', `Bearer ${secrets[name] ?? ''}`);
      else if (scheme.in === 'header') headers.set(scheme.name, secrets[name] ?? '');
      else cookie.push(`${scheme.name}=${cookies.get(scheme.name) ?? ''}`);
    }
    if (cookie.length > 0) headers.set('cookie', cookie.join('; '));
    return new Request(request, { headers });
  }

  const contract: Middleware = {
    async onRequest({ request, schemaPath }) {
      const operation = operationOf(schemaPath, request.method);
      called.add(operation.operationId!);
      const schemes = Object.keys(operation.security?.[0] ?? {});
      for (const left of schemes) {
        const refused = await fetch(
          withCredentials(
            request.clone(),
            schemes.filter((s) => s !== left),
          ),
        );
        const problem = (await refused.json()) as { code: string };
        expect({ status: refused.status, code: problem.code }, `${operation.operationId} without ${left}`).toEqual(refusals[left]);
      }
      return withCredentials(request, schemes);
    },
    onResponse({ request, response, schemaPath }) {
      const operation = operationOf(schemaPath, request.method);
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const documented = operation.responses[String(response.status)];
      expect(documented, `${operation.operationId} answered ${response.status}, which it does not document`).toBeDefined();
      const mediaType = response.headers.get('content-type')?.split(';')[0];
      if (mediaType) expect(Object.keys(documented!.content ?? {}), `${operation.operationId} ${response.status}`).toContain(mediaType);
      return undefined;
    },
  };

  const client = createClient<paths>({ baseUrl });
  client.use(contract);
  return {
    client,
    called,
    /** A credential the document's scheme names: the CSRF token from verify or a staff sign-in. */
    setSecret(scheme: string, value: string) {
      secrets[scheme] = value;
    },
  };
}
