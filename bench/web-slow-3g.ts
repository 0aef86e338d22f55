/**
 * How long until the resident start page is usable on a slow phone connection: Debian's Chromium,
 * headless, with Chromium's own throttling (CDP): Slow 3G (400 kbit/s down and up, 400 ms round
 * trip) and the CPU slowed 4×. "Usable" means the page's h1 and its start button are on screen,
 * which on the real app also means its JavaScript ran (React draws both). Cold cache every run
 * (a new browser context), median of 5, next to a bare static HTML page served by node:http.
 *
 *   npm run bench:web          (builds the web app, starts the real server with its demo data)
 *
 * Writes a section to docs/benchmarks.md. Exits with 1 when the median is over the target.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/chromium.js';
import { startServer, writeSection } from './support.js';

const RUNS = 5;
const TARGET_MS = 5000;
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
const CPU_SLOWDOWN = 4;
const DEMO_MUNICIPALITY = '131016';

/** Marks the moment (ms since navigation start) the h1 and the start button are both visible. */
const USABLE_PROBE = `(() => {
  const shown = (el) => el && el.getBoundingClientRect().height > 0 && getComputedStyle(el).visibility !== 'hidden';
  const check = () => {
    if (window.__usableAt === undefined && shown(document.querySelector('h1')) && shown(document.querySelector('.button-start'))) {
      window.__usableAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
})();`;

interface Run {
  ms: number;
  bytes: number;
}

async function measure(browser: Browser, url: string): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'ja-JP' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));
    await page.addInitScript(USABLE_PROBE);
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => (globalThis as { __usableAt?: number }).__usableAt !== undefined, undefined, { timeout: 60_000 });
    const ms = await page.evaluate(() => (globalThis as { __usableAt?: number }).__usableAt!);
    return { ms, bytes };
  } finally {
    await context.close();
  }
}

/** The floor: the same two elements in a bare HTML page, no CSS, no JavaScript, no API call. */
async function startBaseline(): Promise<{ url: string; close: () => void }> {
  const html =
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>ワクチン接種予約</title></head><body><h1>ワクチン接種の予約</h1><p>接種券をお手元にご用意ください。</p>' +
    '<a class="button-start" href="#">予約を始める</a></body></html>';
  const server = http.createServer((_, response) =>
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The JavaScript the start page's HTML loads, raw and gzipped, from the build. */
function entryScripts(): { raw: number; gzip: number } {
  const root = path.resolve('dist/web');
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) =>
    fs.readFileSync(path.join(root, m[1]!)),
  );
  return { raw: files.reduce((n, f) => n + f.length, 0), gzip: files.reduce((n, f) => n + gzipSync(f).length, 0) };
}

async function main(): Promise<void> {
  // The build users get: Vite takes React's build from NODE_ENV, so it must say production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({ configFile: path.resolve('vite.config.ts'), mode: 'production', logLevel: 'warn' });
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
  // The server as `npm start` runs it (server/main.ts, demo data), on its own fresh data folder.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-bench-web-'));
  const appRuns: Run[] = [];
  const baseRuns: Run[] = [];
  let chromiumVersion: string;
  try {
    const app = await startServer({ DATA_DIR: dataDir, DEMO: 'true' });
    const baseline = await startBaseline();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    chromiumVersion = browser.version();
    const appUrl = `${app.url}/m/${DEMO_MUNICIPALITY}`;
    try {
      // One unthrottled visit first, so the server's first-request costs are not counted.
      const warm = await browser.newPage();
      await warm.goto(appUrl);
      await warm.locator('.button-start').waitFor();
      await warm.close();
      for (let i = 0; i < RUNS; i++) {
        appRuns.push(await measure(browser, appUrl));
        baseRuns.push(await measure(browser, baseline.url));
        console.log(
          `run ${i + 1}: app ${appRuns[i]!.ms.toFixed(0)} ms (${(appRuns[i]!.bytes / 1000).toFixed(1)} KB), bare HTML ${baseRuns[i]!.ms.toFixed(0)} ms`,
        );
      }
    } finally {
      await browser.close();
      baseline.close();
      app.process.kill('SIGTERM');
      await new Promise((resolve) => app.process.once('exit', resolve));
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const appMedian = median(appRuns.map((r) => r.ms));
  const baseMedian = median(baseRuns.map((r) => r.ms));
  const scripts = entryScripts();
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const row = (name: string, runs: Run[]) =>
    `| ${name} | ${runs.map((r) => seconds(r.ms)).join(', ')} | **${seconds(median(runs.map((r) => r.ms)))}** | ${(median(runs.map((r) => r.bytes)) / 1000).toFixed(1)} KB |`;
  const memory = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const body = [
    `Machine: ${os.availableParallelism()} cores (nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}), ${memory}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    `Debian Chromium ${chromiumVersion} headless at 360 × 740, throttled through CDP: Slow 3G (400 kbit/s down, 400 kbit/s up, 400 ms round trip) and CPU ×${CPU_SLOWDOWN}; cold cache (a new browser context per run), ${RUNS} runs, alternating.`,
    'Usable = the h1 and the start button are visible (on the app, React drew them: its JavaScript ran), timed from navigation start.',
    '',
    '| page | runs | median | transferred |',
    '| --- | --- | ---: | ---: |',
    row(`Yoyaku start page \`/m/${DEMO_MUNICIPALITY}\` (real server, demo data)`, appRuns),
    row('bare static HTML (node:http), same h1 and button', baseRuns),
    '',
    `Target: usable in under ${seconds(TARGET_MS)} → ${appMedian < TARGET_MS ? 'met' : '**not met**'} (${seconds(appMedian - baseMedian)} above the bare page).`,
    `JavaScript loaded by the start page: ${(scripts.raw / 1000).toFixed(1)} KB, ${(scripts.gzip / 1000).toFixed(1)} KB gzipped (budget 150 KB gzipped, checked by e2e/bundle-budget.e2e.ts).`,
    'The server sends the .br (or .gz) the build writes beside each script and stylesheet; before it did, this page took 9.43 s (359 KB transferred, first run of this script on 2026-11-24).',
    'Re-run: `npm run bench:web`.',
  ].join('\n');
  await writeSection('Resident web app on slow 3G (issue 4)', body);
  console.log(`\n${body}`);
  if (appMedian >= TARGET_MS) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
