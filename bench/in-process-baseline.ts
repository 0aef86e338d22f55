/**
 * Preloaded into a Yoyaku server by bench:status (node --import): a bare node:http handler on a
 * port of its own, inside the same process, answering the same bytes as the status poll. It
 * shows what any handler costs in a process that carries the whole application (its heap, its
 * timers, Node's stream and HTTP code shared with the database and Redis clients), next to the
 * same handler in a process of its own.
 *
 * BENCH_IN_PROCESS_PORT: where it listens; BENCH_IN_PROCESS_SAMPLE: a JSON file with the body
 * and the raw header list, read at the first request (the bench writes it once the status
 * document exists).
 */
import fs from 'node:fs';
import http from 'node:http';

let answer: { body: Buffer; headers: string[] } | undefined;
const port = Number(process.env.BENCH_IN_PROCESS_PORT);
if (port)
  http
    .createServer((_request, response) => {
      if (!answer) {
        const sample = JSON.parse(fs.readFileSync(process.env.BENCH_IN_PROCESS_SAMPLE!, 'utf8')) as { body: string; headers: string[] };
        answer = { body: Buffer.from(sample.body), headers: sample.headers };
      }
      response.writeHead(200, answer.headers);
      response.end(answer.body);
    })
    .listen(port, '127.0.0.1')
    .unref();
