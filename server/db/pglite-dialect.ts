import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for the embedded PGlite database, written to Kysely's Driver interface.
 *
 * PGlite is one Postgres backend in this process: one connection. A transaction must own it
 * from BEGIN to COMMIT, so connections are handed out one at a time through a queue. This
 * serialises all database work, which is what an embedded single-machine database does anyway.
 */
export class PGliteDialect implements Dialect {
  /** `onDestroy` runs once the database is closed (it gives the data folder back: pglite-lock.ts). */
  constructor(
    private readonly pglite: PGlite,
    private readonly onDestroy?: () => void,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.onDestroy);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

export class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  /**
   * Several statements in one text, without parameters (PostgreSQL's simple protocol): what
   * `pg` does for a query without values, and what pg-boss sends for its migrations and
   * maintenance. The extended protocol of executeQuery takes one statement only.
   */
  async executeScript<R>(text: string): Promise<QueryResult<R>> {
    const wasInTransaction = this.pglite.isInTransaction();
    try {
      const results = await this.pglite.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as R[] };
    } catch (error) {
      // A script that failed after its own BEGIN leaves the one connection in an aborted
      // transaction, which would refuse every later query of the process.
      if (!wasInTransaction && this.pglite.isInTransaction()) await this.pglite.exec('rollback');
      throw error;
    }
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && compiled.query.kind !== 'SelectQueryNode' ? { numAffectedRows: BigInt(affected) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not support streaming; page with LIMIT/OFFSET or keyset instead');
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  /** Resolves when the current holder releases the single connection. */
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(
    private readonly pglite: PGlite,
    private readonly onDestroy?: () => void,
  ) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.#tail;
    if (!this.pglite.closed) await this.pglite.close();
    this.onDestroy?.();
  }
}
