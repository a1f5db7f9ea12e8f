import type { SqlEntityManager } from '@mikro-orm/knex';
import type { RunResult, StatementMethod as Method, StatementPool } from './statement-pool.js';
import type { SqliteConnection } from './sqlite-connection.js';

export type { RunResult };

/** Where each ORM's hot statements run, by its connection (what an EntityManager leads to). */
const runners = new WeakMap<object, { pool: StatementPool } | { sqlite: SqliteConnection }>();

/** Hot statements of the ORM whose EntityManager is `em` run on the driver's `pool` (MySQL/MariaDB). */
export function useStatementPool(em: SqlEntityManager, pool: StatementPool): void {
  runners.set(em.getConnection(), { pool });
}

/** Hot statements of the ORM whose EntityManager is `em` run on `sqlite` when it allows (SQLite). */
export function useSqliteConnection(em: SqlEntityManager, sqlite: SqliteConnection): void {
  runners.set(em.getConnection(), { sqlite });
}

/**
 * Runs one statement of a hot path as a prepared statement, skipping MikroORM's query builder and knex's
 * query formatting, logging and pool. Why: on GET /auth/me those layers cost more CPU than the database
 * work itself (docs/performance.md). MySQL/MariaDB: on the driver's own pool (statement-pool.ts); SQLite: on
 * a connection of its own (sqlite-connection.ts), each statement prepared once. Through MikroORM instead:
 * inside a transaction (on the transaction's connection), a SQLite write while a transaction of the ORM is
 * open, and everything on ':memory:'.
 * `sql` uses `?` placeholders; one spelling for SQLite and MySQL/MariaDB wherever one exists (an index hint has two,
 * keyset-page.ts).
 */
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'get'): Promise<unknown>;
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'all'): Promise<unknown[]>;
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'run'): Promise<RunResult>;
export async function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: Method): Promise<unknown> {
  const context = em.getContext(false);
  const transaction = context.getTransactionContext();
  if (!transaction) {
    const runner = runners.get(em.getConnection());
    if (runner && 'pool' in runner) return runner.pool.execute(sql, params, method);
    if (runner && (method !== 'run' || runner.sqlite.writable)) return runner.sqlite.run(sql, params, method);
  }
  const result = await context.getConnection().execute(sql, params, method, transaction);
  return method === 'run' ? { affectedRows: (result as unknown as RunResult).affectedRows } : result;
}
