/**
 * npm run bench:status — the waiting room's status poll under wrk at 100 connections, next to
 * the physical limits measured in the same run: a bare node:http server and nginx (one worker,
 * like one Node process) answering the same bytes with the same headers. A fourth row sends the
 * poll with a query string, which Fastify routes (what every poll cost before issue 14).
 *
 * Two Yoyaku servers: the embedded default (demo residents, in-process queue store) and an API
 * process on PostgreSQL + Redis (DATABASE_URL, REDIS_URL; schema bench_status), one resident
 * joined on each so the queue exists. Loopback only; BENCH_ROUNDS (5) rounds of BENCH_SECONDS (5) per row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cpuMilliseconds, freePort, machineLine, startServer, writeSection, type LoadResult } from './support.js';
import { wrk } from './wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS || 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const CONNECTIONS = 100;
const QUEUE = '131016';
const STATUS = `/api/v1/waiting-room/queues/${QUEUE}/status`;

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

/**
 * The status micro-cache of docs/waiting-room.md ("Behind a proxy"), the same directives, with
 * this run's folders and ports: nginx answers every poll from its copy of the document, and asks
 * the server again at most once a second per queue.
 */
function statusMicroCache(dir: string, listenPort: number, upstreamPort: string): string {
  return `  proxy_cache_path ${dir}/status-cache keys_zone=yoyaku_status:1m max_size=16m inactive=1m use_temp_path=off;
  upstream yoyaku { server 127.0.0.1:${upstreamPort}; keepalive 32; }
  server { listen 127.0.0.1:${listenPort};
    location ~ ^/api/v1/waiting-room/queues/[^/]+/status$ {
      proxy_pass http://yoyaku;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache yoyaku_status;
      proxy_cache_key $uri;
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_valid 200 1s;
      proxy_cache_lock on;
      proxy_cache_use_stale updating error timeout http_500 http_502 http_503;
      proxy_cache_background_update on;
    } }`;
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yoyaku-bench-status-'));
  // nginx's worker drops root for "nobody", which must reach the micro-cache's folder in here.
  await fs.chmod(dir, 0o755);
  const children: ChildProcess[] = [];
  try {
    const inProcessPort = await freePort();
    const samplePath = path.join(dir, 'status-sample.json');
    const server = await startServer(
      {
        DATABASE_URL: '',
        DATA_DIR: path.join(dir, 'data'),
        DEMO: 'true',
        WAITING_ROOM: 'always',
        LOG_LEVEL: 'info',
        LOG_REQUESTS_EVERY: '100',
        BENCH_IN_PROCESS_PORT: String(inProcessPort),
        BENCH_IN_PROCESS_SAMPLE: samplePath,
      },
      { nodeArgs: ['--import', './bench/in-process-baseline.ts'] },
    );
    children.push(server.process);
    // What a city runs on opening night: API processes (ROLE=api, no job worker in them) on
    // PostgreSQL, the queue in Redis. Started first, with its own schema, to seed the demo there.
    const apiServer = await startServer({
      DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: 'bench_status',
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      WAITING_ROOM_REDIS_PREFIX: 'bench-status:',
      ROLE: 'api',
      DEMO: 'true',
      WAITING_ROOM: 'always',
      LOG_LEVEL: 'info',
      LOG_REQUESTS_EVERY: '100',
    });
    children.push(apiServer.process);
    for (const url of [server.url, apiServer.url]) {
      const joined = await fetch(`${url}/api/v1/waiting-room/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ municipalityCode: QUEUE, voucherNumber: '1000000001', birthDate: '1950-04-01' }),
      });
      if (!joined.ok) throw new Error(`join failed: ${joined.status} ${await joined.text()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a tick builds the documents
    const sample = await fetch(server.url + STATUS);
    const body = await sample.text();
    const headers = [...sample.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name));
    await fs.writeFile(samplePath, JSON.stringify({ body, headers: headers.flat() }));

    const barePort = await freePort();
    const bare = spawn(
      process.execPath,
      [
        '-e',
        `const body = Buffer.from(${JSON.stringify(body)}); const headers = ${JSON.stringify(headers.flat())};
         require('node:http').createServer((req, res) => { res.writeHead(200, headers); res.end(body); })
           .listen(${barePort}, '127.0.0.1', () => console.log('ready'));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(bare);
    await waitFor(`http://127.0.0.1:${barePort}/`);

    const nginxPort = await freePort();
    const nginxCachePort = await freePort();
    const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const conf = `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; types {} default_type application/json; server_tokens off; client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;
  server { listen 127.0.0.1:${nginxPort}; location / {
${headers
  .filter(([name]) => !['content-type', 'content-length'].includes(name))
  .map(([name, value]) => `    add_header ${name} '${escape(value)}' always;`)
  .join('\n')}
    default_type 'application/json; charset=utf-8';
    return 200 '${escape(body)}'; } }
${statusMicroCache(dir, nginxCachePort, new URL(server.url).port)} }`;
    await fs.writeFile(path.join(dir, 'nginx.conf'), conf);
    const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(nginx);
    await waitFor(`http://127.0.0.1:${nginxPort}/`);

    // The machine is shared and its speed drifts from minute to minute (the same bare server has
    // given 31,000/s and 46,000/s a minute apart): every server is warmed up first (JIT, pools), then
    // the rows run in turn, ROUNDS times, and each ratio is taken against the bare server of its own
    // round. The table gives the median of the rounds.
    const targets = [
      { name: 'bare node:http, same bytes and headers', url: `http://127.0.0.1:${barePort}/`, cpu: () => cpuMilliseconds(bare.pid!) },
      { name: 'Yoyaku status poll (answered before routing)', url: server.url + STATUS, cpu: () => cpuMilliseconds(server.process.pid!) },
      {
        name: 'Yoyaku status poll, API process (ROLE=api) on PostgreSQL + Redis',
        url: apiServer.url + STATUS,
        cpu: () => cpuMilliseconds(apiServer.process.pid!),
      },
      {
        name: 'Yoyaku status poll through Fastify routing (query string)',
        url: `${server.url + STATUS}?via=route`,
        cpu: () => cpuMilliseconds(server.process.pid!),
      },
      {
        name: 'node:http inside the embedded Yoyaku process, same bytes and headers',
        url: `http://127.0.0.1:${inProcessPort}/`,
        cpu: () => cpuMilliseconds(server.process.pid!),
      },
      {
        name: 'Yoyaku status poll behind nginx (1 worker) with the micro-cache of docs/waiting-room.md',
        url: `http://127.0.0.1:${nginxCachePort}${STATUS}`,
        cpu: () => cpuMilliseconds(nginx.pid!, { children: true }) + cpuMilliseconds(server.process.pid!),
      },
      {
        name: 'nginx, 1 worker, same bytes and headers',
        url: `http://127.0.0.1:${nginxPort}/`,
        cpu: () => cpuMilliseconds(nginx.pid!, { children: true }),
      },
    ];
    for (const target of targets) await wrk('warm-up', target.url, { connections: CONNECTIONS, seconds: 3 });
    const rounds: (LoadResult & { cpuMicros: number })[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const results: (LoadResult & { cpuMicros: number })[] = [];
      for (const target of targets) {
        const before = target.cpu();
        const result = await wrk(target.name, target.url, { connections: CONNECTIONS, seconds: SECONDS });
        results.push({ ...result, cpuMicros: ((target.cpu() - before) * 1000) / (result.ok + result.errors) });
      }
      rounds.push(results);
      console.log(`round ${round + 1}: ${results.map((r) => r.perSecond.toFixed(0)).join(' ')}`);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const rows = targets.map((target, i) => ({
      name: target.name,
      perSecond: median(rounds.map((r) => r[i]!.perSecond)),
      ratios: rounds.map((r) => r[i]!.perSecond / r[0]!.perSecond),
      p50: median(rounds.map((r) => r[i]!.p50)),
      p99: median(rounds.map((r) => r[i]!.p99)),
      cpuMicros: median(rounds.map((r) => r[i]!.cpuMicros)),
      errors: rounds.reduce((n, r) => n + r[i]!.errors, 0),
    }));
    const percent = (x: number) => `${(x * 100).toFixed(0)}%`;
    const note = process.env.BENCH_NOTE ? `\n\n${process.env.BENCH_NOTE}` : '';
    const text = [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}.${note}`,
      '',
      `wrk, 2 threads, ${CONNECTIONS} connections, on the same cores as the servers; each server warmed up 3 s, then the rows in turn,`,
      `${ROUNDS} rounds of ${SECONDS} s; the figures are the medians of the rounds, each ratio against the bare server of its own round`,
      `(the range of the rounds' ratios beside it). The document is ${Buffer.byteLength(body)} bytes;`,
      'the servers run with LOG_LEVEL=info (the default); the first on the embedded database with the in-process queue store (ROLE=all,',
      'its job worker polling in the same process), the second as an API process on PostgreSQL with the queue in Redis.',
      '',
      '| server | requests/s | ratio to bare node:http | rounds | server CPU µs a request | p50 ms | p99 ms | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.perSecond.toFixed(0)} | ${percent(median(r.ratios))} | ${percent(Math.min(...r.ratios))}–${percent(Math.max(...r.ratios))} | ${r.cpuMicros.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
      ),
      '',
      'Target: the status poll at least 90% of bare node:http. Re-run: `npm run bench:status`.',
    ].join('\n');
    await writeSection('Queue status polls', text);
    console.log(text);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
