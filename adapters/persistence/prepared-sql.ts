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
/**
 * mysql2's and the mariadb connector's callback API (MikroORM's MySQL and MariaDB drivers): `execute`
 * prepares a statement once per connection, then reuses it (mysql2 caches every statement, mariadb the
 * last prepareCacheLength, 256 by default). Both give plain row objects, datetimes as UTC text and BIGINTs
 * as numbers (MikroORM sets dateStrings and supportBigNumbers), and for a run an object with affectedRows.
 * They differ where the repositories accept either: mariadb parses a MariaDB JSON column (mysql2 gives
 * its text) and writes a datetime's fraction to the column's scale ('…:05.000' where mysql2 gives '…:05').
 */
interface ExecutingConnection {
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
    if (client.driverName === 'libsql') return onLibSql(connection as LibSqlConnection, sql, params, method);
    if (client.driverName === 'mariadb') return await execute(connection as ExecutingConnection, sql, params.map(utcDateText), method);
    return await execute(connection as ExecutingConnection, sql, params, method);
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

/**
 * The mariadb connector sends a Date as the process's local time (its `timezone` option only sets the
 * session's time zone), where mysql2 and MikroORM's own formatting write it in the configured UTC.
 */
function utcDateText(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value;
}

function execute(connection: ExecutingConnection, sql: string, params: unknown[], method: Method): Promise<unknown> {
  return new Promise((resolve, reject) => {
    connection.execute(sql, params, (error, result) => {
      if (error) return reject(error);
      if (method === 'run') return resolve({ affectedRows: (result as RunResult).affectedRows });
      resolve(method === 'get' ? (result as unknown[])[0] : result);
    });
  });
}
