/**
 * npm run bench:booking — bookings per second and latency through HTTP, next to the same
 * transactions sent straight to PostgreSQL with `pg`, measured in the same run.
 *
 * Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). Uses its own
 * schema `bench_booking`, dropped and refilled each run. Loopback only; bounded in time and count.
 */
import pg from 'pg';
import { Pool as HttpPool } from 'undici';
import { generateReservationNumber } from '../server/modules/reservations/index.js';
import { createSessionCodec, SESSION_COOKIE } from '../server/platform/session.js';
import { machineLine, runLoad, startServer, table, writeSection, type LoadResult } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_booking';
const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const CONCURRENCY = 64;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const PER_SCENARIO = 50_000;
const POOL_MAX = Number(process.env.BENCH_POOL || 10);
const SPREAD_SLOTS = 1000;

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
  const opens = "now() - interval '1 day'";
  const closes = "now() + interval '30 days'";
  await client.query(
    `insert into slots (venue_id, starts_at, duration_minutes, capacity, opens_at, closes_at)
     select 1, date_trunc('hour', now()) + interval '2 days' + (g * interval '30 minutes'), 30, case when g = 0 then 100000000 else 100000 end, ${opens}, ${closes}
     from generate_series(0, ${SPREAD_SLOTS}) g`,
  );
  await client.query(
    `insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
     select '131016', lpad(g::text, 10, '0'), date '1970-01-01' + (g % 10000), '試験 ' || g, 'シケン', 'シケン', 'F'
     from generate_series(1, ${PER_SCENARIO * 4}) g`,
  );
  await client.query('analyze');
  const slots = await client.query<{ id: number }>('select id from slots order by starts_at');
  const first = await client.query<{ id: number }>('select min(id) as id from residents');
  await client.end();
  const ids = slots.rows.map((r) => r.id);
  return { hotSlot: ids[0]!, spreadSlots: ids.slice(1), firstResident: first.rows[0]!.id };
}

/** The statements ReservationsService.book sends for one booking, in the same order, with pg. */
async function rawBooking(pool: pg.Pool, residentId: number, slotId: number): Promise<boolean> {
  // One round trip for the context: the resident with history and hold, and the slot with its venue…
  await Promise.all([
    pool.query(
      `select r.id, r.municipality_code, r.birth_date, r.name_kanji,
         (select coalesce(json_agg(d), '[]') from (select dose_number, administered_on, vaccine from dose_records where resident_id = r.id) d) as doses,
         (select coalesce(json_agg(b), '[]') from (select b.id, b.dose_number, b.vaccine, s.starts_at from reservations b join slots s on s.id = b.slot_id
            where b.resident_id = r.id and b.status = 'booked') b) as bookings,
         (select to_json(h) from (select slot_id, expires_at from holds where resident_id = r.id) h) as hold,
         exists (select member_id from family_links where account_id = $2 and member_id = r.id) as is_family
       from residents r where r.id = $1`,
      [residentId, residentId],
    ),
    pool.query(
      `select s.id, s.venue_id, s.starts_at, s.duration_minutes, s.capacity, s.taken, s.opens_at, s.closes_at, v.vaccine, v.municipality_code, v.name_ja, v.name_en, v.address, v.map_url
       from slots s join venues v on v.id = s.venue_id where s.id = $1`,
      [slotId],
    ),
  ]);
  // …then one statement, atomic on its own, takes the place and writes the reservation and its event.
  const inserted = await pool.query(
    `with place as (update slots set taken = taken + 1 where id = $1 and taken < capacity returning id),
     booked as (
       insert into reservations (number, resident_id, slot_id, dose_number, vaccine, status, made_by_kind, made_by_resident_id, auto_scheduled)
       select $2::text, $3::int, place.id, 1, 'pfizer', 'booked', 'self', $3::int, false from place
       returning id, number, created_at, slot_id),
     event as (
       insert into reservation_events (reservation_id, kind, to_slot_id, actor_kind, actor_resident_id)
       select id, 'booked', slot_id, 'self', $3::int from booked)
     select id, number, created_at from booked`,
    [slotId, generateReservationNumber(), residentId],
  );
  return inserted.rowCount === 1;
}

