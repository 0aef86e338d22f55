import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { RevocationRow, SessionRevocationsRepository } from './session-revocations.repository.js';
import type { Session } from './session.js';

/** An ended session, or every session of an account issued up to a moment (ms since the epoch). */
export type Revocation = { sessionId: string; keepUntil: number } | { accountId: number; issuedBefore: number; keepUntil: number };

const CHANNEL = 'session-revoked';
/** How often each process reads the rows it may have missed (a lost notification, a reconnect). */
export const REVOCATION_SYNC_MS = 2_000;
/**
 * Rows are read again this far back: created_at is taken when the row is written, so a row can
 * become visible after a later one did. Reading a revocation twice does no harm.
 */
const SYNC_OVERLAP_MS = 30_000;

export interface SessionRevocations {
  /** Answered from memory, without I/O: this is on every signed-in request. */
  isRevoked(session: Session): boolean;
  /** Logout: this session ends on every process. */
  revokeSession(session: Session): Promise<void>;
  /** Sign out everywhere: every session of the account issued until now ends on every process. */
  revokeAccount(accountId: number): Promise<void>;
  /** Loads the live rows, then follows the bus and catches up every REVOCATION_SYNC_MS. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Deletes rows whose sessions would have expired anyway. */
  purgeExpired(): Promise<number>;
}

/**
 * Every process keeps the live revocations in memory (docs/adr/0004): the table is the truth,
 * the bus brings new rows at once, and a periodic read of newer rows bounds how long a lost
 * message can keep a revoked session alive.
 */
export function createSessionRevocations(deps: {
  repository: SessionRevocationsRepository;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  /** Whose sessions (a row's realm): 'resident'. */
  realm: string;
  /** The longest a session lives: how long a "sign out everywhere" must be kept. */
  sessionTtlSeconds: number;
  syncMs?: number;
}): SessionRevocations {
  const { repository, events, clock, logger, realm } = deps;
  const sessions = new Map<string, number>();
  const accounts = new Map<number, { issuedBefore: number; keepUntil: number }>();
  /** The newest created_at read so far, by the database's clock. */
  let watermark: Date | undefined;
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;
  let failing = false;
  const unsubscribers: (() => void)[] = [];

  function remember(revocation: Revocation): void {
    if ('sessionId' in revocation) {
      sessions.set(revocation.sessionId, Math.max(revocation.keepUntil, sessions.get(revocation.sessionId) ?? 0));
      return;
    }
    const known = accounts.get(revocation.accountId);
    if (known && known.issuedBefore >= revocation.issuedBefore) return;
    accounts.set(revocation.accountId, { issuedBefore: revocation.issuedBefore, keepUntil: revocation.keepUntil });
  }

  function fromRow(row: RevocationRow): Revocation {
    const keepUntil = row.keep_until.getTime();
    if (row.session_id !== null) return { sessionId: row.session_id, keepUntil };
    return { accountId: row.account_id!, issuedBefore: row.issued_before!.getTime(), keepUntil };
  }

  function absorb(rows: RevocationRow[]): void {
    for (const row of rows) {
      remember(fromRow(row));
      if (!watermark || row.created_at > watermark) watermark = row.created_at;
    }
  }

  function forgetExpired(): void {
    const now = clock.now().getTime();
    for (const [id, keepUntil] of sessions) if (keepUntil <= now) sessions.delete(id);
    for (const [id, account] of accounts) if (account.keepUntil <= now) accounts.delete(id);
  }

  async function reload(): Promise<void> {
    const { rows, readAt } = await repository.live(realm);
    absorb(rows);
    if (!watermark || readAt > watermark) watermark = readAt;
  }

  async function catchUp(): Promise<void> {
    try {
      if (!watermark) await reload();
      else absorb(await repository.createdAfter(realm, new Date(watermark.getTime() - SYNC_OVERLAP_MS)));
      forgetExpired();
      if (failing) logger.info('session revocations: reading the table again');
      failing = false;
    } catch (error) {
      // The sessions revoked so far stay revoked; new revocations from other processes wait.
      if (!failing) logger.warn({ err: error }, 'session revocations: cannot read the table; retrying');
      failing = true;
    }
  }

  /** One read at a time: a slow database skips beats rather than piling them up. */
  function sync(): Promise<void> {
    syncing ??= catchUp().finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  function fromMessage(payload: unknown): Revocation | undefined {
    const message = payload as {
      realm?: unknown;
      sessionId?: unknown;
      accountId?: unknown;
      issuedBefore?: unknown;
      keepUntil?: unknown;
    } | null;
    if (!message || message.realm !== realm || typeof message.keepUntil !== 'number') return undefined;
    if (typeof message.sessionId === 'string') return { sessionId: message.sessionId, keepUntil: message.keepUntil };
    if (typeof message.accountId === 'number' && typeof message.issuedBefore === 'number') {
      return { accountId: message.accountId, issuedBefore: message.issuedBefore, keepUntil: message.keepUntil };
    }
    return undefined;
  }

  async function record(revocation: Revocation): Promise<void> {
    await repository.insert({
      realm,
      keepUntil: new Date(revocation.keepUntil),
      ...('sessionId' in revocation
        ? { sessionId: revocation.sessionId }
        : { accountId: revocation.accountId, issuedBefore: new Date(revocation.issuedBefore) }),
    });
    remember(revocation);
    // The row is written: a process that misses this message still finds it within syncMs.
    await events.publish(CHANNEL, { realm, ...revocation }).catch((error: unknown) => {
      logger.warn({ err: error }, 'session revocations: could not announce a revocation; other processes will read it from the table');
    });
  }

  return {
    isRevoked(session) {
      if (sessions.has(session.id)) return true;
      const account = accounts.get(session.accountId);
      return account !== undefined && session.issuedAt <= account.issuedBefore;
    },
    revokeSession: (session) => record({ sessionId: session.id, keepUntil: session.expiresAt * 1000 }),
    revokeAccount(accountId) {
      const now = clock.now().getTime();
      return record({ accountId, issuedBefore: now, keepUntil: now + deps.sessionTtlSeconds * 1000 });
    },
    async start() {
      // Listen first, then read: a revocation made in between arrives one way or the other.
      unsubscribers.push(
        events.subscribe(CHANNEL, (payload) => {
          const revocation = fromMessage(payload);
          if (revocation) remember(revocation);
        }),
        events.onReconnect(() => {
          watermark = undefined; // read every live row again, not only the newer ones
          void sync();
        }),
      );
      await reload();
      timer = setInterval(() => void sync(), deps.syncMs ?? REVOCATION_SYNC_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await syncing;
    },
    purgeExpired: () => repository.purgeExpired(),
  };
}
