import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createOutboxSmsSender } from '../../server/modules/notifications/index.js';
import { createWaitingRoom, waitingRoomPage, type WaitingRoom } from '../../server/modules/waiting-room/index.js';
import { systemClock } from '../../server/platform/clock.js';
import { createLogger } from '../../server/platform/logger.js';
import { createMemoryRateLimitStore } from '../../server/platform/rate-limit/memory-store.js';
import { testDatabase } from '../support/database.js';
import { createTestMunicipality } from '../support/fixtures.js';
import { ADMIN_TOKEN, Browser, SIGNING_KEY } from './waiting-room-support.js';

/**
 * The operators' screen (web/waiting-room/operator.js) run in a bare VM with just enough of a
 * browser: elements by id (and the few it creates), sessionStorage, an XMLHttpRequest the test
 * answers (or forwards to a real server), and timers the test fires.
 */
const SOURCE = fs.readFileSync(new URL('../../web/waiting-room/operator.js', import.meta.url), 'utf8');
const STATS = '/api/v1/waiting-room/admin/stats';
const CONTROL = '/api/v1/waiting-room/admin/control';

class FakeElement {
  hidden = false;
  value = '';
  className = '';
  min = '';
  max = '';
  children: FakeElement[] = [];
  attributes: Record<string, string> = {};
  onclick: (() => void) | null = null;
  onsubmit: ((e: { preventDefault(): void }) => void) | null = null;
  private ownText = '';
  constructor(
    readonly tagName: string,
    private readonly onFocus: (el: FakeElement) => void = () => {},
  ) {}
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.ownText = String(value);
    this.children = [];
  }
  get firstChild(): FakeElement | null {
    return this.children[0] ?? null;
  }
  appendChild(child: FakeElement) {
    this.children.push(child);
    return child;
  }
  removeChild(child: FakeElement) {
    this.children = this.children.filter((c) => c !== child);
    return child;
  }
  setAttribute(name: string, value: string) {
    this.attributes[name] = String(value);
  }
  getAttribute(name: string) {
    return this.attributes[name] ?? null;
  }
  focus() {
    this.onFocus(this);
  }
  all(tag: string): FakeElement[] {
    return this.children.flatMap((c) => [...(c.tagName === tag ? [c] : []), ...c.all(tag)]);
  }
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  answer(status: number, data?: unknown): void;
  fail(): void;
}

type Transport = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | null,
) => Promise<{ status: number; text: string }>;

