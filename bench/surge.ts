/**
 * npm run bench:surge — opening night: SURGE_RESIDENTS (200,000) residents join the waiting room
 * within SURGE_SECONDS (60) and poll its status while the admitted ones book. Reports joins/s,
 * status polls/s (p50/p99), admitted/s, bookings/s (p99) and errors; in the same run, what this
 * generator sends to a bare node:http server (so it is shown not to be the bound) and the status
 * document under wrk next to bare node:http; then the in-process store's memory for 200,000 tickets. Writes the "Surge (waiting room)" section of docs/benchmarks.md.
 *
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) for the voucher
 * check; uses its own schema `bench_surge`, refilled each run. BENCH_STORE=redis puts the queue in
 * REDIS_URL instead of the server's memory. Loopback only; every phase is bounded in time and count.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { Pool as HttpPool } from 'undici';
import { createMemoryWaitingRoomStore, createTicketCodec } from '../server/modules/waiting-room/index.js';
import { createSessionCodec, SESSION_COOKIE } from '../server/platform/session.js';
import { freePort, percentile, startServer, writeSection } from './support.js';
import { wrk } from './wrk.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_surge';
const SECRET = 'bench-surge-secret-0123456789-abcdefghij';
const MUNICIPALITY = '131016';
const TOTAL = Number(process.env.SURGE_RESIDENTS || 200_000);
const SURGE_SECONDS = Number(process.env.SURGE_SECONDS || 60);
const COMPARE_SECONDS = Number(process.env.SURGE_COMPARE_SECONDS || 10);
const RATE_PER_MINUTE = Number(process.env.SURGE_RATE_PER_MINUTE || 6000);
const USE_REDIS = process.env.BENCH_STORE === 'redis';

interface Measure {
  ok: number;
  errors: number;
  latencies: number[];
}
const measure = (): Measure => ({ ok: 0, errors: 0, latencies: [] });

async function prepareDatabase(): Promise<{ slotIds: number[]; firstResident: number }> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
  const { process: server } = await startServer({ DATABASE_URL, DATABASE_SCHEMA: SCHEMA, SESSION_SECRET: SECRET, REDIS_URL: '' });
  server.kill('SIGTERM');
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  await client.query(`insert into municipalities (code, name_ja, name_en) values ('${MUNICIPALITY}', 'ベンチ区', 'Bench City')`);
  await client.query(
    `insert into venues (municipality_code, name_ja, name_en, address, vaccine) values ('${MUNICIPALITY}', '会場', 'Venue', '東京都', 'pfizer')`,
  );
  await client.query(
    `insert into slots (venue_id, starts_at, duration_minutes, capacity, opens_at, closes_at)
     select 1, date_trunc('hour', now()) + interval '2 days' + (g * interval '30 minutes'), 30, 100000, now() - interval '1 day', now() + interval '30 days'
     from generate_series(0, 499) g`,
  );
  // One statement for all residents: vouchers 0000000001…, birth dates spread over 1940–1980.
  await client.query(
    `insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
     select '${MUNICIPALITY}', lpad(g::text, 10, '0'), date '1940-01-01' + (g % 14600), '試験 ' || g, 'シケン', 'シケン', 'F'
     from generate_series(1, ${TOTAL}) g order by g`,
  );
  await client.query('analyze');
  const slots = await client.query<{ id: number }>('select id from slots order by id');
  const first = await client.query<{ id: number }>('select min(id)::int as id from residents');
  await client.end();
  return { slotIds: slots.rows.map((r) => r.id), firstResident: first.rows[0]!.id };
}

const voucherOf = (i: number) => String(i + 1).padStart(10, '0');
const birthOf = (i: number) => new Date(Date.UTC(1940, 0, 1) + ((i + 1) % 14600) * 86_400_000).toISOString().slice(0, 10);

function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    if (line.startsWith(`${name}=`)) return line.slice(name.length + 1).split(';')[0];
  }
  return undefined;
}

/** Resident i's join, as the waiting page sends it. */
const joinRequest = (http: HttpPool, i: number) =>
  http.request({
    method: 'POST',
    path: '/api/v1/waiting-room/join',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ municipalityCode: MUNICIPALITY, voucherNumber: voucherOf(i), birthDate: birthOf(i) }),
  });

