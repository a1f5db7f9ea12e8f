import type { Knex, SqlEntityManager } from '@mikro-orm/knex';
import type LibSql from 'libsql';
import type { RunResult, StatementMethod as Method, StatementPool } from './statement-pool.js';
import { runOnSqlite, type SqliteReader } from './sqlite-reader.js';

export type { RunResult };

/** Where each ORM's hot statements run, by its connection (what an EntityManager leads to). */
const runners = new WeakMap<object, { pool: StatementPool } | { reader: SqliteReader }>();

/** Hot statements of the ORM whose EntityManager is `em` run on the driver's `pool` (MySQL/MariaDB). */
export function useStatementPool(em: SqlEntityManager, pool: StatementPool): void {
  runners.set(em.getConnection(), { pool });
}

/** Hot reads of the ORM whose EntityManager is `em` run on `reader` (SQLite); writes on the ORM's connection. */
export function useSqliteReader(em: SqlEntityManager, reader: SqliteReader): void {
  runners.set(em.getConnection(), { reader });
}

/**
 * Runs one statement of a hot path as a prepared statement, skipping MikroORM's query builder and knex's
 * query formatting, logging and pool. Why: on GET /auth/me those layers cost more CPU than the database
 * work itself (docs/performance.md). MySQL/MariaDB: on the driver's own pool (statement-pool.ts);
 * SQLite: reads on a connection of their own (sqlite-reader.ts), writes on the ORM's one connection, each
 * statement prepared once per connection. Inside a transaction the statement runs through MikroORM on the
 * transaction's connection.
 * `sql` uses `?` placeholders; one spelling for SQLite and MySQL/MariaDB wherever one exists (an index hint has two,
 * keyset-page.ts).
 */
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'get'): Promise<unknown>;
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'all'): Promise<unknown[]>;
export function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: 'run'): Promise<RunResult>;
export async function runPrepared(em: SqlEntityManager, sql: string, params: unknown[], method: Method): Promise<unknown> {
  const context = em.getContext(false);
  const transaction = context.getTransactionContext();
  if (transaction) {
    const result = await context.getConnection().execute(sql, params, method, transaction);
    return method === 'run' ? { affectedRows: (result as unknown as RunResult).affectedRows } : result;
  }
  const runner = runners.get(em.getConnection());
  if (runner && 'pool' in runner) return runner.pool.execute(sql, params, method);
  if (runner && method !== 'run') return runner.reader.read(sql, params, method);
  return onOrmConnection(em, sql, params, method);
}

/**
 * SQLite's writes (and every statement on ':memory:') on the ORM's one libsql connection, borrowed from knex's
 * pool with the calls of knex's declared Client API that its own query runner makes: so no transaction of the
 * ORM holds the connection meanwhile.
 */
async function onOrmConnection(em: SqlEntityManager, sql: string, params: unknown[], method: Method): Promise<unknown> {
  const client = em.getConnection().getKnex().client as Knex.Client;
  const connection = (await client.acquireConnection()) as LibSql.Database;
  try {
    return runOnSqlite(connection, sql, params, method);
  } finally {
    await client.releaseConnection(connection);
  }
}