async function main(): Promise<void> {
  console.log(`Preparing ${SCHEMA} (${PER_SCENARIO * 4} residents, ${SPREAD_SLOTS + 1} slots)…`);
  const { hotSlot, spreadSlots, firstResident } = await prepareDatabase();
  const server = await startServer({
    DATABASE_URL,
    DATABASE_SCHEMA: SCHEMA,
    SESSION_SECRET: SECRET,
    DATABASE_POOL_MAX: String(POOL_MAX),
  });
  const codec = createSessionCodec(Buffer.from(SECRET), 3600);
  const http = new HttpPool(server.url, { connections: CONCURRENCY });
  const rawPool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_MAX, options: `-c search_path=${SCHEMA}` });
  const load = { concurrency: CONCURRENCY, seconds: SECONDS, maxOperations: PER_SCENARIO };

  const httpBooking = (residentOffset: number, slotFor: (i: number) => number) => async (i: number) => {
    const session = codec.issue(firstResident + residentOffset + i, '131016', Date.now());
    const response = await http.request({
      method: 'POST',
      path: '/api/v1/reservations',
      headers: {
        'content-type': 'application/json',
        cookie: `${SESSION_COOKIE}=${codec.encode(session)}`,
        'x-csrf-token': session.csrfToken,
      },
      body: JSON.stringify({ slotId: slotFor(i) }),
    });
    await response.body.dump();
    return response.statusCode === 201;
  };
  const spread = (i: number) => spreadSlots[i % spreadSlots.length]!;
  const hot = () => hotSlot;

  // Warm up both paths (JIT, connection pools, plan caches) on residents not used later.
  await runLoad('warm-up', { ...load, seconds: 2, maxOperations: 2000 }, (i) =>
    rawBooking(rawPool, firstResident + PER_SCENARIO * 4 - 4000 + i, spread(i)),
  );
  await runLoad('warm-up', { ...load, seconds: 2, maxOperations: 2000 }, httpBooking(PER_SCENARIO * 4 - 2000 - 1, spread));

  const results: LoadResult[] = [];
  results.push(await runLoad('raw SQL (pg), one hot slot', load, (i) => rawBooking(rawPool, firstResident + i, hotSlot)));
  results.push(await runLoad('HTTP POST /api/v1/reservations, one hot slot', load, httpBooking(PER_SCENARIO, hot)));
  results.push(
    await runLoad('raw SQL (pg), spread over 1,000 slots', load, (i) =>
      rawBooking(rawPool, firstResident + PER_SCENARIO * 2 + i, spread(i)),
    ),
  );
  results.push(
    await runLoad('HTTP POST /api/v1/reservations, spread over 1,000 slots', load, httpBooking(PER_SCENARIO * 3 - 4000, spread)),
  );

  await http.close();
  await rawPool.end();
  server.process.kill('SIGTERM');

  const ratio = (httpRow: LoadResult, rawRow: LoadResult) => `${((httpRow.perSecond / rawRow.perSecond) * 100).toFixed(0)}%`;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machineLine()}, PostgreSQL at 127.0.0.1.`,
    `${CONCURRENCY} concurrent clients, ${SECONDS} s per row, server and raw path both with a pool of ${POOL_MAX} connections;`,
    'the load generator, the server and PostgreSQL share the same 2 cores. Each booking is a new resident booking dose 1',
    '(same statements on both paths: one round trip of two reads for the resident with dose history and the slot',
    'with its venue, then one statement, atomic by itself, that takes the place (conditional UPDATE) and inserts the reservation and its event).',
    '',
    table(results),
    '',
    `HTTP reaches ${ratio(results[1]!, results[0]!)} of the raw SQL rate on the hot slot and ${ratio(results[3]!, results[2]!)} spread over 1,000 slots.`,
    'Target: at least 50%, with p99 under 100 ms. Re-run: `npm run bench:booking` (BENCH_SECONDS to change the duration).',
  ].join('\n');
  await writeSection('Booking (issue 3)', body);
  console.log(body);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
