import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fixedSecurityHeaders } from '../../platform/security-headers.js';
import type { StatusDocument } from './room-state.js';

const PREFIX = '/api/v1/waiting-room/queues/';
const SUFFIX = '/status';
const QUEUE_ID = /^[0-9]{6}(-[a-z0-9-]{1,20})?$/;
const CACHE_CONTROL = 'public, max-age=2, stale-while-revalidate=5, stale-if-error=60';

interface Prebuilt {
  document: StatusDocument;
  /** Raw header lists ([name, value, name, value…]), the form writeHead takes without copying. */
  ok: string[];
  notModified: string[];
  body: Buffer;
}

/**
 * The status every waiting page polls, answered before Fastify routes the request: the same
 * bytes and headers as the route in waiting-room.routes.ts (which still answers everything this
 * does not: a queue this process has no document for yet, a query string, HTTPS, HEAD), with the
 * headers of each document built once per tick instead of once per poll. On a plain GET of a
 * known queue nothing else would run anyway: the route has no log line, no session, no body.
 * Not used behind a trusted proxy (TRUST_PROXY), where the request's protocol decides HSTS.
 */
export function createStatusFastPath(documentOf: (queueId: string) => StatusDocument | undefined) {
  const security = fixedSecurityHeaders();
  const prebuilt = new Map<string, Prebuilt>();

  function prepare(queueId: string, document: StatusDocument): Prebuilt {
    const known = prebuilt.get(queueId);
    if (known?.document === document) return known;
    const body = Buffer.from(document.body);
    const common: [string, string][] = [...security, ['cache-control', CACHE_CONTROL], ['etag', document.etag]];
    const fresh = {
      document,
      body,
      ok: [...common, ['content-type', 'application/json; charset=utf-8'], ['content-length', String(body.length)]].flat(),
      notModified: common.flat(),
    };
    prebuilt.set(queueId, fresh);
    return fresh;
  }

  /** Answers the request when it is a plain status poll of a known queue; false to let Fastify have it. */
  return function answer(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url;
    if (request.method !== 'GET' || !url || !url.startsWith(PREFIX) || !url.endsWith(SUFFIX)) return false;
    if ((request.socket as TLSSocket).encrypted) return false;
    const queueId = url.slice(PREFIX.length, url.length - SUFFIX.length);
    if (!QUEUE_ID.test(queueId)) return false;
    const document = documentOf(queueId);
    if (!document) return false;
    if (prebuilt.size > 10_000) prebuilt.clear();
    const answer = prepare(queueId, document);
    if (request.headers['if-none-match'] === document.etag) {
      response.writeHead(304, answer.notModified);
      response.end();
    } else {
      response.writeHead(200, answer.ok);
      response.end(answer.body);
    }
    return true;
  };
}

export type StatusFastPath = ReturnType<typeof createStatusFastPath>;
