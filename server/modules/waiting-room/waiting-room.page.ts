import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** web/waiting-room from the source tree or next to the compiled server. */
function findPageRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [
    path.resolve(here, '../../../web/waiting-room'),
    path.resolve(here, '../../../../web/waiting-room'),
    path.resolve('web/waiting-room'),
  ].find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}

/**
 * Serves the waiting page at /waiting-room/ from memory. In production a CDN serves these few
 * static files (docs/waiting-room.md); this route is for a single machine and for development.
 */
export function waitingRoomPage(root = findPageRoot()): FastifyPluginAsync {
  return async (app) => {
    if (!root) return;
    // Compressed once at start: old phones on slow networks are who this page is for.
    const files = new Map<string, { body: Buffer; br: Buffer; gzip: Buffer; type: string }>();
    for (const name of fs.readdirSync(root)) {
      const type = TYPES[path.extname(name)];
      if (!type || name.includes('.test.')) continue;
      const body = fs.readFileSync(path.join(root, name));
      files.set(name, {
        body,
        type,
        br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        gzip: gzipSync(body, { level: 9 }),
      });
    }
    app.get('/waiting-room/', { schema: { hide: true } }, async (request, reply) => send(request, reply, 'index.html'));
    app.get('/waiting-room', { schema: { hide: true } }, async (request, reply) =>
      reply.redirect(`/waiting-room/${request.url.slice('/waiting-room'.length)}`),
    );
    app.get<{ Params: { file: string } }>('/waiting-room/:file', { schema: { hide: true } }, async (request, reply) =>
      send(request, reply, request.params.file),
    );

    function send(request: FastifyRequest, reply: FastifyReply, name: string) {
      const file = files.get(name);
      if (!file) return reply.code(404).type('text/plain').send('not found');
      const accepted = String(request.headers['accept-encoding'] ?? '');
      const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
      reply.header('vary', 'accept-encoding');
      if (encoding) reply.header('content-encoding', encoding);
      const body = encoding ? file[encoding] : file.body;
      // Short lifetime: the page has no build step (no hashed names), so a change must show soon.
      return reply.header('cache-control', 'public, max-age=300').type(file.type).send(body);
    }
  };
}