function openPage(options: { token?: string; lang?: string; search?: string; transport?: Transport } = {}) {
  const elements = new Map<string, FakeElement>();
  const sent: Sent[] = [];
  const pending: Promise<unknown>[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let nextTimer = 1;
  let focused: FakeElement | undefined;
  const session = new Map<string, string>(options.token ? [['yoyaku.wr.operator.token', options.token]] : []);
  const localStorageUse: string[] = [];
  const location = { search: options.search ?? '', href: '' };
  const documentElement: Record<string, string> = {};
  const documentObject = { documentElement, title: '', getElementById: byId, createElement: (tag: string) => new FakeElement(tag) };

  function byId(id: string): FakeElement {
    if (!elements.has(id)) elements.set(id, new FakeElement(id, (el) => (focused = el)));
    return elements.get(id)!;
  }

  class FakeXhr {
    status = 0;
    responseText = '';
    timeout = 0;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    private method = '';
    private path = '';
    private headers: Record<string, string> = {};
    open(method: string, urlPath: string) {
      this.method = method;
      this.path = urlPath;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    send(body: string | null) {
      const answer = (status: number, data?: unknown) => {
        this.status = status;
        this.responseText = data === undefined ? '' : typeof data === 'string' ? data : JSON.stringify(data);
        this.onload!();
      };
      sent.push({
        method: this.method,
        path: this.path,
        headers: this.headers,
        body: body ? JSON.parse(body) : undefined,
        answer,
        fail: () => this.onerror!(),
      });
      if (options.transport) {
        pending.push(options.transport(this.method, this.path, this.headers, body).then((r) => answer(r.status, r.text)));
      }
    }
  }

  const context = vm.createContext({
    document: documentObject,
    location,
    navigator: { language: options.lang ?? 'en' },
    sessionStorage: {
      getItem: (k: string) => session.get(k) ?? null,
      setItem: (k: string, v: string) => session.set(k, v),
      removeItem: (k: string) => session.delete(k),
    },
    localStorage: {
      getItem: (k: string) => (localStorageUse.push(k), null),
      setItem: (k: string) => localStorageUse.push(k),
      removeItem: (k: string) => localStorageUse.push(k),
    },
    XMLHttpRequest: FakeXhr,
    setTimeout: (fn: () => void, ms: number) => {
      timers.push({ fn, ms, id: nextTimer });
      return nextTimer++;
    },
    clearTimeout: (id: number) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
    setInterval: () => 0,
  });
  let clock = Date.parse('2026-08-09T11:00:00Z');
  vm.runInContext(`Date.now = function () { return ${clock}; };`, context);
  vm.runInContext(SOURCE, context);

  const page = {
    el: byId,
    text: (id: string) => byId(id).textContent,
    shown: (id: string) => !byId(id).hidden,
    sent,
    last: () => sent[sent.length - 1]!,
    timers,
    session,
    localStorageUse,
    location,
    documentElement,
    focused: () => focused,
    advance(ms: number) {
      clock += ms;
      vm.runInContext(`Date.now = function () { return ${clock}; };`, context);
    },
    /** Runs the one pending timer (the next poll), after its delay. */
    fireTimer() {
      expect(timers).toHaveLength(1);
      const timer = timers.shift()!;
      page.advance(timer.ms);
      timer.fn();
      return timer.ms;
    },
    click: (id: string) => byId(id).onclick!(),
    submit: (id: string) => byId(id).onsubmit!({ preventDefault() {} }),
    /** Each queue card: its heading and its facts (dt → dd). */
    queues() {
      return byId('queues')
        .all('article')
        .map((card) => {
          const facts: Record<string, string> = {};
          const dts = card.all('dt');
          const dds = card.all('dd');
          dts.forEach((dt, i) => (facts[dt.textContent] = dds[i]!.textContent));
          return { title: card.all('h3')[0]!.textContent, facts };
        });
    },
    settle: async () => {
      while (pending.length) await pending.shift();
    },
  };
  return page;
}

const queue = (over: object) => ({
  queueId: '131016',
  open: true,
  opensAt: null,
  waiting: 1200,
  issued: 5000,
  lobby: 0,
  admittedThrough: 3800,
  claimed: 3500,
  abandoned: 250,
  booked: 3100,
  measuredRatePerMinute: 120,
  drainSeconds: 600,
  ...over,
});
const stats = (over: object = {}) => ({
  mode: 'always',
  active: true,
  paused: false,
  ratePerMinute: 150,
  autoTune: false,
  queues: [
    queue({}),
    queue({
      queueId: '131016-age50s',
      open: false,
      opensAt: '2026-08-09T12:00:00.000Z',
      waiting: 40,
      issued: 0,
      lobby: 40,
      admittedThrough: 0,
      claimed: 0,
      abandoned: 0,
      booked: 0,
      measuredRatePerMinute: 0,
      drainSeconds: null,
    }),
  ],
  ...over,
});

describe("operators' screen (in a bare VM)", () => {
  it('asks for the token once, keeps it in sessionStorage only, and sends it as a bearer token', () => {
    const page = openPage();
    expect(page.shown('token-form')).toBe(true);
    expect(page.shown('dashboard')).toBe(false);
    expect(page.sent).toHaveLength(0);

    page.submit('token-form');
    expect(page.text('message')).toBe('Please paste the token.');
    expect(page.sent).toHaveLength(0);

    page.el('token').value = '  secret-operator-token-0001\n';
    page.submit('token-form');
    expect(page.el('token').value).toBe('');
    expect(page.session.get('yoyaku.wr.operator.token')).toBe('secret-operator-token-0001');
    expect(page.localStorageUse).toEqual([]);
    expect(page.location.href).toBe('');
    expect(page.shown('dashboard')).toBe(true);
    expect(page.last()).toMatchObject({ method: 'GET', path: STATS, headers: { authorization: 'Bearer secret-operator-token-0001' } });

    // A reload of the tab: the token comes back from sessionStorage, no need to paste it again.
    const reloaded = openPage({ token: 'secret-operator-token-0001' });
    expect(reloaded.shown('token-form')).toBe(false);
    expect(reloaded.last()).toMatchObject({ path: STATS, headers: { authorization: 'Bearer secret-operator-token-0001' } });
  });

  it('renders the room and every queue from the stats answer, and polls again in 2 s', () => {
    const page = openPage({ token: 'tok' });
    page.last().answer(200, stats());
    expect(page.text('room-state')).toBe('Admitting · waiting room on · mode: always');
    expect(page.text('room-rate')).toBe('150/min');
    expect(page.text('room-waiting')).toBe('1,240');
    expect(page.text('room-drain')).toBe('about 11 min');
    expect(page.text('updated')).toBe('Figures from 11:00:00 (0 s ago).');
    expect(page.el('rate').value).toBe('150');

    const [main, age50s] = page.queues();
    expect(main!.title).toBe('131016 Admitting');
    expect(main!.facts).toEqual({
      Waiting: '1,200',
      'Admitted through / issued': '3,800 / 5,000',
      'Measured admission rate': '120/min',
      'Configured rate (whole room)': '150/min',
      'Admitted (turn taken)': '3,500',
      Booked: '3,100',
      'Abandoned (turn lost)': '250',
      'Time to drain (estimate)': 'about 10 min',
    });
    // A wave that has not opened: its lobby, its opening time, and no invented estimate.
    expect(age50s!.title).toBe('131016-age50s opens 12:00:00');
    expect(age50s!.facts).toMatchObject({ 'In the lobby (drawn at the opening)': '40', 'Time to drain (estimate)': 'being measured' });

    expect(page.timers.map((t) => t.ms)).toEqual([2000]);
    page.fireTimer();
    expect(page.last()).toMatchObject({ method: 'GET', path: STATS });
    // Nobody joined yet, and then paused (by another operator): said once in the live region.
    page.last().answer(200, stats({ paused: true, queues: [] }));
    expect(page.text('queues')).toBe('Nobody has joined a queue yet.');
    expect(page.text('room-state')).toMatch(/^Paused/);
    expect(page.text('message')).toBe('Admission is now paused.');
  });

  it('pauses, resumes and sets the rate with the right requests, and confirms from the answer', () => {
    const page = openPage({ token: 'tok' });
    page.last().answer(200, stats());

    page.click('pause');
    expect(page.last()).toMatchObject({
      method: 'POST',
      path: CONTROL,
      body: { paused: true },
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
    page.last().answer(200, { paused: true, ratePerMinute: 150, busyUntil: 0 });
    expect(page.text('message')).toBe('11:00:00 Admission paused (the rate stays 150/min). Everyone keeps their place.');
    expect(page.text('room-state')).toMatch(/^Paused/);
    expect(page.queues()[1]!.facts['Time to drain (estimate)']).toBe('not moving (paused)');
    // The figures are fetched again at once.
    expect(page.last()).toMatchObject({ method: 'GET', path: STATS });
    page.last().answer(200, stats({ paused: true }));
    expect(page.text('message')).toMatch(/Admission paused/);

    page.click('resume');
    expect(page.last()).toMatchObject({ method: 'POST', path: CONTROL, body: { paused: false } });
    page.last().answer(200, { paused: false, ratePerMinute: 150, busyUntil: 0 });
    expect(page.text('message')).toBe('11:00:00 Admission resumed at 150 people per minute.');
    page.last().answer(200, stats());

    page.el('rate').value = '90';
    page.submit('controls');
    expect(page.last()).toMatchObject({ method: 'POST', path: CONTROL, body: { ratePerMinute: 90 } });
    page.last().answer(200, { paused: false, ratePerMinute: 90, busyUntil: 0 });
    expect(page.text('message')).toBe('11:00:00 Admission rate set to 90 people per minute.');
    expect(page.text('room-rate')).toBe('90/min');

    // Out of range or not a whole number: said at once, nothing sent.
    const before = page.sent.length;
    for (const bad of ['-5', '1.5', 'abc', '', '2000000']) {
      page.el('rate').value = bad;
      page.submit('controls');
      expect(page.text('message')).toBe('The admission rate must be a whole number from 0 to 1,000,000.');
    }
    expect(page.sent.length).toBe(before);
  });

  it('takes the bounds of the rate from the stats answer, and shows that a rate set by hand stops auto-tuning until handed back', () => {
    const page = openPage({ token: 'tok' });
    page.last().answer(200, stats({ minRatePerMinute: 60, maxRatePerMinute: 6000, autoTune: true, autoTuneConfigured: true }));
    expect(page.el('rate').min).toBe('60');
    expect(page.el('rate').max).toBe('6000');
    expect(page.text('room-rate')).toBe('150/min (auto-tuned)');
    page.el('rate').value = '10';
    page.submit('controls');
    expect(page.text('message')).toBe('The admission rate must be a whole number from 60 to 6,000.');
    page.el('rate').value = '300';
    page.submit('controls');
    expect(page.shown('auto-tune')).toBe(false);
    page.last().answer(200, { paused: true, ratePerMinute: 300, busyUntil: 0, autoTune: false });
    expect(page.text('message')).toBe(
      '11:00:00 Admission rate set to 300 people per minute. Admission is paused: nobody is let through until you resume.',
    );
    expect(page.text('room-rate')).toBe('300/min (set by hand; auto-tuning is off)');
    expect(page.shown('auto-tune')).toBe(true);
    page.click('auto-tune');
    expect(page.last().body).toEqual({ autoTune: true });
    page.last().answer(200, { paused: true, ratePerMinute: 300, busyUntil: 0, autoTune: true });
    expect(page.text('message')).toBe('11:00:00 The rate is auto-tuned again (now 300 people per minute).');
    expect(page.shown('auto-tune')).toBe(false);
  });

  it('keeps the last figures with their age when the server or the store is unreachable, backs off, and recovers', () => {
    const page = openPage({ token: 'tok' });
    page.last().answer(200, stats());
    const figures = page.queues();

    page.fireTimer();
    page.last().fail();
    expect(page.text('connection')).toBe('Cannot reach the server. Showing the last figures received.');
    expect(page.shown('connection')).toBe(true);
    expect(page.queues()).toEqual(figures);
    expect(page.text('updated')).toBe('Figures from 11:00:00 (2 s ago). Next try in 4 s.');

    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push(page.fireTimer());
      page.last().answer(503, { code: 'unavailable', reason: 'queue-unavailable', status: 503 });
    }
    expect(delays).toEqual([4000, 8000, 16000, 30000, 30000]);
    expect(page.text('connection')).toBe(
      'The server cannot reach the queue store (Redis). Showing the last figures received; people in the queue keep their places.',
    );
    expect(page.text('updated')).toBe('Figures from 11:00:00 (90 s ago). Next try in 30 s.');
    expect(page.queues()).toEqual(figures);

    page.fireTimer();
    page.last().answer(500, { code: 'internal' });
    expect(page.text('connection')).toBe('The server answered with an error (HTTP 500). Showing the last figures received.');

    page.fireTimer();
    page.last().answer(200, stats({ ratePerMinute: 200 }));
    expect(page.shown('connection')).toBe(false);
    expect(page.text('room-rate')).toBe('200/min');
    expect(page.timers.map((t) => t.ms)).toEqual([2000]);
  });

  it('says clearly when a command got no answer or was not accepted', () => {
    const page = openPage({ token: 'tok' });
    page.last().answer(200, stats());
    page.click('pause');
    page.last().fail();
    expect(page.text('message')).toBe(
      '11:00:00 No answer from the server: the command may or may not have been applied. Check the figures once the connection is back.',
    );
    page.click('pause');
    page.last().answer(503, { code: 'unavailable', reason: 'queue-unavailable' });
    expect(page.text('message')).toMatch(/queue store could not be reached/);
    page.click('resume');
    page.last().answer(400, { code: 'invalid-request' });
    expect(page.text('message')).toBe('11:00:00 The server did not accept the command (HTTP 400).');
  });

  it('on a refused token, forgets it, stops polling and asks for it again', () => {
    const page = openPage({ token: 'wrong-token' });
    page.last().answer(403, { code: 'forbidden', status: 403 });
    expect(page.text('message')).toMatch(/^The token was refused\./);
    expect(page.session.has('yoyaku.wr.operator.token')).toBe(false);
    expect(page.shown('token-form')).toBe(true);
    expect(page.shown('dashboard')).toBe(false);
    expect(page.focused()).toBe(page.el('token'));
    expect(page.timers).toHaveLength(0);

    // The same when a command is refused (the token was changed on the server meanwhile).
    const other = openPage({ token: 'tok' });
    other.last().answer(200, stats());
    other.click('pause');
    other.last().answer(403, { code: 'forbidden' });
    expect(other.text('message')).toMatch(/^The token was refused\./);
    expect(other.timers).toHaveLength(0);
  });

  it('speaks Japanese by default and switches language in place, keeping the figures', () => {
    const page = openPage({ token: 'tok', lang: 'ja' });
    expect(page.documentElement.lang).toBe('ja');
    expect(page.text('pause')).toBe('一時停止');
    page.last().answer(200, stats());
    expect(page.text('room-waiting')).toBe('1,240');
    expect(page.queues()[0]!.facts['全員入場まで(目安)']).toBe('約10分');
    expect(page.el('to-ja').getAttribute('aria-pressed')).toBe('true');

    page.click('to-en');
    expect(page.documentElement.lang).toBe('en');
    expect(page.el('to-en').getAttribute('aria-pressed')).toBe('true');
    expect(page.el('to-ja').getAttribute('aria-pressed')).toBe('false');
    expect(page.text('pause')).toBe('Pause');
    expect(page.queues()[0]!.facts['Time to drain (estimate)']).toBe('about 10 min');
    expect(page.session.get('yoyaku.wr.operator.lang')).toBe('en');
    expect(page.sent).toHaveLength(1); // no extra request for a language switch

    expect(openPage({ search: '?lang=en', lang: 'ja' }).text('token-button')).toBe('Connect');
  });
});

describe("operators' screen through the real server", () => {
  let room: WaitingRoom;
  let close: () => Promise<void>;
  let url: string;
  let municipalityCode: string;

  beforeAll(async () => {
    const db = await testDatabase();
    const m = await createTestMunicipality(db, { residents: 1 });
    municipalityCode = m.code;
    // As server/main.ts composes it: the waiting room's API under /api/v1 and its pages at /waiting-room/.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yoyaku-wr-op-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      WAITING_ROOM: 'always',
      WAITING_ROOM_ADMIN_TOKEN: ADMIN_TOKEN,
      WAITING_ROOM_AUTOTUNE: 'off',
      WAITING_ROOM_RATE_PER_MINUTE: '60',
    });
    const logger = createLogger('silent');
    const rateLimits = createMemoryRateLimitStore(systemClock);
    room = createWaitingRoom({
      config: config.waitingRoom,
      db,
      clock: systemClock,
      logger,
      signingKey: SIGNING_KEY,
      rateLimits,
      limits: config.limits,
      secureCookies: false,
    });
    const app = await buildApp({
      config,
      db,
      clock: systemClock,
      logger,
      rateLimits,
      signingKey: SIGNING_KEY,
      sms: createOutboxSmsSender(dataDir, logger),
      admission: room.gate,
      plugins: [room.plugin],
    });
    await app.server.register(waitingRoomPage());
    url = await app.server.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await app.server.close();
      await room.stop();
    };
    const joined = await new Browser(url).call('POST', '/api/v1/waiting-room/join', {
      municipalityCode: m.code,
      voucherNumber: m.residents[0]!.voucherNumber,
      birthDate: m.residents[0]!.birthDate,
    });
    expect(joined.status).toBe(200);
    await room.service.tick();
  });
  afterAll(() => close?.());

  it('serves operator.html and operator.js, revalidated on every load and never framed', async () => {
    const html = await fetch(`${url}/waiting-room/operator.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('x-frame-options')).toBe('DENY');
    const body = await html.text();
    expect(body).toContain('<script src="operator.js"></script>');
    // The token field has no name: a form submitted without the script can never put it in a URL.
    expect(body).toMatch(/<input id="token" type="password"(?![^>]*\bname=)[^>]*>/);

    const script = await fetch(`${url}/waiting-room/operator.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toBe('no-cache');
    // The residents' page keeps its CDN-friendly lifetime.
    expect((await fetch(`${url}/waiting-room/`)).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it("sends the residents' waiting page compressed: a few KB in all for an old phone on a slow network", async () => {
    let total = 0;
    for (const file of ['', 'waiting-room.css', 'waiting-room.js']) {
      const plain = await request(`${url}/waiting-room/${file}`, { headers: { 'accept-encoding': 'identity' } });
      const original = Buffer.from(await plain.body.arrayBuffer());
      expect(plain.headers['content-encoding']).toBeUndefined();
      for (const [encoding, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const packed = await request(`${url}/waiting-room/${file}`, { headers: { 'accept-encoding': `${encoding}, deflate` } });
        expect(packed.headers['content-encoding'], `${file} ${encoding}`).toBe(encoding);
        expect(packed.headers.vary).toContain('accept-encoding');
        const bytes = Buffer.from(await packed.body.arrayBuffer());
        expect(decode(bytes).equals(original), `${file} ${encoding}`).toBe(true);
        if (encoding === 'br') total += bytes.length;
      }
    }
    expect(total).toBeLessThan(8 * 1024);
  });

  it('shows the real stats and pauses the real room (the page and the API agree on the shapes)', async () => {
    const transport: Transport = async (method, urlPath, headers, body) => {
      const response = await fetch(url + urlPath, { method, headers, body: body ?? undefined });
      return { status: response.status, text: await response.text() };
    };
    const page = openPage({ token: ADMIN_TOKEN, transport });
    await page.settle();
    expect(page.text('connection')).toBe('');
    const card = page.queues().find((q) => q.title.startsWith(`${municipalityCode} `));
    expect(card?.facts).toMatchObject({
      'Admitted through / issued': expect.stringMatching(/^\d+ \/ 1$/),
      'Configured rate (whole room)': '60/min',
      Booked: '0',
      'Abandoned (turn lost)': '0',
    });

    page.click('pause');
    await page.settle();
    expect(page.text('message')).toMatch(/Admission paused \(the rate stays 60\/min\)/);
    expect((await room.service.stats()).paused).toBe(true);
    page.click('resume');
    await page.settle();
    expect((await room.service.stats()).paused).toBe(false);
    page.el('rate').value = '90';
    page.submit('controls');
    await page.settle();
    expect(page.text('message')).toMatch(/Admission rate set to 90 people per minute/);
    expect((await room.service.stats()).ratePerMinute).toBe(90);

    const refused = openPage({ token: 'not-the-operator-token-at-all', transport });
    await refused.settle();
    expect(refused.text('message')).toMatch(/^The token was refused\./);
  });
});
