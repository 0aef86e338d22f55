import fs from 'node:fs';
import vm from 'node:vm';
import * as espree from 'espree';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/i18n/languages.js';
import { toBirthDate, type YearSystem } from '../../shared/japanese-era.js';

/**
 * The waiting page (web/waiting-room/waiting-room.js) run in a bare VM with just enough of a
 * browser: elements by id, localStorage, an XMLHttpRequest the test answers, and timers the test
 * fires. No server: these are the page's own decisions (when to ask, what to say).
 */
const SOURCE = fs.readFileSync(new URL('../../web/waiting-room/waiting-room.js', import.meta.url), 'utf8');
const HTML = fs.readFileSync(new URL('../../web/waiting-room/index.html', import.meta.url), 'utf8');
/** The languages the waiting page speaks: every one of the site's (shared/i18n/languages.ts). */
const PAGE_LANGUAGES = LANGUAGES.map((l) => l.code);

interface Sent {
  method: string;
  path: string;
  body: unknown;
  answer(status: number, data: unknown, headers?: Record<string, string>): void;
}

function openPage(options: { state: object | null; random?: number; search?: string; browserLanguage?: string }) {
  const elements = new Map<string, Record<string, unknown>>();
  const sent: Sent[] = [];
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let nextTimer = 1;
  const storage = new Map<string, string>(options.state ? [['yoyaku.wr.131016', JSON.stringify(options.state)]] : []);

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
    open(method: string, path: string) {
      this.method = method;
      this.path = path;
    }
    setRequestHeader() {}
    getResponseHeader(name: string) {
      return this.headers[name.toLowerCase()] ?? null;
    }
    send(body: string | null) {
      sent.push({
        method: this.method,
        path: this.path,
        body: body ? JSON.parse(body) : undefined,
        answer: (status, data, headers = {}) => {
          this.status = status;
          this.responseText = data === undefined ? '' : JSON.stringify(data);
          this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
          this.onload!();
        },
      });
    }
  }

  const context = vm.createContext({
    document: {
      documentElement: {},
      getElementById: (id: string) => {
        if (!elements.has(id)) elements.set(id, { hidden: true, textContent: '', value: '' });
        return elements.get(id);
      },
    },
    location: { search: options.search ?? '?m=131016&lang=en', href: '' },
    navigator: { language: options.browserLanguage ?? 'en' },
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
      removeItem: (k: string) => storage.delete(k),
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
  });
  if (options.random !== undefined) vm.runInContext(`Math.random = function () { return ${options.random}; };`, context);
  vm.runInContext(SOURCE, context);
  return {
    text: (id: string) => String(elements.get(id)?.textContent ?? ''),
    lang: () => String((context.document as { documentElement: { lang?: string } }).documentElement.lang),
    title: () => String((context.document as { title?: string }).title),
    element: (id: string) => context.document.getElementById(id) as Record<string, unknown>,
    sent,
    last: () => sent[sent.length - 1]!,
    timers,
  };
}

const OPENS_AT = Date.parse('2026-08-09T11:00:00Z');
const httpDate = (ms: number) => new Date(ms).toUTCString();
const statusDoc = (over: object) => ({
  queueId: '131016-age50s',
  open: true,
  paused: false,
  opensAt: new Date(OPENS_AT).toISOString(),
  issued: 200_000,
  lobby: 0,
  admittedThrough: 0,
  ratePerMinute: 0,
  graceSeconds: 300,
  drawSpreadSeconds: 150,
  updatedAt: new Date(OPENS_AT + 2000).toISOString(),
  ...over,
});

