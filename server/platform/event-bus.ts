import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * Small messages between the server processes of one deployment: publish a JSON payload on a
 * channel, and every process that subscribed to it (this one included) receives it.
 *
 * Delivery is at most once, and only to processes connected at that moment. A subscriber that
 * must not miss anything keeps its source of truth elsewhere (a table) and reads it again after
 * each reconnection (onReconnect) and now and then; the bus only makes the news arrive at once.
 */
export interface EventBus {
  publish(channel: string, payload: unknown): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(channel: string, handler: (payload: unknown) => void): () => void;
  /** Called after the connection was lost and made again: what was published meanwhile is lost. */
  onReconnect(handler: () => void): () => void;
  close(): Promise<void>;
}

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

function createDispatcher(logger: Logger | undefined) {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const reconnectHandlers = new Set<() => void>();
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      // One subscriber's bug must not keep the message from the others.
      logger?.error({ err: error }, 'event bus subscriber failed');
    }
  };
  return {
    subscribe(channel: string, handler: (payload: unknown) => void) {
      const set = handlers.get(channel) ?? new Set();
      handlers.set(channel, set);
      set.add(handler);
      return () => void set.delete(handler);
    },
    onReconnect(handler: () => void) {
      reconnectHandlers.add(handler);
      return () => void reconnectHandlers.delete(handler);
    },
    dispatch(channel: string, payload: unknown) {
      for (const handler of handlers.get(channel) ?? []) safely(() => handler(payload));
    },
    reconnected() {
      for (const handler of reconnectHandlers) safely(handler);
    },
  };
}

/** Encodes like the PostgreSQL bus, so that a payload that would not cross processes fails here too. */
function encode(channel: string, payload: unknown): string {
  const text = JSON.stringify({ c: channel, p: payload });
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new Error(`event on ${channel} is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  return text;
}

/** For the embedded database, which serves one process: messages never leave it. */
export function createInProcessEventBus(logger?: Logger): EventBus {
  const dispatcher = createDispatcher(logger);
  return {
    async publish(channel, payload) {
      const message = JSON.parse(encode(channel, payload)) as { p: unknown };
      // Delivered after the caller goes on, as it would be from another process.
      setImmediate(() => dispatcher.dispatch(channel, message.p));
    },
    subscribe: dispatcher.subscribe,
    onReconnect: dispatcher.onReconnect,
    async close() {},
  };
}

/**
 * PostgreSQL's LISTEN/NOTIFY on one dedicated connection (not from the pool: a listening
 * connection must stay open). NOTIFY reaches every database session, whatever its schema, so
 * the PostgreSQL channel is named after the schema: deployments (and test runs) sharing one
 * database do not hear each other. All bus channels travel on that one PostgreSQL channel.
 */
export async function createPostgresEventBus(options: { url: string; schema: string; logger: Logger }): Promise<EventBus> {
  const { logger } = options;
  const dispatcher = createDispatcher(logger);
  const pgChannel = postgresChannel(options.schema);
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const receive = (message: pg.Notification) => {
    if (message.channel !== pgChannel || !message.payload) return;
    try {
      const { c, p } = JSON.parse(message.payload) as { c: string; p: unknown };
      if (typeof c === 'string') dispatcher.dispatch(c, p);
    } catch {
      logger.warn('event bus: unreadable message ignored');
    }
  };

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ connectionString: options.url, keepAlive: true });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      next.removeAllListeners('notification');
      // After a failed connect pg can still emit; the handler stays so nothing is left unhandled.
      next.on('error', () => undefined);
      if (client !== next) return;
      client = undefined;
      if (closed) return;
      logger.warn({ err: error?.message }, 'event bus: connection to PostgreSQL lost; reconnecting');
      scheduleReconnect(RECONNECT_MIN_MS);
    };
    next.on('error', onLost);
    next.on('end', () => onLost());
    next.on('notification', receive);
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(pgChannel)}`);
    } catch (error) {
      lost = true;
      next.on('error', () => undefined);
      await next.end().catch(() => undefined);
      throw error;
    }
    return next;
  }

  function scheduleReconnect(delayMs: number) {
    retryTimer = setTimeout(() => {
      connect().then(
        (next) => {
          if (closed) return void next.end().catch(() => undefined);
          client = next;
          logger.info('event bus: reconnected to PostgreSQL');
          dispatcher.reconnected();
        },
        () => scheduleReconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS)),
      );
    }, delayMs);
    retryTimer.unref();
  }

  client = await connect();

  return {
    async publish(channel, payload) {
      const text = encode(channel, payload);
      if (!client) throw new Error('event bus: not connected to PostgreSQL');
      await client.query('select pg_notify($1, $2)', [pgChannel, text]);
    },
    subscribe: dispatcher.subscribe,
    onReconnect: dispatcher.onReconnect,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/** A PostgreSQL identifier (at most 63 bytes) unique to the schema. */
function postgresChannel(schema: string): string {
  const name = `yoyaku_events.${schema}`;
  return name.length <= 63 ? name : `yoyaku_events.${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

/** The bus that fits the database: PostgreSQL's when DATABASE_URL is set, else in-process. */
export async function openEventBus(options: { url: string | undefined; schema: string; logger: Logger }): Promise<EventBus> {
  return options.url
    ? createPostgresEventBus({ url: options.url, schema: options.schema, logger: options.logger })
    : createInProcessEventBus(options.logger);
}
