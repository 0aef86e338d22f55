/**
 * npm run bench:call-centre — the call centre's caller search on a municipality of 1,000,000
 * residents (issue 12), written to the "Call centre: finding a caller (issue 12, <database>)"
 * section of docs/benchmarks.md.
 *
 * Two searches an operator makes, each timed through HTTP (access hook, session, parsing of the
 * spoken birth date, the query, the audit row) and, in the same run, as the bare indexed SQL query
 * straight on the database (the baseline):
 * - kana + birth date as callers say it (さとー はなこ, S25.4.1): any part of the name among the
 *   people born that day;
 * - the start of the name alone (the family name): the first 21 in index order.
 *
 * PostgreSQL when DATABASE_URL is set (its own schema `bench_call_centre`, refilled each run), else
 * the embedded PGlite. BENCH_RESIDENTS (1,000,000) and BENCH_SEARCHES (500) change the sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { generate } from 'otplib';
import pg from 'pg';
import { eraOf } from '../shared/japanese-era.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase, type Db } from '../server/db/database.js';
import { createAuditLog } from '../server/modules/audit/index.js';
import { createOutboxSmsSender } from '../server/modules/notifications/index.js';
import { DEFAULT_POSTCARD_FONT, renderPostcards } from '../server/modules/call-centre/index.js';
import { normaliseKana } from '../server/modules/residents/index.js';
import { createAdminAccounts } from '../server/modules/staff/index.js';
import { systemClock } from '../server/platform/clock.js';
import { openEventBus } from '../server/platform/event-bus.js';
import { createLogger } from '../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../server/platform/rate-limit/memory-store.js';
import { machineLine, percentile, writeSection } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const SCHEMA = 'bench_call_centre';
const RESIDENTS = Number(process.env.BENCH_RESIDENTS || 1_000_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES || 500);
const CODE = '131016';

const FAMILY = (
  'サトウ スズキ タカハシ タナカ ワタナベ イトウ ヤマモト ナカムラ コバヤシ カトウ ヨシダ ヤマダ ササキ ヤマグチ マツモト ' +
  'イノウエ キムラ ハヤシ サイトウ シミズ ヤマザキ モリ イケダ ハシモト アベ イシカワ ヤマシタ ナカジマ イシイ オガワ ' +
  'マエダ オカダ ハセガワ フジタ ゴトウ コンドウ ムラカミ エンドウ アオキ サカモト フクダ オオタ ニシムラ フジイ キクチ ' +
  'オカモト マツダ ナカガワ ナカノ ハラダ オノ タムラ タケウチ カネコ ワダ ナカヤマ イシダ ウエダ モリタ シバタ'
).split(' ');
const GIVEN = (
  'ハナコ タロウ イチロウ ケイコ キョウコ ヨウコ ヒロシ タカシ マサル ユウコ アキラ シゲル カズコ ミチコ サチコ ノリコ ' +
  'ヨシコ トシオ マサオ ススム ジュン ショウヘイ ユウキ ダイスケ ショウタ ハルカ サクラ ミサキ アヤ メグミ ケンジ コウジ ' +
  'ヒデオ フミコ トモコ マユミ ナオキ リョウ ツヨシ チヨ'
).split(' ');

async function openBenchDatabase(): Promise<{ db: Db; kind: string }> {
  if (DATABASE_URL) {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
    return { db: await openDatabase({ url: DATABASE_URL, dataDir: os.tmpdir(), schema: SCHEMA, poolMax: 10 }), kind: 'PostgreSQL' };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-call-centre-'));
  return { db: await openDatabase({ url: undefined, dataDir, schema: 'public', poolMax: 1 }), kind: 'PGlite (embedded)' };
}

/** A million residents in one statement: names from the lists above, birth dates over 80 years. */
async function seed(db: Db): Promise<void> {
  await sql`insert into municipalities (code, name_ja, name_en) values (${CODE}, '千代田区', 'Chiyoda')`.execute(db);
  const kana = FAMILY.flatMap((f) => GIVEN.map((g) => `${f} ${g}`));
  const keys = kana.map(normaliseKana);
  await sql`
    insert into residents (municipality_code, voucher_number, birth_date, name_kanji, name_kana, name_kana_key, sex)
    select ${CODE}, lpad(i::text, 10, '0'), date '1925-01-01' + ((i::bigint * 7919) % 29220)::int,
           '住民 ' || i, (${kana}::text[])[1 + (i * 31) % ${kana.length}], (${keys}::text[])[1 + (i * 31) % ${kana.length}],
           case when i % 2 = 0 then 'F' else 'M' end
    from generate_series(1, ${RESIDENTS}) as i`.execute(db);
  await sql`analyze residents`.execute(db);
}

/** The birth date as a caller says it: 昭和25年4月1日 or S25.4.1, one or the other. */
function spoken(date: string, i: number): string {
  const era = eraOf(date)!;
  const [, month, day] = date.split('-').map(Number);
  return i % 2 === 0 ? `${era.era.nameJa}${era.year}年${month}月${day}日` : `${era.era.id[0]!.toUpperCase()}${era.year}.${month}.${day}`;
}