describe('waiting page', () => {
  it("spreads the lobby's requests for drawn numbers over the published window, counted from the opening", () => {
    const lobby = { ticket: 't', queueId: '131016-age50s', position: null, opensAt: OPENS_AT };
    // A page whose random draw is late in the window waits until then, not "up to 5 s".
    const late = openPage({ state: lobby, random: 0.9 });
    expect(late.last().path).toBe('/api/v1/waiting-room/queues/131016-age50s/status');
    late.last().answer(200, statusDoc({}), { date: httpDate(OPENS_AT + 2000) });
    expect(late.timers).toHaveLength(1);
    expect(late.timers[0]!.ms).toBeCloseTo(0.9 * 150_000 - 2000, -3);
    late.timers[0]!.fn();
    expect(late.last()).toMatchObject({ method: 'POST', path: '/api/v1/waiting-room/ticket', body: { ticket: 't' } });

    // A page that comes back after the window asks at once: the opening crowd has long passed.
    const after = openPage({ state: lobby, random: 0.5 });
    after.last().answer(200, statusDoc({ updatedAt: new Date(OPENS_AT + 600_000).toISOString() }), { date: httpDate(OPENS_AT + 600_000) });
    expect(after.timers[0]!.ms).toBe(0);
  });

  it('says its information is delayed only when it is: the age of the answer counts, not the age of the content', () => {
    const state = { ticket: 't', queueId: '131016', position: 500, opensAt: null };
    const now = OPENS_AT + 3_600_000;
    const fresh = openPage({ state });
    fresh.last().answer(200, statusDoc({ updatedAt: new Date(now - 1000).toISOString(), admittedThrough: 10 }), { date: httpDate(now) });
    expect(fresh.text('message')).toBe('');

    // The same bytes from a CDN that has held them for 40 s (e.g. stale-if-error while the origin is down).
    const cached = openPage({ state });
    cached
      .last()
      .answer(200, statusDoc({ updatedAt: new Date(now - 1000).toISOString(), admittedThrough: 10 }), { date: httpDate(now), age: '40' });
    expect(cached.text('message')).toMatch(/delayed/);

    // The origin's own view is old (it cannot reach the store).
    const stuck = openPage({ state });
    stuck.last().answer(200, statusDoc({ updatedAt: new Date(now - 30_000).toISOString(), admittedThrough: 10 }), { date: httpDate(now) });
    expect(stuck.text('message')).toMatch(/delayed/);
  });

  it('on its turn, shows how long the admission lasts, not the grace period for taking the turn', () => {
    const now = OPENS_AT + 3_600_000;
    const page = openPage({ state: { ticket: 't', queueId: '131016', position: 3, opensAt: null } });
    page
      .last()
      .answer(200, statusDoc({ updatedAt: new Date(now).toISOString(), admittedThrough: 5, graceSeconds: 120 }), { date: httpDate(now) });
    expect(page.last().path).toBe('/api/v1/waiting-room/admit');
    page.last().answer(200, { admissionToken: 'a', expiresAt: new Date(now + 20 * 60_000).toISOString() }, { date: httpDate(now) });
    expect(page.text('turn-text')).toBe('It is your turn. You now have 20 minutes to sign in and book.');
    // Someone waiting in another tab sees it in the tab's title.
    expect(page.title()).toMatch(/^\[Your turn\]/);
  });

  describe('languages', () => {
    const dictionaries = vm.runInNewContext(`(${/var T = (\{[\s\S]*?\n {2}\});/.exec(SOURCE)![1]})`) as Record<
      string,
      Record<string, string>
    >;
    const braces = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

    it('says everything in each of its languages, with the same {placeholders}, and offers each in its menu', () => {
      expect(Object.keys(dictionaries).sort()).toEqual([...PAGE_LANGUAGES].sort());
      for (const code of PAGE_LANGUAGES) expect(HTML, code).toContain(`id="to-${code}" lang="${code}"`);
      for (const [language, texts] of Object.entries(dictionaries)) {
        expect(Object.keys(texts).sort(), language).toEqual(Object.keys(dictionaries.ja!).sort());
        for (const [key, text] of Object.entries(texts)) {
          expect(text.trim(), `${language}.${key}`).not.toBe('');
          expect(braces(text), `${language}.${key}`).toEqual(braces(dictionaries.ja![key]!));
        }
      }
    });

    it.each([
      ['?m=131016&lang=zh-Hans', 'en', 'zh-Hans'],
      ['?m=131016&lang=pt-BR', 'ja', 'pt-BR'],
      ['?m=131016&lang=ja-x-easy', 'en', 'ja-x-easy'],
      ['?m=131016', 'pt-PT', 'pt-BR'],
      ['?m=131016', 'zh-CN', 'zh-Hans'],
      ['?m=131016', 'ja-JP', 'ja'],
      // A browser language the site does not have gets English, as on the booking pages.
      ['?m=131016', 'sw-KE', 'en'],
      ['?m=131016&lang=xx', 'en-US', 'en'],
    ])('%s in a browser set to %s is shown in %s', (search, browserLanguage, expected) => {
      const page = openPage({ state: null, search, browserLanguage });
      expect(page.lang()).toBe(expected);
      expect(page.text('title')).toBe(dictionaries[expected]!.title);
      expect(page.text('join-button')).toBe(dictionaries[expected]!.join);
    });
  });

  describe('birth dates', () => {
    it('is plain ES5, for old phones', () => {
      expect(() => espree.parse(SOURCE, { ecmaVersion: 5 })).not.toThrow();
    });

    it('reads a birth date exactly as the booking site does, era years included', () => {
      const birthDate = vm.runInNewContext(
        `(${/( {2}function readNumber[\s\S]*?\n {2}function birthDate[\s\S]*?\n {2}\})/.exec(SOURCE)![1]!.replace(/^ {2}function readNumber/, 'function () { var ERAS = ' + /var ERAS = (\[[\s\S]*?\]);/.exec(SOURCE)![1] + '; function readNumber')}\n return birthDate; })()`,
      ) as (system: string, year: string, month: string, day: string) => string | null;
      const systems: YearSystem[] = ['western', 'meiji', 'taisho', 'showa', 'heisei', 'reiwa'];
      const years = ['1950', '1868', '1926', '1989', '2019', '0', '1', '元', '25', '６４', '64', '45', '15', '2', '', 'x'];
      const days: [string, string][] = [
        ['4', '1'],
        ['12', '25'],
        ['1', '7'],
        ['1', '8'],
        ['2', '29'],
        ['4', '30'],
        ['5', '1'],
        ['13', '1'],
        ['10', '23'],
        ['7', '30'],
        ['7', '29'],
      ];
      let compared = 0;
      for (const system of systems)
        for (const year of years)
          for (const [month, day] of days) {
            const site = toBirthDate({ system, year, month, day });
            expect(birthDate(system, year, month, day), `${system} ${year}-${month}-${day}`).toBe(site.ok ? site.date : null);
            compared++;
          }
      expect(compared).toBeGreaterThan(1000);
    });

    it('joins with 昭和25年4月1日 as 1950-04-01, and refuses a date the era does not have before asking the server', () => {
      const page = openPage({ state: null, search: '?m=131016&lang=ja' });
      const before = page.sent.length;
      Object.assign(page.element('voucher'), { value: '1234567890' });
      // 平成32年 never came (令和 began in 2019).
      Object.assign(page.element('birth-system'), { value: 'heisei' });
      Object.assign(page.element('birth'), { value: '32' });
      Object.assign(page.element('birth-month'), { value: '4' });
      Object.assign(page.element('birth-day'), { value: '1' });
      (page.element('join') as { onsubmit: (e?: unknown) => void }).onsubmit();
      expect(page.sent.length).toBe(before);
      expect(page.text('message')).toContain('生年月日を確かめてください');
      Object.assign(page.element('birth-system'), { value: 'showa' });
      Object.assign(page.element('birth'), { value: '25' });
      (page.element('join') as { onsubmit: (e?: unknown) => void }).onsubmit();
      expect(page.last()).toMatchObject({
        path: '/api/v1/waiting-room/join',
        body: { municipalityCode: '131016', voucherNumber: '1234567890', birthDate: '1950-04-01' },
      });
    });
  });
});