async function timed(m: Measure, work: () => Promise<boolean>): Promise<void> {
  const t0 = performance.now();
  const ok = await work().catch(() => false);
  m.latencies.push(performance.now() - t0);
  if (ok) m.ok++;
  else m.errors++;
}

/** Polls `path` from `concurrency` loops until `until()` says stop. */
async function pollLoop(http: HttpPool, path: string, concurrency: number, m: Measure, until: () => boolean) {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) {
        await timed(m, async () => {
          const res = await http.request({ method: 'GET', path });
          await res.body.text();
          return res.statusCode === 200;
        });
      }
    }),
  );
}

async function surge(url: string, slotIds: number[], firstResident: number) {
  const http = new HttpPool(url, { connections: 128, pipelining: 1 });
  const sessions = createSessionCodec(Buffer.from(SECRET, 'utf8'), 3600);
  const tickets: string[] = new Array(TOTAL);
  const browsers: string[] = new Array(TOTAL);
  const byPosition = new Int32Array(TOTAL + 2).fill(-1);
  const joins = measure();
  const polls = measure();
  const admits = measure();
  const bookings = measure();
  let admittedThrough = 0;
  let nextJoin = 0;
  let nextBook = 1;
  const started = performance.now();
  const deadline = started + SURGE_SECONDS * 1000;
  let joinsDone = false;

  const joiners = Promise.all(
    Array.from({ length: 48 }, async () => {
      while (performance.now() < deadline && nextJoin < TOTAL) {
        const i = nextJoin++;
        await timed(joins, async () => {
          const res = await joinRequest(http, i);
          const body = (await res.body.json()) as { ticket?: string; position?: number };
          if (res.statusCode !== 200 || !body.ticket || !body.position) return false;
          tickets[i] = body.ticket;
          browsers[i] = cookieValue(res.headers['set-cookie'], 'yoyaku_wr_browser')!;
          byPosition[body.position] = i;
          return true;
        });
      }
    }),
  ).then(() => {
    joinsDone = true;
  });

  const status = `/api/v1/waiting-room/queues/${MUNICIPALITY}/status`;
  const pollers = Promise.all(
    Array.from({ length: 16 }, async () => {
      // A page polls only once it holds a ticket, so pollers start after the first join.
      while (!joinsDone && byPosition[1] === -1) await new Promise((resolve) => setTimeout(resolve, 20));
      while (!joinsDone) {
        await timed(polls, async () => {
          const res = await http.request({ method: 'GET', path: status });
          const doc = (await res.body.json()) as { admittedThrough?: number };
          // Before the first join the queue does not exist yet (a 404 problem, no figures).
          if (res.statusCode !== 200 || typeof doc.admittedThrough !== 'number') return false;
          admittedThrough = Math.max(admittedThrough, doc.admittedThrough);
          return true;
        });
      }
    }),
  );

  // Admitted residents take their turn and book once, as fast as admission lets them.
  const bookers = Promise.all(
    Array.from({ length: 16 }, async () => {
      while (!joinsDone) {
        if (nextBook > admittedThrough || byPosition[nextBook] === -1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        const i = byPosition[nextBook++]!;
        const browserCookie = `yoyaku_wr_browser=${browsers[i]}`;
        let admission: string | undefined;
        await timed(admits, async () => {
          const res = await http.request({
            method: 'POST',
            path: '/api/v1/waiting-room/admit',
            headers: { 'content-type': 'application/json', cookie: browserCookie },
            body: JSON.stringify({ ticket: tickets[i] }),
          });
          const body = (await res.body.json()) as { admissionToken?: string };
          admission = body.admissionToken;
          return res.statusCode === 200 && !!admission;
        });
        if (!admission) continue;
        const session = sessions.issue(firstResident + i, MUNICIPALITY, Date.now());
        await timed(bookings, async () => {
          const res = await http.request({
            method: 'POST',
            path: '/api/v1/reservations',
            headers: {
              'content-type': 'application/json',
              'x-csrf-token': session.csrfToken,
              cookie: `${SESSION_COOKIE}=${sessions.encode(session)}; yoyaku_admission=${admission}; ${browserCookie}`,
            },
            body: JSON.stringify({ slotId: slotIds[i % slotIds.length] }),
          });
          await res.body.text();
          return res.statusCode === 201;
        });
      }
    }),
  );

  await Promise.all([joiners, pollers, bookers]);
  const seconds = (performance.now() - started) / 1000;
  const positions = byPosition.slice(1, joins.ok + 1);
  const dropped = joins.ok - positions.filter((i) => i >= 0).length;
  await http.close();
  return { seconds, joins, polls, admits, bookings, dropped, admittedThrough };
}

/**
 * What this generator and the cores allow at all, measured right after the surge: the surge's own
 * generator (undici, the same loops and connections) against a bare node:http server answering
 * the join and the status with the same bytes. The surge's rates are a fraction of these, so the
 * generator is not what bounds them. Then the status document alone under wrk, next to the bare
 * server under wrk (bench:status has the full comparison, nginx included).
 */
async function baselines(url: string) {
  const path = `/api/v1/waiting-room/queues/${MUNICIPALITY}/status`;
  const status = await (await fetch(url + path)).text();
  const joined = JSON.stringify({ ticket: 'x'.repeat(180), queueId: MUNICIPALITY, position: 123456, opensAt: null });
  const port = await freePort();
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const status = Buffer.from(${JSON.stringify(status)}); const joined = Buffer.from(${JSON.stringify(joined)});
       require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => {
         const body = req.method === 'POST' ? joined : status;
         res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=2', etag: '"x"', 'content-length': body.length });
         res.end(body); }); }).listen(${port}, '127.0.0.1', () => console.log('ready'));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => bare.stdout!.once('data', resolve));
  const bareUrl = `http://127.0.0.1:${port}`;
  try {
    const http = new HttpPool(bareUrl, { connections: 128, pipelining: 1 });
    const [posts, gets] = [measure(), measure()];
    const end = performance.now() + COMPARE_SECONDS * 1000;
    await Promise.all([
      ...Array.from({ length: 48 }, async () => {
        for (let i = 0; performance.now() < end; i++) {
          await timed(posts, async () => {
            const res = await joinRequest(http, i);
            await res.body.json();
            return res.statusCode === 200;
          });
        }
      }),
      pollLoop(http, path, 16, gets, () => performance.now() > end),
    ]);
    await http.close();
    await wrk('warm-up', url + path, { connections: 100, seconds: 3 }); // the server has just been through the surge
    const wrkBare = await wrk('bare node:http, same status bytes', `${bareUrl}/`, { connections: 100, seconds: COMPARE_SECONDS });
    const wrkApp = await wrk('Yoyaku status poll', url + path, { connections: 100, seconds: COMPARE_SECONDS });
    return { posts, gets, wrkBare, wrkApp, bytes: Buffer.byteLength(status) };
  } finally {
    bare.kill('SIGTERM');
  }
}

