import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Already percent-encoded path and query string, sent as given. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Sends a request exactly as described, which fetch() refuses to do (a body on GET, any
 * content type, a path it would normalise). A fresh connection each time, so one bad request
 * cannot leave a half-read body on a socket the next request reuses.
 */
export function sendRaw(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const headers = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const outgoing = http.request(baseUrl + request.path, { method: request.method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      const contentType = String(response.headers['content-type'] ?? '');
      const answer = () => resolve({ status: response.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        // A stream of server-sent events does not end by itself: its first event is the answer.
        if (contentType.startsWith('text/event-stream') && /\nevent: .*\ndata: .*\n\n/.test(Buffer.concat(chunks).toString('utf8'))) {
          answer();
          response.destroy();
        }
      });
      response.on('end', answer);
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
