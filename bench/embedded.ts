/**
 * npm run bench:embedded — the embedded default (PGlite, no services): bookings per second through
 * HTTP (wrk, 64 connections) next to the minimal booking statement sent to PGlite directly in the
 * same run, spread over 1,000 slots and on one hot slot; then the start-up time and memory of
 * `npm start` on an empty data folder and on one that exists. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { openDatabase, type Db } from '../server/db/database.js';
import { generateReservationNumber } from '../server/modules/reservations/index.js';
import { createSessionCodec } from '../server/platform/session.js';
import { freePort, machineLine, runLoad, startServer, table, writeSection, type LoadResult } from './support.js';
import { wrk } from './wrk.js';

const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONCURRENCY = 64;
const SLOTS = 1000;
const BUDGET = 5_000 * SECONDS;
const RESIDENTS = 4 * BUDGET + 10_000;

const MINIMAL = `with place as (update slots set taken = taken + 1 where id = $1 and taken < capacity returning id)
  insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, auto_scheduled)
  select $2::text, $3::int, place.id, 1, 'pfizer', 'booked', 'self', $3::int, false from place returning id`;

const open = (dataDir: string) => openDatabase({ url: undefined, dataDir, schema: 'public', poolMax: 1 });

async function fill(db: Db): Promise<{ hot: number; spread: number[]; first: number }> {
  await sql`insert into municipalities (code, name_ja, name_en) values ('131016', 'ベンチ区', 'Bench City')`.execute(db);
  await sql`insert into venues (municipality_code, name_ja, name_en, address, vaccine) values ('131016', '会場', 'Venue', '東京都', 'pfizer')`.execute(
    db,
  );
  await sql`insert into slots (venue_id, starts_at, duration_minutes, capacity, opens_at, closes_at)
     select 1, date_trunc('hour', now()) + interval '2 days' + (g * interval '30 minutes'), 30,
            case when g = 0 then 100000000 else 1000000 end, now() - interval '1 day', now() + interval '30 days'
     from generate_series(0, ${sql.lit(SLOTS)}) g`.execute(db);
  await sql`insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
     select '131016', lpad(g::text, 10, '0'), date '1970-01-01' + (g % 10000), '試験 ' || g, 'シケン', 'シケン', 'F'
     from generate_series(1, ${sql.lit(RESIDENTS)}) g`.execute(db);
  await sql`analyze`.execute(db);
  const slots = (await sql<{ id: number }>`select id from slots order by starts_at`.execute(db)).rows.map((r) => r.id);
  const first = (await sql<{ id: number }>`select min(id) as id from residents`.execute(db)).rows[0]!.id;
  return { hot: slots[0]!, spread: slots.slice(1), first };
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));

/** Resident set size of a process and its children, from ps. */
function treeRss(pid: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='])
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const pids = new Set([pid]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [p, parent] of rows) {
      if (pids.has(p!) || !pids.has(parent!)) continue;
      pids.add(p!);
      changed = true;
    }
  }
  return rows.filter(([p]) => pids.has(p!)).reduce((sum, [, , rss]) => sum + rss! * 1024, 0);
}

