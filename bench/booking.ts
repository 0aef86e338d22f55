/**
 * npm run bench:booking — bookings per second through HTTP (load from wrk), next to the physical
 * limit measured in the same run: the minimal booking, one prepared statement (a conditional
 * UPDATE of the slot and the INSERT of the reservation in one CTE) sent by 64 loops over a pool
 * of 10. Spread over 1,000 slots and on one hot slot. A third row repeats the application's own
 * statements with pg, to show how much of the gap is the statements and how much the HTTP layer.
 *
 * Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). Uses its own
 * schema `bench_booking`, dropped and refilled each run. Loopback only; bounded in time and count.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateReservationNumber } from '../server/modules/reservations/index.js';
import { createSessionCodec } from '../server/platform/session.js';
import { machineLine, runLoad, startServer, table, writeSection, type LoadResult } from './support.js';
import { wrk } from './wrk.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_booking';
const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const CONCURRENCY = 64;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const POOL_MAX = Number(process.env.BENCH_POOL || 10);
const SPREAD_SLOTS = 1000;
/** Residents per row: more than any path books in SECONDS (each books dose 1 once). */
const MINIMAL_BUDGET = 25_000 * SECONDS;
const HTTP_BUDGET = 10_000 * SECONDS;
/** Every take() below: two minimal rows, four HTTP-sized rows and the HTTP warm-up, the minimal warm-up. */
const RESIDENTS = 2 * MINIMAL_BUDGET + 5 * HTTP_BUDGET + 10_000 + 1_000;

async function prepareDatabase(): Promise<{ hotSlot: number; spreadSlots: number[]; firstResident: number }> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await admin.end();
  // Let the server create the schema and run its migrations, then fill it.
  const { process: server } = await startServer({ DATABASE_URL, DATABASE_SCHEMA: SCHEMA, SESSION_SECRET: SECRET });
  server.kill('SIGTERM');
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  await client.query(`insert into municipalities (code, name_ja, name_en) values ('131016', 'ベンチ区', 'Bench City')`);
  await client.query(
    `insert into venues (municipality_code, name_ja, name_en, address, vaccine) values ('131016', '会場', 'Venue', '東京都', 'pfizer')`,
  );
  await client.query(
    `insert into slots (venue_id, starts_at, duration_minutes, capacity, opens_at, closes_at)
     select 1, date_trunc('hour', now()) + interval '2 days' + (g * interval '30 minutes'), 30,
            case when g = 0 then 100000000 else 1000000 end, now() - interval '1 day', now() + interval '30 days'
     from generate_series(0, ${SPREAD_SLOTS}) g`,
  );
  await client.query(
    `insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
     select '131016', lpad(g::text, 10, '0'), date '1970-01-01' + (g % 10000), '試験 ' || g, 'シケン', 'シケン', 'F'
     from generate_series(1, ${RESIDENTS}) g`,
  );
  await client.query('analyze');
  const slots = await client.query<{ id: number }>('select id from slots order by starts_at');
  const first = await client.query<{ id: number }>('select min(id) as id from residents');
  await client.end();
  const ids = slots.rows.map((r) => r.id);
  return { hotSlot: ids[0]!, spreadSlots: ids.slice(1), firstResident: first.rows[0]!.id };
}

/** The physical limit: one prepared statement per booking, what no booking system can beat. */
const MINIMAL = `with place as (update slots set taken = taken + 1 where id = $1 and taken < capacity returning id)
  insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, auto_scheduled)
  select $2::text, $3::int, place.id, 1, 'pfizer', 'booked', 'self', $3::int, false from place returning id`;

async function minimalBooking(pool: pg.Pool, residentId: number, slotId: number): Promise<boolean> {
  const result = await pool.query({ name: 'minimal-booking', text: MINIMAL, values: [slotId, generateReservationNumber(), residentId] });
  return result.rowCount === 1;
}

