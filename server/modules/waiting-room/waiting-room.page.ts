import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** web/waiting-room from the source tree or next to the compiled server. */
function findPageRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../../../web/waiting-room'), path.resolve(here, '../../../../web/waiting-room'), path.resolve('web/waiting-room')].find(
    (dir) => fs.existsSync(path.join(dir, 'index.html')),
  );
}

/**
 * Serves the waiting page at /waiting-room/ from memory. In production a CDN serves these few
 * static files (docs/waiting-room.md); this route is for a single machine and for development.
 */
export function waitingRoomPage(root = findPageRoot()): FastifyPluginAsync {
  return async (app) => {
    if (!root) return;
    const files = new Map<string, { body: Buffer; type: string }>();
    for (const name of fs.readdirSync(root)) {
      const type = TYPES[path.extname(name)];
      if (type && !name.includes('.test.')) files.set(name, { body: fs.readFileSync(path.join(root, name)), type });
    }
    app.get('/waiting-room/', { schema: { hide: true } }, async (_request, reply) => send(reply, 'index.html'));
    app.get('/waiting-room', { schema: { hide: true } }, async (request, reply) =>
      reply.redirect(`/waiting-room/${request.url.slice('/waiting-room'.length)}`),
    );
    app.get<{ Params: { file: string } }>('/waiting-room/:file', { schema: { hide: true } }, async (request, reply) =>
      send(reply, request.params.file),
    );

    function send(reply: import('fastify').FastifyReply, name: string) {
      const file = files.get(name);
      if (!file) return reply.code(404).type('text/plain').send('not found');
      if (name.startsWith('operator.')) {
        // The operators' screen: a handful of users who must get a fix at once, nothing for a CDN
        // to share; and a page with pause buttons must not be framed by another site (clickjacking).
        return reply
          .header('cache-control', 'no-cache')
          .header('x-frame-options', 'DENY')
          .header('content-security-policy', "frame-ancestors 'none'")
          .type(file.type)
          .send(file.body);
      }
      // Short lifetime: the page has no build step (no hashed names), so a change must show soon.
      return reply.header('cache-control', 'public, max-age=300').type(file.type).send(file.body);
    }
  };
}