/** Heap used by the in-process store for TOTAL tickets (after a full GC both times). */
async function storeMemory(): Promise<{ before: number; after: number; perTicket: number }> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const codec = createTicketCodec(Buffer.from(SECRET), { ticketTtlMs: 86_400_000 });
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = createMemoryWaitingRoomStore({ ratePerMinute: 600 });
  // The person keys are made inside the measurement: the store keeps them, as it does in the server.
  for (let i = 0; i < TOTAL; i++) {
    const key = codec.personKey(MUNICIPALITY, i + 1);
    await store.join(MUNICIPALITY, key, { now: i, opensAt: null, share: 1, sortKey: Math.random(), claimLifetimeMs: 1 });
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  if ((await store.snapshot(MUNICIPALITY))!.issued !== TOTAL) throw new Error('store lost tickets');
  return { before, after, perTicket: (after - before) / TOTAL };
}

const p = (m: Measure, q: number) =>
  percentile(
    [...m.latencies].sort((a, b) => a - b),
    q,
  ).toFixed(1);
const rate = (n: number, s: number) => (n / s).toFixed(0);

async function main(): Promise<void> {
  console.log(`Preparing ${TOTAL} residents in schema ${SCHEMA}…`);
  const { slotIds, firstResident } = await prepareDatabase();
  const env: Record<string, string> = {
    DATABASE_URL,
    DATABASE_SCHEMA: SCHEMA,
    SESSION_SECRET: SECRET,
    DATABASE_POOL_MAX: '20',
    WAITING_ROOM: 'always',
    WAITING_ROOM_RATE_PER_MINUTE: String(RATE_PER_MINUTE),
    WAITING_ROOM_MAX_RATE_PER_MINUTE: String(Math.max(RATE_PER_MINUTE, 30_000)),
    WAITING_ROOM_REDIS_PREFIX: `bench:surge:${Date.now()}:`,
    LIMIT_SIGNIN_FAILURES_PER_IP: '1000000',
    REDIS_URL: USE_REDIS ? process.env.REDIS_URL || 'redis://127.0.0.1:6379' : '',
  };
  const server = await startServer(env);
  try {
    console.log(`Surge: ${TOTAL} joins within ${SURGE_SECONDS} s (${USE_REDIS ? 'Redis' : 'in-process'} store)…`);
    const s = await surge(server.url, slotIds, firstResident);
    console.log('Baselines: this generator against bare node:http, then the status under wrk…');
    const c = await baselines(server.url);
    server.process.kill('SIGTERM');
    console.log('In-process store memory…');
    const mem = await storeMemory();
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const body = [
      `Machine: ${os.cpus().length} cores (nproc ${os.availableParallelism()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
        `${new Date().toISOString().slice(0, 10)}. PostgreSQL for the voucher check, ${USE_REDIS ? 'Redis' : 'in-process'} queue store, one server process; ` +
        `load generator on the same machine. Admission rate ${RATE_PER_MINUTE}/min (auto-tuned).`,
      '',
      `Surge: ${TOTAL.toLocaleString('en')} residents asked to join within ${SURGE_SECONDS} s (48 connections joining, 16 polling, 16 booking); ${s.seconds.toFixed(1)} s.`,
      '',
      '| what | ok | errors | per second | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| join (voucher check + place) | ${s.joins.ok} | ${s.joins.errors} | ${rate(s.joins.ok, s.seconds)} | ${p(s.joins, 50)} | ${p(s.joins, 99)} |`,
      `| status polls during the surge | ${s.polls.ok} | ${s.polls.errors} | ${rate(s.polls.ok, s.seconds)} | ${p(s.polls, 50)} | ${p(s.polls, 99)} |`,
      `| admitted (turn taken) | ${s.admits.ok} | ${s.admits.errors} | ${rate(s.admits.ok, s.seconds)} | ${p(s.admits, 50)} | ${p(s.admits, 99)} |`,
      `| bookings during the surge | ${s.bookings.ok} | ${s.bookings.errors} | ${rate(s.bookings.ok, s.seconds)} | ${p(s.bookings, 50)} | ${p(s.bookings, 99)} |`,
      '',
      `Dropped tickets: ${s.dropped} (every successful join has a unique position 1…${s.joins.ok}).`,
      '',
      `The same generator (same loops: 48 joining, 16 polling) against bare node:http answering the same bytes, ${COMPARE_SECONDS} s:`,
      `${rate(c.posts.ok, COMPARE_SECONDS)} POSTs/s and ${rate(c.gets.ok, COMPARE_SECONDS)} GETs/s at once (errors ${c.posts.errors + c.gets.errors}); the surge's joins`,
      `used ${((s.joins.ok / s.seconds / (c.posts.ok / COMPARE_SECONDS)) * 100).toFixed(0)}% of what it can send, so the generator does not bound them.`,
      '',
      `Status document alone (${c.bytes} bytes) under wrk, 100 connections, ${COMPARE_SECONDS} s each:`,
      '',
      '| server | requests/s | ratio | p50 ms | p99 ms | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...[c.wrkBare, c.wrkApp].map(
        (r) =>
          `| ${r.name} | ${r.perSecond.toFixed(0)} | ${((r.perSecond / c.wrkBare.perSecond) * 100).toFixed(0)}% | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} |`,
      ),
      '',
      'One run each on a shared machine: `npm run bench:status` gives the status in rounds, with nginx.',
      '',
      `In-process store, ${TOTAL.toLocaleString('en')} tickets: heap ${mb(mem.before)} MB → ${mb(mem.after)} MB, ` +
        `${mb(mem.after - mem.before)} MB held (${mem.perTicket.toFixed(0)} bytes a ticket; target < 100 MB).`,
    ].join('\n');
    console.log(body);
    await writeSection(USE_REDIS ? 'Surge (waiting room, Redis store)' : 'Surge (waiting room)', body);
  } finally {
    server.process.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