/** The statements the application sent per booking before issue 14 (two reads, then the CTE), with pg. */
async function applicationShapedBooking(pool: pg.Pool, residentId: number, slotId: number): Promise<boolean> {
  await Promise.all([
    pool.query({
      name: 'app-resident',
      text: `select r.id, r.municipality_code, r.birth_date, r.name_kanji,
         (select coalesce(json_agg(d), '[]') from (select dose_number, administered_on, vaccine from dose_records where resident_id = r.id) d) as doses,
         (select coalesce(json_agg(b), '[]') from (select b.id, b.dose_number, b.vaccine, s.starts_at from reservations b join slots s on s.id = b.slot_id
            where b.resident_id = r.id and b.status = 'booked') b) as bookings,
         (select to_json(h) from (select slot_id, expires_at from holds where resident_id = r.id) h) as hold,
         exists (select member_id from family_links where account_id = $2 and member_id = r.id) as is_family
       from residents r where r.id = $1`,
      values: [residentId, residentId],
    }),
    pool.query({
      name: 'app-slot',
      text: `select s.id, s.venue_id, s.starts_at, s.duration_minutes, s.capacity, s.taken, s.opens_at, s.closes_at, v.vaccine, v.municipality_code, v.name_ja, v.name_en, v.address, v.map_url
       from slots s join venues v on v.id = s.venue_id where s.id = $1`,
      values: [slotId],
    }),
  ]);
  const inserted = await pool.query({
    name: 'app-book',
    text: `with place as (update slots set taken = taken + 1 where id = $1 and taken < capacity returning id),
     booked as (
       insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, auto_scheduled)
       select $2::text, $3::int, place.id, 1, 'pfizer', 'booked', 'self', $3::int, false from place
       returning id, number, created_at, slot_id),
     event as (
       insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind, actor_resident_id)
       select id, 'booked', slot_id, 'self', $3::int from booked)
     select id, number, created_at from booked`,
    values: [slotId, generateReservationNumber(), residentId],
  });
  return inserted.rowCount === 1;
}

