/**
 * npm run bench:joins — joins of the waiting room per second (each a voucher + birth date checked
 * against the residents, then a place in the queue), load from wrk, with the in-process queue
 * store and with Redis; next to, in the same run, a bare node:http server answering the same POST
 * with the same bytes (what the generator and the cores allow at all) and the minimal SQL of the
 * voucher check sent by 64 loops (what the database allows). After each run one more resident
 * joins: their position is the count of successful joins plus one when no ticket was dropped.
 *
 * Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); schema `bench_joins`, refilled each run.
 * Loopback only; BENCH_SECONDS (10) per row.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuMilliseconds, freePort, machineLine, runLoad, startServer, writeSection, type LoadResult } from './support.js';
import { wrk } from './wrk.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const SCHEMA = 'bench_joins';
const MUNICIPALITY = '131016';
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = 64;
/** More than a run can join: each resident joins once. */
const PER_RUN = 30_000 * SECONDS;
const RESIDENTS = 3 * PER_RUN + 10;

const voucherOf = (i: number) => String(i + 1).padStart(10, '0');
/** One address per 4 residents (a household, a phone shared), 10.0.0.0/8. */
const addressOf = (i: number) => `10.${(i >> 18) & 255}.${(i >> 10) & 255}.${(i >> 2) & 255}`;
const birthOf = (i: number) => new Date(Date.UTC(1940, 0, 1) + ((i + 1) % 14600) * 86_400_000).toISOString().slice(0, 10);

async function prepareDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
  const { process: server } = await startServer({ DATABASE_URL, DATABASE_SCHEMA: SCHEMA, REDIS_URL: '' });
  server.kill('SIGTERM');
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  await client.query(`insert into municipalities (code, name_ja, name_en) values ('${MUNICIPALITY}', 'ベンチ区', 'Bench City')`);
  await client.query(
    `insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
     select '${MUNICIPALITY}', lpad(g::text, 10, '0'), date '1940-01-01' + (g % 14600), '試験 ' || g, 'シケン', 'シケン', 'F'
     from generate_series(1, ${RESIDENTS}) g order by g`,
  );
  await client.query('analyze');
  await client.end();
}

