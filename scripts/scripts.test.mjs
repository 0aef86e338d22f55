import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuildCurrent, writeStamp } from './build-stamp.mjs';

function project() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-stamp-'));
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{}');
  write('server/main.ts', 'console.log(1)');
  write('server/main.test.ts', 'test');
  write('web/index.html', '<html>');
  return { root, write };
}

describe('npm start builds only when the sources changed', () => {
  it('needs a build at first, not after one, again after a source changes, not after a test changes', () => {
    const { root, write } = project();
    expect(isBuildCurrent(root)).toBe(false);
    write('dist/server/main.js', '');
    write('dist/web/index.html', '');
    writeStamp(root);
    expect(isBuildCurrent(root)).toBe(true);
    write('server/main.test.ts', 'another test');
    expect(isBuildCurrent(root)).toBe(true);
    write('server/main.ts', 'console.log(2)');
    expect(isBuildCurrent(root)).toBe(false);
  });

  it('rebuilds when the built output is gone, whatever the stamp says', () => {
    const { root, write } = project();
    write('dist/server/main.js', '');
    write('dist/web/index.html', '');
    writeStamp(root);
    fs.rmSync(path.join(root, 'dist/web'), { recursive: true });
    expect(isBuildCurrent(root)).toBe(false);
  });
});

describe('npm test on a machine without Chromium', () => {
  const run = (env) =>
    spawnSync(process.execPath, [path.resolve('scripts/ensure-browser.mjs')], { env: { ...process.env, ...env }, encoding: 'utf8' });

  it('stops at once with the exact command to run when it may not install it', () => {
    const started = Date.now();
    const result = run({ YOYAKU_CHROMIUM: '/nonexistent/chromium', YOYAKU_INSTALL_BROWSER: 'never' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('goes on when the browser is there', () => {
    expect(run({ YOYAKU_CHROMIUM: process.execPath }).status).toBe(0);
  });
});
