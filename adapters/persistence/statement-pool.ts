import type { MySqlConnectionOptions } from './create-orm.js';

export type StatementMethod = 'get' | 'all' | 'run';
export type RunResult = { affectedRows: number };

/**
 * A driver's own pool beside MikroORM's, for the hot statements (prepared-sql.ts): each statement is
 * prepared once per connection, and a connection is borrowed without knex's pool (tarn's promises and
 * an asynchronous validation per loan) or the ORM's connection lookup. On GET /auth/me and the PUT those
 * cost more CPU than the database work (README, Performance). Options as MikroORM's drivers set them,
 * so rows come back alike: datetimes as UTC text, BIGINTs as numbers.
 */
export interface StatementPool {
  execute(sql: string, params: unknown[], method: StatementMethod): Promise<unknown>;
  close(): Promise<void>;
}

export interface StatementPoolOptions {
  connectTimeout: number;
  connectionLimit: number;
}

/**
 * The driver MikroORM uses for the server: the mariadb connector on MariaDB (measured ~10% less CPU per
 * statement than mysql2 there: MariaDB need not resend a prepared statement's column definitions), mysql2
 * on MySQL.
 */
export function openStatementPool(mariaDb: boolean, db: MySqlConnectionOptions, options: StatementPoolOptions): Promise<StatementPool> {
  return mariaDb ? openMariaDbPool(db, options) : openMySql2Pool(db, options);
}

const result = (method: StatementMethod, value: unknown): unknown =>
  method === 'run' ? { affectedRows: (value as RunResult).affectedRows } : method === 'get' ? (value as unknown[])[0] : value;

async function openMySql2Pool(
  db: MySqlConnectionOptions,
  { connectTimeout, connectionLimit }: StatementPoolOptions,
): Promise<StatementPool> {
  const { createPool } = await import('mysql2');
  const pool = createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.dbName,
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: '+00:00',
    dateStrings: true,
    supportBigNumbers: true,
    connectTimeout,
    connectionLimit,
    // No idle reaper: below connectionLimit, mysql2's closes every free connection above maxIdle each
    // second, busy or not, so a pool under load would reconnect all the time. A connection the server
    // closes (wait_timeout) leaves the pool when its socket ends.
    maxIdle: connectionLimit,
  });
  return {
    execute: (sql, params, method) =>
      new Promise((resolve, reject) => {
        pool.execute(sql, params as never, (error, value) => (error ? reject(error) : resolve(result(method, value))));
      }),
    close: () => new Promise((resolve) => pool.end(() => resolve())),
  };
}

async function openMariaDbPool(
  db: MySqlConnectionOptions,
  { connectTimeout, connectionLimit }: StatementPoolOptions,
): Promise<StatementPool> {
  const { createPool } = await import('mariadb');
  const pool = createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.dbName,
    charset: 'utf8mb4',
    collation: 'UTF8MB4_UNICODE_CI',
    timezone: '+00:00',
    dateStrings: true,
    supportBigNumbers: true,
    insertIdAsNumber: true,
    checkDuplicate: false,
    connectTimeout,
    acquireTimeout: connectTimeout,
    connectionLimit,
    // Its pool opens connections only to keep minimumIdle of them idle: one, so it grows with demand up to
    // connectionLimit (and back down after idleTimeout seconds).
    minimumIdle: 1,
    idleTimeout: 30,
  });
  return {
    execute: async (sql, params, method) => result(method, await pool.execute(sql, params.map(utcDateText))),
    close: () => pool.end(),
  };
}

/**
 * The mariadb connector sends a Date as the process's local time (its `timezone` option only sets the
 * session's time zone), where mysql2 and MikroORM's own formatting write it in the configured UTC.
 */
function utcDateText(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value;
}