async function joinersFile(dir: string, from: number, count: number): Promise<string> {
  const file = path.join(dir, `joiners-${from}.tsv`);
  const lines = Array.from({ length: count }, (_, i) => `${voucherOf(from + i)}\t${birthOf(from + i)}\t${addressOf(from + i)}`);
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function joinOnce(url: string, i: number): Promise<{ status: number; position?: number }> {
  const res = await fetch(`${url}/api/v1/waiting-room/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(i) },
    body: JSON.stringify({ municipalityCode: MUNICIPALITY, voucherNumber: voucherOf(i), birthDate: birthOf(i) }),
  });
  const body = (await res.json()) as { position?: number };
  return { status: res.status, position: body.position };
}

async function main(): Promise<void> {
  console.log(`Preparing ${RESIDENTS} residents in ${SCHEMA}…`);
  await prepareDatabase();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yoyaku-bench-joins-'));
  const rows: (LoadResult & { dropped?: number; cpuMicros?: number })[] = [];
  let next = 0;
  try {
    for (const store of ['in-process', 'Redis'] as const) {
      const server = await startServer({
        DATABASE_URL,
        DATABASE_SCHEMA: SCHEMA,
        DATABASE_POOL_MAX: '20',
        REDIS_URL: store === 'Redis' ? REDIS_URL : '',
        WAITING_ROOM: 'always',
        WAITING_ROOM_REDIS_PREFIX: `bench:joins:${Date.now()}:`,
        LOG_LEVEL: 'info',
        LOG_REQUESTS_EVERY: '100',
        // wrk is the load balancer: X-Forwarded-For carries each resident's address.
        TRUST_PROXY: '127.0.0.1',
      });
      try {
        // Warm-up: JIT, pools, plans; these joins count for the position check below.
        const warm = await joinersFile(dir, next, 20_000);
        const warmed = await wrk('warm-up', server.url, {
          connections: CONNECTIONS,
          seconds: 2,
          script: 'join',
          env: { WRK_JOINERS: warm, WRK_MUNICIPALITY: MUNICIPALITY },
        });
        next += 20_000;
        const file = await joinersFile(dir, next, PER_RUN);
        const cpuBefore = cpuMilliseconds(server.process.pid!);
        const result = await wrk(`join, ${store} store`, server.url, {
          connections: CONNECTIONS,
          seconds: SECONDS,
          script: 'join',
          env: { WRK_JOINERS: file, WRK_MUNICIPALITY: MUNICIPALITY },
        });
        next += PER_RUN;
        const last = await joinOnce(server.url, next++);
        // Every counted join holds a place: the next joiner's position is past all of them (a few more
        // joined uncounted: wrk stops counting with a request per connection still in flight).
        const kept = (last.position ?? 0) - 1;
        const dropped = Math.max(0, warmed.ok + result.ok - kept);
        rows.push({ ...result, dropped, cpuMicros: ((cpuMilliseconds(server.process.pid!) - cpuBefore) * 1000) / result.ok });
      } finally {
        server.process.kill('SIGTERM');
      }
    }

    // The generator's and the cores' limit: the same POST answered by bare node:http.
    const sample = JSON.stringify({ ticket: 'x'.repeat(180), queueId: MUNICIPALITY, position: 123456, opensAt: null });
    const barePort = await freePort();
    const bare = spawn(
      process.execPath,
      [
        '-e',
        `const body = Buffer.from(${JSON.stringify(sample)});
         require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => {
           res.writeHead(200, ['content-type', 'application/json; charset=utf-8', 'content-length', String(body.length)]); res.end(body); }); })
           .listen(${barePort}, '127.0.0.1');`,
      ],
      { stdio: 'ignore' },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    try {
      const file = await joinersFile(dir, 0, PER_RUN);
      const cpuBefore = cpuMilliseconds(bare.pid!);
      const result = await wrk('bare node:http, the same POST answered with the same bytes', `http://127.0.0.1:${barePort}`, {
        connections: CONNECTIONS,
        seconds: SECONDS,
        script: 'join',
        env: { WRK_JOINERS: file, WRK_MUNICIPALITY: MUNICIPALITY },
      });
      rows.unshift({ ...result, cpuMicros: ((cpuMilliseconds(bare.pid!) - cpuBefore) * 1000) / result.ok });
    } finally {
      bare.kill('SIGTERM');
    }

    // The database's limit: the voucher check alone, prepared, 64 loops over a pool of 20.
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 20, options: `-c search_path=${SCHEMA}` });
    rows.splice(
      1,
      0,
      await runLoad(
        'minimal SQL of the voucher check (pg, prepared)',
        { concurrency: CONCURRENCY_SQL, seconds: SECONDS, maxOperations: 5_000_000 },
        async (i) => {
          const r = await pool.query({
            name: 'voucher',
            text: 'select id from residents where municipality_code = $1 and voucher_number = $2 and birth_date = $3',
            values: [MUNICIPALITY, voucherOf(i % RESIDENTS), birthOf(i % RESIDENTS)],
          });
          return r.rowCount === 1;
        },
      ),
    );
    await pool.end();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  const bare = rows[0]!;
  const text = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}.${process.env.BENCH_NOTE ? `\n\n${process.env.BENCH_NOTE}` : ''}`,
    '',
    `wrk, 2 threads, ${CONNECTIONS} connections, ${SECONDS} s per row, on the same cores as the server and PostgreSQL. Each join is another`,
    'resident (voucher + birth date checked in PostgreSQL, pool of 20) from its household’s address (X-Forwarded-For, one per 4 residents,',
    'TRUST_PROXY=127.0.0.1), one server process with WAITING_ROOM=always.',
    '',
    '| path | ok | errors | per second | ratio to bare node:http | server CPU µs a join | p50 ms | p99 ms | dropped tickets |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.ok} | ${r.errors} | ${r.perSecond.toFixed(0)} | ${((r.perSecond / bare.perSecond) * 100).toFixed(0)}% | ${r.cpuMicros === undefined ? '' : r.cpuMicros.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.dropped ?? ''} |`,
    ),
    '',
    'Targets: 10,000 joins/s with the in-process store, 7,000/s with Redis (Korea, 19 July 2021: 55,589 arrivals in 8 s), none dropped.',
    'Dropped: successful joins counted by wrk that hold no place (the next joiner’s position minus one is the places held; it can be',
    'a little more than the count, as wrk stops counting with one request per connection still in flight).',
    'Re-run: `npm run bench:joins`.',
  ].join('\n');
  await writeSection('Waiting room joins', text);
  console.log(text);
}

const CONCURRENCY_SQL = 64;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
