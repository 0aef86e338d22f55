/**
 * npm run bench:staff — two figures of the staff side (issue 9), written to the "Staff: password
 * hashing and the access check (issue 9, <database>)" section of docs/benchmarks.md:
 *
 * 1. How long one password hash (argon2id, 19 MiB, 2 passes) and one verification take here.
 * 2. What the access check costs a request: the same trivial handler mounted twice in one server,
 *    under /api/v1/staff (so the access hook reads the session row and decides) and outside it
 *    (no hook), loaded in turn by wrk in the same run; plus GET /api/v1/staff/me, a real route.
 *
 * The database is PostgreSQL when DATABASE_URL is set (its own schema `bench_staff`, refilled each
 * run), else the embedded PGlite in a temporary folder. Loopback only; each load lasts BENCH_SECONDS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/database.js';
import { createAuditLog } from '../server/modules/audit/index.js';
import { createOutboxSmsSender } from '../server/modules/notifications/index.js';
import { createAdminAccounts, hashPassword, verifyPassword } from '../server/modules/staff/index.js';
import { systemClock } from '../server/platform/clock.js';
import { openEventBus } from '../server/platform/event-bus.js';
import { createLogger } from '../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../server/platform/rate-limit/memory-store.js';
import { machineLine, percentile, writeSection } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const SCHEMA = 'bench_staff';
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const HASHES = Number(process.env.BENCH_HASHES || 30);
const run = promisify(execFile);

async function passwordFigures() {
  const password = 'lantern 4f1c orchard violet';
  await hashPassword(password); // warm-up: the native module's first call
  const hashTimes: number[] = [];
  let hashed = '';
  for (let i = 0; i < HASHES; i++) {
    const t0 = performance.now();
    hashed = await hashPassword(password);
    hashTimes.push(performance.now() - t0);
  }
  const verifyTimes: number[] = [];
  for (let i = 0; i < HASHES; i++) {
    const t0 = performance.now();
    await verifyPassword(hashed, password);
    verifyTimes.push(performance.now() - t0);
  }
  // Four at once, as parallel sign-ins meet them: libuv's pool has four threads.
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => hashPassword(password)));
  const eightParallel = performance.now() - t0;
  hashTimes.sort((a, b) => a - b);
  verifyTimes.sort((a, b) => a - b);
  return { hashed, hashTimes, verifyTimes, eightParallel };
}

interface WrkResult {
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  cpuMicrosPerRequest: number;
}

function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

/** wrk against one URL; the server runs in this process, so its CPU time per request is measured too. */
async function load(url: string, cookie: string): Promise<WrkResult> {
  const cpu0 = process.cpuUsage();
  const { stdout } = await run('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-H', `Cookie: ${cookie}`, url], {
    maxBuffer: 1 << 20,
  });
  const cpu = process.cpuUsage(cpu0);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50: millis(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    p99: millis(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    requests,
    errors,
    cpuMicrosPerRequest: requests > 0 ? (cpu.user + cpu.system) / requests : 0,
  };
}

async function openBenchDatabase() {
  if (DATABASE_URL) {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await admin.end();
    return { db: await openDatabase({ url: DATABASE_URL, dataDir: os.tmpdir(), schema: SCHEMA, poolMax: 20 }), kind: 'PostgreSQL' };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-staff-'));
  return { db: await openDatabase({ url: undefined, dataDir, schema: 'public', poolMax: 1 }), kind: 'PGlite (embedded)' };
}

async function accessFigures() {
  const { db, kind } = await openBenchDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-staff-data-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const events = await openEventBus({ url: DATABASE_URL, schema: SCHEMA, logger });
  const app = await buildApp({
    config,
    db,
    clock: systemClock,
    logger,
    rateLimits: createMemoryRateLimitStore(systemClock),
    signingKey: Buffer.from('bench-staff-signing-key-of-32-bytes-or-more'),
    sms: createOutboxSmsSender(dataDir, logger),
    events,
  });
  // The same handler twice: behind the access hook (it is under /api/v1/staff) and not.
  const handler = async () => ({ ok: true });
  app.server.get('/api/v1/staff/bench/ping', { config: { action: 'self.view' }, schema: { hide: true } }, handler);
  app.server.get('/bench/ping', { schema: { hide: true } }, handler);
  const base = await app.server.listen({ port: 0, host: '127.0.0.1' });

  const created = await createAdminAccounts({ db, clock: systemClock, publicUrl: base, audit: createAuditLog(db) }).createAdmin(
    'bench@example.org',
  );
  const token = created.link.url.split('#')[1]!;
  const opened = await fetch(`${base}/api/v1/staff/links/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  }).then((r) => r.json() as Promise<{ totp: { secret: string } }>);
  const enrolled = await fetch(`${base}/api/v1/staff/enrolment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, password: 'lantern 4f1c orchard violet', code: await generate({ secret: opened.totp.secret }) }),
  });
  if (enrolled.status !== 201) throw new Error(`enrolment failed: ${enrolled.status} ${await enrolled.text()}`);
  const cookie = enrolled.headers
    .getSetCookie()
    .find((c) => c.startsWith('yoyaku_staff='))!
    .split(';')[0]!;

  // Warm up, then each route twice in turn, so that drift of the machine hits both alike.
  await load(`${base}/bench/ping`, cookie);
  const rounds: Record<'without' | 'with' | 'me', WrkResult[]> = { without: [], with: [], me: [] };
  for (let round = 0; round < 2; round++) {
    rounds.without.push(await load(`${base}/bench/ping`, cookie));
    rounds.with.push(await load(`${base}/api/v1/staff/bench/ping`, cookie));
    rounds.me.push(await load(`${base}/api/v1/staff/me`, cookie));
  }
  await app.server.close();
  await events.close();
  await db.destroy();
  const mean = (list: WrkResult[], key: keyof WrkResult) => list.reduce((sum, r) => sum + (r[key] as number), 0) / list.length;
  const summary = (list: WrkResult[]) => ({
    perSecond: mean(list, 'perSecond'),
    p50: mean(list, 'p50'),
    p99: mean(list, 'p99'),
    cpu: mean(list, 'cpuMicrosPerRequest'),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    requests: list.reduce((sum, r) => sum + r.requests, 0),
    each: list.map((r) => r.perSecond.toFixed(0)).join(', '),
  });
  return { kind, without: summary(rounds.without), with: summary(rounds.with), me: summary(rounds.me) };
}