/** The kana as a caller spells it: hiragana, long vowels with ー. */
function typed(kana: string): string {
  return kana.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60)).replace(/う(?= |$)/g, 'ー');
}

async function signIn(base: string, db: Db): Promise<string> {
  const created = await createAdminAccounts({ db, clock: systemClock, publicUrl: base, audit: createAuditLog(db) }).createAdmin(
    'bench-call-centre@example.org',
  );
  const token = created.link.url.split('#')[1]!;
  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const opened = (await (await post('/api/v1/staff/links/open', { token })).json()) as { totp: { secret: string } };
  const enrolled = await post('/api/v1/staff/enrolment', {
    token,
    password: 'lantern 4f1c orchard violet',
    code: await generate({ secret: opened.totp.secret }),
  });
  if (enrolled.status !== 201) throw new Error(`enrolment failed: ${enrolled.status} ${await enrolled.text()}`);
  return enrolled.headers
    .getSetCookie()
    .find((c) => c.startsWith('yoyaku_staff='))!
    .split(';')[0]!;
}

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

async function main() {
  const { db, kind } = await openBenchDatabase();
  const seedStart = performance.now();
  await seed(db);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-call-centre-data-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', LIMIT_OPERATOR_LOOKUPS_PER_ACCOUNT: '1000000' });
  const logger = createLogger('silent');
  const events = await openEventBus({ url: DATABASE_URL, schema: SCHEMA, logger });
  const app = await buildApp({
    config,
    db,
    clock: systemClock,
    logger,
    rateLimits: createMemoryRateLimitStore(systemClock),
    signingKey: Buffer.from('bench-call-centre-signing-key-32-bytes!'),
    sms: createOutboxSmsSender(dataDir, logger),
    events,
  });
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const cookie = await signIn(base, db);

  const callers = await sql<{ id: number; name_kana: string; name_kana_key: string; birth_date: string }>`
    select id, name_kana, name_kana_key, birth_date from residents where id in (
      select (1 + (i::bigint * 104729) % ${RESIDENTS})::int from generate_series(1, ${SEARCHES}) as i)`.execute(db);
  const people = callers.rows;
  const search = async (query: Record<string, string>) => {
    const t0 = performance.now();
    const response = await fetch(`${base}/api/v1/staff/municipalities/${CODE}/call-centre/callers?${new URLSearchParams(query)}`, {
      headers: { cookie },
    });
    const body = (await response.json()) as { results: { residentId: number }[] };
    if (response.status !== 200) throw new Error(`search answered ${response.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, ids: body.results.map((r) => r.residentId) };
  };
  // The bare queries the repository sends, with the same parameters, on the same connection pool.
  const bareByDate = async (key: string, date: string) => {
    const t0 = performance.now();
    await sql`select id, name_kana, birth_date from residents where municipality_code = ${CODE} and birth_date = ${date}
              and name_kana_key collate "C" like ${`%${key}%`} order by name_kana_key collate "C", birth_date, id limit 21`.execute(db);
    return performance.now() - t0;
  };
  const barePrefix = async (key: string) => {
    const t0 = performance.now();
    await sql`select id, name_kana, birth_date from residents where municipality_code = ${CODE}
              and name_kana_key collate "C" like ${`${key}%`} order by name_kana_key collate "C", birth_date, id limit 21`.execute(db);
    return performance.now() - t0;
  };

  // Warm-up of both paths, then the two in turn, caller by caller, so that the machine's drift hits both alike.
  for (const p of people.slice(0, 20)) {
    await search({ kana: typed(p.name_kana), birthDate: spoken(p.birth_date, 0) });
    await bareByDate(p.name_kana_key, p.birth_date);
  }
  const http = { byDate: [] as number[], prefix: [] as number[] };
  const bare = { byDate: [] as number[], prefix: [] as number[] };
  let misses = 0;
  for (const [i, p] of people.entries()) {
    const found = await search({ kana: typed(p.name_kana), birthDate: spoken(p.birth_date, i) });
    if (!found.ids.includes(p.id)) misses++;
    http.byDate.push(found.ms);
    bare.byDate.push(await bareByDate(p.name_kana_key, p.birth_date));
    const family = p.name_kana.split(' ')[0]!;
    http.prefix.push((await search({ kana: typed(family) })).ms);
    bare.prefix.push(await barePrefix(normaliseKana(family)));
  }
  const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from residents where municipality_code = ${CODE}
      and name_kana_key collate "C" like ${'サト%'} order by name_kana_key collate "C", birth_date, id limit 21`.execute(db);
  const datePlan = await sql<{ 'QUERY PLAN': string }>`explain select id from residents where municipality_code = ${CODE}
      and birth_date = ${'1950-04-01'} and name_kana_key collate "C" like ${'%ハナコ%'} order by name_kana_key collate "C", birth_date, id limit 21`.execute(
    db,
  );
  await app.server.close();
  await events.close();
  await db.destroy();

  const ms = (value: number) => value.toFixed(2);
  const row = (name: string, h: number[], b: number[]) => {
    const [hs, bs] = [stats(h), stats(b)];
    return `| ${name} | ${ms(hs.p50)} | ${ms(hs.p99)} | ${ms(bs.p50)} | ${ms(bs.p99)} | ${(hs.p99 / bs.p99).toFixed(1)}× |`;
  };
  const firstLine = (rows: { 'QUERY PLAN': string }[]) => rows.map((r) => r['QUERY PLAN'].trim()).join(' → ');
  const body = `${machineLine()}. ${RESIDENTS.toLocaleString('en')} residents in one municipality (${FAMILY.length} family names × ${GIVEN.length} given names, birth dates over 80 years: about ${Math.round(RESIDENTS / 29220)} people a day), seeded in ${seedSeconds.toFixed(0)} s; ${people.length} callers, each searched one after the other (no concurrency). The machine was shared with other helpers' work during the run (load average ${os.loadavg()[0]!.toFixed(1)} at the end, on ${os.cpus().length} cores), so read the ratio more than the absolute figures.

| search | HTTP p50 ms | HTTP p99 ms | bare SQL p50 ms | bare SQL p99 ms | p99 ratio |
| --- | --- | --- | --- | --- | --- |
${row('kana (hiragana, ー) + era birth date', http.byDate, bare.byDate)}
${row('family name alone (first 21)', http.prefix, bare.prefix)}

HTTP is the whole request: session and access check, parsing 昭和25年4月1日 / S25.4.1, the query, and the audit row written before the answer. Bare SQL is the same query with the same parameters on the same pool. Callers not found by their own kana and birth date: ${misses}.

Plans: prefix — \`${firstLine(plan.rows)}\`; kana + birth date — \`${firstLine(datePlan.rows)}\`.

Both searches read a handful of index entries whatever the municipality's size (the plans above), so the bare query's median is the database's round trip; what the HTTP figure adds is the request's own work, mostly the session read and the audit row (two more round trips). On a quiet machine the HTTP p99 is a few times the median; on a shared one the tail is the machine's (the bare query's own p99 shows how much). Re-run: \`DATABASE_URL=postgres://… npm run bench:call-centre\` (PGlite without it; BENCH_RESIDENTS, BENCH_SEARCHES).`;
  await writeSection(`Call centre: finding a caller (issue 12, ${kind})`, body);
  console.log(body);
}

/**
 * A batch of BENCH_POSTCARDS (1,000) postcards written to a file as one PDF, timed, with the
 * process's resident memory sampled while it is written (flat memory: the pages leave as they are
 * made). Its own section of docs/benchmarks.md; BENCH_PART=postcards runs this alone.
 */
async function postcardBatch() {
  const count = Number(process.env.BENCH_POSTCARDS || 1000);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-postcards-')), 'postcards.pdf');
  async function* bookings() {
    for (let i = 0; i < count; i++) {
      yield {
        number: '2ABZ9K7M',
        name: `${['佐藤', '鈴木', '高橋', '田中'][i % 4]} ${['花子', '太郎', '恵子', '一郎'][(i >> 2) % 4]}`,
        address: `〒100-00${String(i % 100).padStart(2, '0')} 東京都千代田区千代田${1 + (i % 9)}-${1 + (i % 20)}`,
        dose: 1 + (i % 3),
        vaccine: { nameJa: 'ファイザー', nameEn: 'Pfizer' },
        startsAt: new Date(Date.UTC(2026, 11, 10, 0, 30 * (i % 16))),
        durationMinutes: 30,
        venue: { nameJa: '千代田区役所 4階ホール', nameEn: 'Chiyoda City Office hall', address: '東京都千代田区九段南1-2-1' },
      };
    }
  }
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 50);
  const t0 = performance.now();
  const doc = renderPostcards(bookings(), {
    language: 'ja',
    fontPath: process.env.POSTCARD_FONT || DEFAULT_POSTCARD_FONT,
    sender: {
      nameJa: '千代田区',
      nameEn: 'Chiyoda City',
      timeZone: 'Asia/Tokyo',
      callCentrePhone: '0120-123-456',
      bookingUrl: 'https://yoyaku.example.jp/',
    },
  });
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    doc.pipe(out).on('finish', resolve).on('error', reject);
    doc.on('error', reject);
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const body = `${machineLine()}; load average ${os.loadavg()[0]!.toFixed(1)} (shared with other work).

${count.toLocaleString('en')} postcards (two pages each, Noto Sans CJK embedded once, subset to the glyphs used) written as one PDF in ${seconds.toFixed(1)} s (${((seconds * 1000) / count).toFixed(1)} ms a card), ${mb(fs.statSync(file).size)} MB. Resident memory while writing: ${mb(Math.max(...rss.slice(0, tenth)))} MB at most in the first tenth of the run, ${mb(Math.max(...rss.slice(-tenth)))} MB at most in the last, ${mb(Math.max(...rss))} MB peak: flat, since each page is written out as the next begins (the service also reads the bookings in pages of 200). Re-run: \`BENCH_PART=postcards npm run bench:call-centre\`.`;
  await writeSection('Call centre: a batch of postcards (issue 12)', body);
  console.log(body);
}

if (process.env.BENCH_PART !== 'postcards') await main();
await postcardBatch();
