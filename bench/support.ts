import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Shared pieces of the benchmarks: ports, the server process, latency statistics, the report file. */

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  // BENCH_PROFILE_DIR: the server writes a CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...(options.nodeArgs ?? []), 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DEMO: 'false', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (
      await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

export interface LoadResult {
  name: string;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs `operation` from `concurrency` loops until `seconds` pass or `maxOperations` are done.
 * `operation(i)` gets a unique index and returns true on success.
 */
export async function runLoad(
  name: string,
  options: { concurrency: number; seconds: number; maxOperations: number },
  operation: (index: number) => Promise<boolean>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && next < options.maxOperations) {
        const index = next++;
        const t0 = performance.now();
        const ok = await operation(index).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    ok: latencies.length - errors,
    errors,
    seconds,
    perSecond: (latencies.length - errors) / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Replaces (or appends) one `## heading` section of docs/benchmarks.md, leaving the others alone. */
export async function writeSection(heading: string, body: string): Promise<void> {
  const file = path.resolve('docs/benchmarks.md');
  let text = await fs
    .readFile(file, 'utf8')
    .catch(() => '# Benchmarks\n\nFigures written by the scripts in bench/. Re-run them to refresh.\n');
  const start = text.indexOf(`\n## ${heading}\n`);
  const section = `\n## ${heading}\n\n${body.trim()}\n`;
  if (start === -1) {
    text = `${text.trimEnd()}\n${section}`;
  } else {
    const end = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (end === -1 ? '' : text.slice(end));
  }
  await fs.writeFile(file, text);
}

export function table(rows: LoadResult[]): string {
  const lines = [
    '| path | ok | errors | per second | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.ok} | ${r.errors} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`),
  ];
  return lines.join('\n');
}

/**
 * CPU time (user + system, ms) a process and its threads have used, from /proc: what a request
 * costs the server, which drifts far less than requests/s on a shared machine. With `children`,
 * the process's direct children are added (nginx's worker under its master).
 */
export function cpuMilliseconds(pid: number, options: { children?: boolean } = {}): number {
  const own = (id: number) => {
    const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  };
  const children = options.children
    ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
    : [];
  return own(pid) + children.reduce((sum, id) => sum + own(id), 0);
}
