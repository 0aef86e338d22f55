import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessEventBus, createPostgresEventBus, type EventBus } from '../../server/platform/event-bus.js';
import { createLogger } from '../../server/platform/logger.js';
import { serviceUrls, TEST_SCHEMA } from '../support/target.js';

const logger = createLogger('silent');

/** The next payload `bus` delivers on `channel`, or a failure after `ms`. */
function next(bus: EventBus, channel: string, ms = 3_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`nothing on ${channel} within ${ms} ms`));
    }, ms);
    const unsubscribe = bus.subscribe(channel, (payload) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(payload);
    });
  });
}

/** Collects what `bus` delivers on `channel` during `ms`. */
async function heard(bus: EventBus, channel: string, ms: number): Promise<unknown[]> {
  const payloads: unknown[] = [];
  const unsubscribe = bus.subscribe(channel, (payload) => payloads.push(payload));
  await new Promise((resolve) => setTimeout(resolve, ms));
  unsubscribe();
  return payloads;
}

describe('the in-process event bus', () => {
  it('delivers a JSON copy to every subscriber of the channel, after publish returns', async () => {
    const bus = createInProcessEventBus();
    const payload = { id: 7, at: new Date(0) };
    const first = next(bus, 'news');
    const second = next(bus, 'news');
    const elsewhere = heard(bus, 'other', 50);
    await bus.publish('news', payload);
    expect(await first).toEqual({ id: 7, at: '1970-01-01T00:00:00.000Z' });
    expect(await second).toEqual({ id: 7, at: '1970-01-01T00:00:00.000Z' });
    expect(await elsewhere).toEqual([]);
  });

  it('refuses a payload PostgreSQL could not carry, and survives a subscriber that throws', async () => {
    const bus = createInProcessEventBus();
    await expect(bus.publish('big', 'x'.repeat(8_000))).rejects.toThrow(/larger than/);
    bus.subscribe('news', () => {
      throw new Error('a bug in one subscriber');
    });
    const received = next(bus, 'news');
    await bus.publish('news', 1);
    expect(await received).toBe(1);
  });
});

const { databaseUrl } = serviceUrls();

describe.runIf(databaseUrl)('the PostgreSQL event bus', () => {
  // A schema name of its own: NOTIFY crosses schemas, so these buses hear no test server.
  const schema = `${TEST_SCHEMA}_bus`.slice(0, 63);
  const buses: EventBus[] = [];
  const open = async (forSchema = schema) => {
    const bus = await createPostgresEventBus({ url: databaseUrl!, schema: forSchema, logger });
    buses.push(bus);
    return bus;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('carries a message from one connection to every other listening on the same schema, and no further', async () => {
    const [a, b, otherSchema] = [await open(), await open(), await open(`${schema.slice(0, 58)}_other`)];
    const onB = next(b, 'session-revoked');
    const onA = next(a, 'session-revoked');
    const unheard = heard(otherSchema, 'session-revoked', 300);
    await a.publish('session-revoked', { realm: 'resident', sessionId: 'abc', keepUntil: 1 });
    expect(await onB).toEqual({ realm: 'resident', sessionId: 'abc', keepUntil: 1 });
    expect(await onA).toEqual({ realm: 'resident', sessionId: 'abc', keepUntil: 1 });
    expect(await unheard).toEqual([]);
  });

  it('reconnects after its connection is killed, says so, and carries messages again', async () => {
    const listener = await open();
    const publisher = await open();
    let reconnects = 0;
    listener.onReconnect(() => reconnects++);

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      // The listener has run nothing but its LISTEN; the publisher has run a NOTIFY since.
      await publisher.publish('warm-up', null);
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where query = $1 and pid <> pg_backend_pid()`,
        [`listen "yoyaku_events.${schema}"`],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 100 && reconnects === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reconnects).toBe(1);
    const received = next(listener, 'after');
    await publisher.publish('after', { ok: true });
    expect(await received).toEqual({ ok: true });
  });
});
