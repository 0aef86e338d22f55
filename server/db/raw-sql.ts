import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { PGliteConnection } from './pglite-dialect.js';

/**
 * Runs SQL text given as a string, on the database or inside a caller's transaction (whichever
 * executor is passed), the way `pg`'s `query(text, values)` does: with values, one statement;
 * without, possibly several. For libraries that bring their own SQL (pg-boss) and must share
 * our connection, our transaction and, on PGlite, our single connection's queue. The rows of
 * a script are its last statement's on PGlite and none on PostgreSQL.
 */
export function executeSql<R = Record<string, unknown>>(
  executor: Kysely<any>,
  text: string,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  return executor.getExecutor().provideConnection(async (connection) => {
    if (values && values.length > 0) return connection.executeQuery<R>(CompiledQuery.raw(text, [...values]));
    if (connection instanceof PGliteConnection) return connection.executeScript<R>(text);
    try {
      return await connection.executeQuery<R>(CompiledQuery.raw(text, []));
    } catch (error) {
      // A script that failed after its own BEGIN would go back to the pool inside an aborted
      // transaction. ROLLBACK outside a transaction is only a warning.
      await connection.executeQuery(CompiledQuery.raw('rollback', [])).catch(() => undefined);
      throw error;
    }
  });
}
