import type { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../platform/event-bus.js';
import { createLogger } from '../../platform/logger.js';
import { DASHBOARD_CHANGED } from './change-feed.js';
import type { DashboardSnapshot } from './dashboard.service.js';
import { createLiveStreams } from './live-streams.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collect(stream: PassThrough) {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { text: () => text, events: () => text.split('\n\n').filter((block) => block.includes('event: dashboard')) };
}

function setUp(options: { heartbeatMs?: number } = {}) {
  const events = createInProcessEventBus();
  let built = 0;
  const streams = createLiveStreams({
    events,
    logger: createLogger('silent'),
    snapshot: async (code) => {
      built += 1;
      return { municipalityCode: code, n: built } as unknown as DashboardSnapshot;
    },
    coalesceMs: 30,
    refreshMs: 60_000,
    ...options,
  });
  return { events, streams, built: () => built };
}

describe('the dashboard’s live streams', () => {
  it('start with a snapshot, then send one snapshot for a burst of changes, and ignore a change already sent', async () => {
    const { events, streams, built } = setUp();
    const goneListeners: (() => void)[] = [];
    const a = collect(await streams.open('131016', (l) => goneListeners.push(l)));
    const b = collect(await streams.open('131016', (l) => goneListeners.push(l)));
    const elsewhere = collect(await streams.open('011002', (l) => goneListeners.push(l)));
    await wait(10);
    expect(a.text()).toMatch(/^retry: 3000\n\nid: 0\nevent: dashboard\ndata: /);
    for (let through = 1; through <= 5; through++) await events.publish(DASHBOARD_CHANGED, { m: '131016', through });
    await wait(100);
    expect(a.events()).toHaveLength(2);
    expect(b.events()).toHaveLength(2);
    expect(a.events()[1]).toContain('id: 5');
    expect(elsewhere.events()).toHaveLength(1);
    // Three opens and one push for both watchers of 131016.
    expect(built()).toBe(4);
    // The same change published by a second process is old news.
    await events.publish(DASHBOARD_CHANGED, { m: '131016', through: 5 });
    await events.publish(DASHBOARD_CHANGED, { m: '131016', through: 'x' });
    await wait(80);
    expect(a.events()).toHaveLength(2);
    for (const gone of goneListeners) gone();
    expect(streams.watching()).toBe(0);
    streams.close();
  });

  it('send heartbeats, and end every stream on close', async () => {
    const { streams } = setUp({ heartbeatMs: 20 });
    const stream = await streams.open('131016', () => undefined);
    const seen = collect(stream);
    await wait(70);
    expect(seen.text()).toContain(': heartbeat\n\n');
    const ended = new Promise((resolve) => stream.on('end', resolve));
    streams.close();
    await ended;
    expect(streams.watching()).toBe(0);
  });
});
