import type { SqlEntityManager } from '@mikro-orm/knex';

/** The part of knex's client that lends out the driver's own connections (one pool with MikroORM). */
interface PoolClient {
  driverName: string;
  acquireConnection(): Promise<object>;
  releaseConnection(connection: object): Promise<unknown>;
}

type Method = 'get' | 'all' | 'run';
export type RunResult = { affectedRows: number };

/** libsql (better-sqlite3's API): statements prepared once per connection, then reused. */
interface LibSqlConnection {
  prepare(sql: string): { get(params: unknown[]): unknown; all(params: unknown[]): unknown[]; run(params: unknown[]): { changes: number } };
}
/** mysql2's callback API: `execute` prepares once per connection (mysql2 caches the statement). */
interface MySql2Connection {
  execute(sql: string, params: unknown[], done: (error: Error | null, result: unknown) => void): void;
}

const libSqlStatements = new WeakMap<object, Map<string, ReturnType<LibSqlConnection['prepare']>>>();

/**
 * Runs one statement of a hot path as a prepared statement on a connection borrowed from the ORM's
 * own pool, skipping MikroORM's query builder and knex's query formatting and logging. Why: on
 * GET /auth/me those layers cost more CPU than the database work itself (see README, Performance).
 * Inside a transaction the statement runs through MikroORM on the transaction's connection.
 * `sql` uses `?` placeholders and must be valid on both SQLite and MySQL/MariaDB.
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
  const client = em.getConnection().getKnex().client as unknown as PoolClient;
  const connection = await client.acquireConnection();
  try {
    return client.driverName === 'libsql'
      ? onLibSql(connection as LibSqlConnection, sql, params, method)
      : await onMySql2(connection as MySql2Connection, sql, params, method);
  } finally {
    await client.releaseConnection(connection);
  }
}

function onLibSql(connection: LibSqlConnection, sql: string, params: unknown[], method: Method): unknown {
  let statements = libSqlStatements.get(connection);
  if (!statements) libSqlStatements.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  if (method === 'run') return { affectedRows: statement.run(params).changes };
  return method === 'get' ? statement.get(params) : statement.all(params);
}

function onMySql2(connection: MySql2Connection, sql: string, params: unknown[], method: Method): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.execute(sql, params, (error, result) => {
      if (error) return reject(error);
      if (method === 'run') return resolve({ affectedRows: (result as RunResult).affectedRows });
      resolve(method === 'get' ? (result as unknown[])[0] : result);
    });
  });
}