async function main(): Promise<void> {
  console.log(`Preparing ${SCHEMA} (${RESIDENTS} residents, ${SPREAD_SLOTS + 1} slots)…`);
  const { hotSlot, spreadSlots, firstResident } = await prepareDatabase();
  const server = await startServer({ DATABASE_URL, DATABASE_SCHEMA: SCHEMA, SESSION_SECRET: SECRET, DATABASE_POOL_MAX: String(POOL_MAX) });
  const codec = createSessionCodec(Buffer.from(SECRET), 3600);
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_MAX, options: `-c search_path=${SCHEMA}` });
  const spread = (i: number) => spreadSlots[(i * 7919) % spreadSlots.length]!;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yoyaku-bench-'));
  let nextResident = firstResident;
  const take = (count: number) => {
    const from = nextResident;
    nextResident += count;
    return from;
  };

  const minimal = (name: string, slotFor: (i: number) => number, seconds = SECONDS) => {
    const from = take(MINIMAL_BUDGET);
    return runLoad(name, { concurrency: CONCURRENCY, seconds, maxOperations: MINIMAL_BUDGET }, (i) =>
      minimalBooking(pool, from + i, slotFor(i)),
    );
  };
  /** wrk reads one signed-in resident per request from a file written here. */
  const sessionsFile = async (slotFor: (i: number) => number, count = HTTP_BUDGET) => {
    const from = take(count);
    const lines = Array.from({ length: count }, (_, i) => {
      const session = codec.issue(from + i, '131016', Date.now());
      return `${codec.encode(session)}\t${session.csrfToken}\t${slotFor(i)}`;
    });
    const file = path.join(dir, `${from}.tsv`);
    await fs.writeFile(file, `${lines.join('\n')}\n`);
    return file;
  };
  const http = async (name: string, slotFor: (i: number) => number, seconds = SECONDS) => {
    const file = await sessionsFile(slotFor);
    return wrk(name, server.url, { connections: CONCURRENCY, seconds, script: 'book', env: { WRK_SESSIONS: file } });
  };
  /** The same load split over two server processes on the same database: one wrk per process, half the connections each. */
  const twoProcesses = async (name: string, slotFor: (i: number) => number): Promise<LoadResult> => {
    const second = await startServer({
      DATABASE_URL,
      DATABASE_SCHEMA: SCHEMA,
      SESSION_SECRET: SECRET,
      DATABASE_POOL_MAX: String(POOL_MAX / 2),
    });
    try {
      const files = [await sessionsFile(slotFor, HTTP_BUDGET / 2), await sessionsFile(slotFor, HTTP_BUDGET / 2)];
      const halves = await Promise.all(
        [server.url, second.url].map((url, i) =>
          wrk(name, url, { connections: CONCURRENCY / 2, threads: 1, seconds: SECONDS, script: 'book', env: { WRK_SESSIONS: files[i]! } }),
        ),
      );
      const ok = halves[0]!.ok + halves[1]!.ok;
      const seconds = Math.max(halves[0]!.seconds, halves[1]!.seconds);
      return {
        name,
        ok,
        errors: halves[0]!.errors + halves[1]!.errors,
        seconds,
        perSecond: halves[0]!.perSecond + halves[1]!.perSecond,
        p50: Math.max(halves[0]!.p50, halves[1]!.p50),
        p99: Math.max(halves[0]!.p99, halves[1]!.p99),
      };
    } finally {
      second.process.kill('SIGTERM');
    }
  };

  // Warm up both paths (JIT, pools, plan caches) on residents not used later.
  const warm = take(10_000);
  await runLoad('warm-up', { concurrency: CONCURRENCY, seconds: 2, maxOperations: 5000 }, (i) => minimalBooking(pool, warm + i, spread(i)));
  await http('warm-up', spread, 3);

  const rows: LoadResult[] = [];
  rows.push(await minimal('minimal statement (pg, prepared), spread over 1,000 slots', spread));
  rows.push(await http('HTTP POST /api/v1/reservations, spread over 1,000 slots (wrk)', spread));
  const shapedFrom = take(HTTP_BUDGET);
  rows.push(
    await runLoad(
      'application-shaped statements before issue 14 (pg), spread',
      { concurrency: CONCURRENCY, seconds: SECONDS, maxOperations: HTTP_BUDGET },
      (i) => applicationShapedBooking(pool, shapedFrom + i, spread(i)),
    ),
  );
  rows.push(await minimal('minimal statement (pg, prepared), one hot slot', () => hotSlot));
  rows.push(await http('HTTP POST /api/v1/reservations, one hot slot (wrk)', () => hotSlot));
  rows.push(await twoProcesses('HTTP, two server processes (pool 5 each), spread over 1,000 slots (wrk, 32 connections each)', spread));

  // Whatever the path, every slot's count equals its reservations (none overbooked, none lost).
  const mismatched = await pool.query<{ n: string }>(
    `select count(*) as n from slots s where s.taken <> (select count(*) from reservations r where r.slot_id = s.id and r.status = 'booked')`,
  );
  const countsRight = Number(mismatched.rows[0]!.n) === 0;
  await pool.end();
  server.process.kill('SIGTERM');
  await fs.rm(dir, { recursive: true, force: true });

  const ratio = (a: LoadResult, b: LoadResult) => `${((a.perSecond / b.perSecond) * 100).toFixed(0)}%`;
  const busy = process.env.BENCH_NOTE ? `\n\n${process.env.BENCH_NOTE}` : '';
  const body = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}, PostgreSQL at 127.0.0.1.${busy}`,
    '',
    `${CONCURRENCY} concurrent clients, ${SECONDS} s per row, server and pg paths both with a pool of ${POOL_MAX} connections;`,
    'HTTP load from wrk (2 threads); the load generator, the server and PostgreSQL share the same cores.',
    'Each booking is a new resident booking dose 1. The baseline is the minimal booking: one prepared statement',
    '(conditional `UPDATE slots … WHERE taken < capacity` and the `INSERT` of the reservation in one CTE).',
    `After all rows, every slot's count ${countsRight ? 'equals' : 'DOES NOT equal'} its booked reservations.`,
    '',
    table(rows),
    '',
    `| ratio to the minimal statement, same run | HTTP |`,
    '| --- | ---: |',
    `| spread over 1,000 slots (target ≥ 50%, p99 < 100 ms) | ${ratio(rows[1]!, rows[0]!)} (p99 ${rows[1]!.p99.toFixed(0)} ms) |`,
    `| one hot slot (target ≥ 100%) | ${ratio(rows[4]!, rows[3]!)} |`,
    `| spread, two server processes (against one process: ${ratio(rows[5]!, rows[1]!)}) | ${ratio(rows[5]!, rows[0]!)} |`,
    '',
    'Re-run: `npm run bench:booking` (BENCH_SECONDS to change the duration, BENCH_NOTE to add a line about the machine).',
  ].join('\n');
  await writeSection('Booking', body);
  console.log(body);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