async function wrkVersion(): Promise<string> {
  const { stdout, stderr } = await run('wrk', ['--version']).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }));
  const line = (stdout || stderr).split('\n')[0]!.trim();
  return `wrk ${/^wrk\s+(\S+)/.exec(line)?.[1] ?? line}`;
}

async function main(): Promise<void> {
  const passwords = await passwordFigures();
  const access = await accessFigures();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ms = (n: number) => n.toFixed(1);
  const extraCpu = access.with.cpu - access.without.cpu;
  const row = (name: string, s: typeof access.with) =>
    `| ${name} | ${s.perSecond.toFixed(0)} (${s.each}) | ${ms(s.p50)} | ${ms(s.p99)} | ${s.cpu.toFixed(0)} | ${s.errors} of ${s.requests} |`;
  const body = `
Machine: ${machineLine()}, ${date} UTC. Database: ${access.kind}. Load: ${await wrkVersion()}, 1 thread, ${CONNECTIONS} connections, ${SECONDS} s per run, each route twice in turn.

**One password hash** (argon2id, m = 19 MiB, t = 2, p = 1; \`${passwords.hashed.slice(0, 30)}…\`), ${HASHES} in a row:
median ${ms(percentile(passwords.hashTimes, 50))} ms, p95 ${ms(percentile(passwords.hashTimes, 95))} ms; one verification (what a sign-in costs) median ${ms(percentile(passwords.verifyTimes, 50))} ms, p95 ${ms(percentile(passwords.verifyTimes, 95))} ms.
Eight hashes started together took ${ms(passwords.eightParallel)} ms (libuv's four threads on this machine's cores; the event loop is free meanwhile).

**The access check per request**: the same handler (\`{ ok: true }\`) behind the access hook (\`/api/v1/staff/bench/ping\`, action \`self.view\`: the session row and the account's roles read in one query, the decision, the CSRF rule) and without it (\`/bench/ping\`), in one server process, same run.

| route | requests/s (runs) | p50 ms | p99 ms | server CPU µs / request | errors |
| --- | ---: | ---: | ---: | ---: | ---: |
${row('without the access hook', access.without)}
${row('with the access hook', access.with)}
${row('GET /api/v1/staff/me (hook + account read)', access.me)}

The hook costs ${extraCpu.toFixed(0)} µs of server CPU per request here (${access.kind === 'PGlite (embedded)' ? 'the embedded database runs in the same process, so its query time is in this figure' : "PostgreSQL's own time for the query is in its process, not in this figure"}) and ${ms(access.with.p50 - access.without.p50)} ms at the median under this load: the checked route serves ${((access.with.perSecond / access.without.perSecond) * 100).toFixed(0)}% of the rate of one that answers from memory, because every request reads the session row. That read is what makes a session ended anywhere (sign-out, sign-out everywhere, a disabled account) refused by every process on its very next request, with no cache to go stale (docs/adr/0005). Staff send a few requests a minute each; ${access.with.perSecond.toFixed(0)} checked requests a second is far beyond any staff room. wrk is not the limit: it drives the route without the hook ${(access.without.perSecond / access.with.perSecond).toFixed(1)}× faster on the same connections.
Re-run: \`npm run bench:staff\` (PostgreSQL: \`DATABASE_URL=postgres://… npm run bench:staff\`).
`;
  await writeSection(`Staff: password hashing and the access check (issue 9, ${access.kind})`, body);
  console.log(body);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
