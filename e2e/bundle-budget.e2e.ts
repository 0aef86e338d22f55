import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './support/browser.js';
import { e2eEnv, RESIDENTS } from './support/env.js';
import { bookFrom, signIn } from './support/flows.js';

/** The most resident JavaScript, gzipped, that the booking flow may load (issue 4: 150 KB). */
const BUDGET_BYTES = 150_000;
const WEB_ROOT = path.resolve('dist/web');

describe('bundle budget', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`the booking flow loads at most ${BUDGET_BYTES / 1000} KB of gzipped JavaScript`, async () => {
    // What index.html asks for (entry and preloaded chunks)…
    const html = fs.readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
    const files = new Set([...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
    expect(files.size).toBeGreaterThan(0);

    // …plus every script the browser fetched from start page to finished booking (lazy chunks).
    const { page, close } = await openPage(browser, { locale: 'ja', width: 360, height: 740 });
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (pathname.endsWith('.js')) files.add(pathname);
    });
    try {
      await signIn(page, 'ja', e2eEnv().residents[RESIDENTS.bundle]!);
      await bookFrom(page, 'ja', page.locator('.next-dose .button'), { dayIndex: 4, time: '10:00' });
    } finally {
      await close();
    }

    const sizes = [...files].map((file) => {
      const bytes = fs.readFileSync(path.join(WEB_ROOT, file));
      return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
    });
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(
      [
        ...sizes.map((s) => `${s.file}: ${(s.raw / 1000).toFixed(1)} KB, ${(s.gzip / 1000).toFixed(1)} KB gzipped`),
        `total: ${(total / 1000).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1000} KB)`,
      ].join('\n'),
    );
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('holds no code of the staff app: its pages, client and texts are a build of their own under /admin', () => {
    const residentScripts = fs.readdirSync(path.join(WEB_ROOT, 'assets')).filter((file) => file.endsWith('.js'));
    expect(residentScripts.length).toBeGreaterThan(0);
    const adminIndex = fs.readFileSync(path.join(WEB_ROOT, 'admin', 'index.html'), 'utf8');
    const adminScripts = [...adminIndex.matchAll(/\ssrc="\/admin\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(adminScripts.length).toBeGreaterThan(0);
    // Marks only the staff app has: its API paths and a text of its own.
    const adminText = JSON.parse(fs.readFileSync(path.resolve('web/admin/src/i18n/en.json'), 'utf8')) as {
      enrol: { codesWarning: string };
    };
    const marks = ['/api/v1/staff/', adminText.enrol.codesWarning];
    for (const mark of marks) {
      expect(fs.readFileSync(path.join(WEB_ROOT, 'admin', adminScripts[0]!), 'utf8'), mark).toContain(mark);
      for (const file of residentScripts)
        expect(fs.readFileSync(path.join(WEB_ROOT, 'assets', file), 'utf8'), `${file}: ${mark}`).not.toContain(mark);
    }
    expect(fs.readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8')).not.toContain('/admin/');
    const gzipped = adminScripts.reduce((sum, file) => sum + gzipSync(fs.readFileSync(path.join(WEB_ROOT, 'admin', file))).length, 0);
    console.log(`staff app (not loaded by residents): ${(gzipped / 1000).toFixed(1)} KB gzipped`);
  });

  it('sends the scripts compressed to browsers that accept it', async () => {
    const html = fs.readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8');
    const entry = /<script\b[^>]*\bsrc="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const { baseUrl } = e2eEnv();
    const br = await fetch(baseUrl + entry, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    const gzip = await fetch(baseUrl + entry, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(baseUrl + entry, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    // Whatever the encoding, the script is the one the build wrote.
    const built = fs.readFileSync(path.join(WEB_ROOT, entry), 'utf8');
    expect([await br.text(), await gzip.text(), await plain.text()]).toEqual([built, built, built]);
  });
});
