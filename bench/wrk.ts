import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadResult } from './support.js';

const run = promisify(execFile);
const LUA_DIR = path.resolve('bench/wrk');

/**
 * HTTP load from wrk (C, epoll; one thread per core), so that the generator is not what saturates:
 * a Node load generator tops out below a bare node:http server on two cores.
 */
export async function wrk(
  name: string,
  url: string,
  options: { connections: number; seconds: number; threads?: number; script?: 'get' | 'book' | 'join'; env?: Record<string, string> },
): Promise<LoadResult> {
  const threads = options.threads ?? 2;
  const { stdout } = await run(
    'wrk',
    [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--timeout',
      '5s',
      '-s',
      path.join(LUA_DIR, `${options.script ?? 'get'}.lua`),
      url,
    ],
    { env: { ...process.env, WRK_LUA_DIR: LUA_DIR, WRK_THREADS: String(threads), ...options.env }, maxBuffer: 1 << 20 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no report:\n${stdout}`);
  const r = JSON.parse(line.slice(9)) as Record<string, number>;
  const seconds = r.durationUs! / 1e6;
  const errors = r.status! + r.connect! + r.read! + r.write! + r.timeout!;
  const ok = r.requests! - r.status!;
  return { name, ok, errors, seconds, perSecond: ok / seconds, p50: r.p50! / 1000, p99: r.p99! / 1000 };
}