async function timeStart(dataDir: string): Promise<{ seconds: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      SESSION_SECRET: SECRET,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    // Its own process group: npm does not pass SIGTERM on to the server it started.
    detached: true,
  });
  for (;;) {
    if (
      await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null) throw new Error('npm start exited');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2000)); // settled, after the first ticks and jobs
  const rss = treeRss(child.pid!);
  process.kill(-child.pid!, 'SIGTERM');
  await exited(child);
  // The data folder is free once the server has gone, not when npm has: wait for the whole group.
  const alive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 100));
  return { seconds, rss };
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yoyaku-bench-embedded-'));
  try {
    console.log('Building if needed (npm start does the same; not timed)…');
    execFileSync('node', ['-e', "import('./scripts/build-stamp.mjs').then((m) => process.exit(m.isBuildCurrent() ? 0 : 1))"], {
      stdio: 'ignore',
    });
  } catch {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  }
  try {
    const dataDir = path.join(dir, 'data');
    console.log(`Filling PGlite (${RESIDENTS} residents, ${SLOTS + 1} slots)…`);
    let db = await open(dataDir);
    const { hot, spread, first } = await fill(db);
    await db.destroy();
    let next = first;
    const take = (n: number) => ((next += n), next - n);
    const spreadOf = (i: number) => spread[(i * 7919) % spread.length]!;

    const server = await startServer({ DATABASE_URL: '', DATA_DIR: dataDir, SESSION_SECRET: SECRET });
    const codec = createSessionCodec(Buffer.from(SECRET), 3600);
    const http = async (name: string, slotFor: (i: number) => number, seconds = SECONDS) => {
      const from = take(BUDGET);
      const lines = Array.from({ length: BUDGET }, (_, i) => {
        const session = codec.issue(from + i, '131016', Date.now());
        return `${codec.encode(session)}\t${session.csrfToken}\t${slotFor(i)}`;
      });
      const file = path.join(dir, `${from}.tsv`);
      await fs.writeFile(file, `${lines.join('\n')}\n`);
      return wrk(name, server.url, { connections: CONCURRENCY, seconds, script: 'book', env: { WRK_SESSIONS: file } });
    };
    await http('warm-up', spreadOf, 3);
    const httpSpread = await http('HTTP POST /api/v1/reservations on PGlite, spread over 1,000 slots (wrk)', spreadOf);
    const httpHot = await http('HTTP POST /api/v1/reservations on PGlite, one hot slot (wrk)', () => hot);
    server.process.kill('SIGTERM');
    await exited(server.process);

    db = await open(dataDir);
    const minimal = (name: string, slotFor: (i: number) => number) => {
      const from = take(BUDGET);
      return runLoad(name, { concurrency: CONCURRENCY, seconds: SECONDS, maxOperations: BUDGET }, async (i) => {
        const r = await db.executeQuery(CompiledQuery.raw(MINIMAL, [slotFor(i), generateReservationNumber(), from + i]));
        return r.rows.length === 1;
      });
    };
    const minSpread = await minimal('minimal statement on PGlite directly, spread over 1,000 slots', spreadOf);
    const minHot = await minimal('minimal statement on PGlite directly, one hot slot', () => hot);
    await db.destroy();

    const cold = await timeStart(path.join(dir, 'fresh'));
    const warm = await timeStart(path.join(dir, 'fresh'));

    const ratio = (a: LoadResult, b: LoadResult) => `${((a.perSecond / b.perSecond) * 100).toFixed(0)}%`;
    const note = process.env.BENCH_NOTE ? `\n\n${process.env.BENCH_NOTE}` : '';
    const body = [
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}, PGlite (no DATABASE_URL, no REDIS_URL).${note}`,
      '',
      `${CONCURRENCY} concurrent clients, ${SECONDS} s per row; each booking is a new resident booking dose 1. PGlite runs in the`,
      'server process and serves one statement at a time, so the baseline is the same minimal statement sent to PGlite directly.',
      '',
      table([minSpread, httpSpread, minHot, httpHot]),
      '',
      '| ratio to the minimal statement on PGlite, same run | HTTP |',
      '| --- | ---: |',
      `| spread over 1,000 slots | ${ratio(httpSpread, minSpread)} (p99 ${httpSpread.p99.toFixed(0)} ms) |`,
      `| one hot slot | ${ratio(httpHot, minHot)} |`,
      '',
      '| `npm start` (built) | until /api/health answers | memory (RSS of npm and the server) |',
      '| --- | ---: | ---: |',
      `| empty data folder (creates the database) | ${cold.seconds.toFixed(1)} s | ${(cold.rss / 2 ** 20).toFixed(0)} MB |`,
      `| existing data folder | ${warm.seconds.toFixed(1)} s | ${(warm.rss / 2 ** 20).toFixed(0)} MB |`,
      '',
      'Re-run: `npm run bench:embedded` (BENCH_SECONDS to change the duration).',
    ].join('\n');
    await writeSection('Embedded default (PGlite)', body);
    console.log(body);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
