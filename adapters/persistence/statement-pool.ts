import type { MySqlConnectionOptions } from './create-orm.js';

export type StatementMethod = 'get' | 'all' | 'run';
export type RunResult = { affectedRows: number };

/**
 * A driver's own pool beside MikroORM's, for the hot statements (prepared-sql.ts): each statement is
 * prepared once per connection, and a connection is borrowed without knex's pool (tarn's promises and
 * an asynchronous validation per loan) or the ORM's connection lookup. On GET /auth/me and the PUT those
 * cost more CPU than the database work (docs/performance.md). Options as MikroORM's drivers set them,
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
 * The driver MikroORM uses for the server: the mariadb connector on MariaDB (pipelined connections,
 * below), mysql2's pool on MySQL.
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

/** Connections the hot statements are spread over on MariaDB, each pipelining what it is sent. */
const MARIADB_PIPELINES = 4;

/**
 * MariaDB: a few long-lived connections, statements handed to them in turn, each connection pipelining
 * (the connector sends a statement without waiting for the answers to the ones before, MariaDB answers in
 * order). Under load many statements then share one socket write and one read, and no pool lends and
 * takes back a connection per statement: measured at a third of the CPU per statement of the connector's
 * pool (or mysql2's) with 50 requests in flight. Hot statements are single autocommitted reads and writes
 * by key, so one never waits long behind another. A connection that fails is dropped (its statements fail:
 * db_unavailable) and made again on next use.
 */
async function openMariaDbPool(db: MySqlConnectionOptions, { connectTimeout }: StatementPoolOptions): Promise<StatementPool> {
  const { createConnection } = await import('mariadb');
  type Connection = Awaited<ReturnType<typeof createConnection>>;
  const slots: (Promise<Connection> | null)[] = new Array<Promise<Connection> | null>(MARIADB_PIPELINES).fill(null);
  let next = 0;
  let closed = false;
  const connect = (slot: number): Promise<Connection> => {
    const made = createConnection({
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
      pipelining: true,
    });
    const forget = () => {
      if (slots[slot] === made) slots[slot] = null;
    };
    made.then((connection) => connection.on('error', forget).on('end', forget), forget);
    return made;
  };
  return {
    async execute(sql, params, method) {
      if (closed) throw new Error('Pool is destroyed');
      const slot = next;
      next = (next + 1) % MARIADB_PIPELINES;
      const connection = await (slots[slot] ??= connect(slot));
      return result(method, await connection.execute(sql, params.map(utcDateText)));
    },
    async close() {
      closed = true;
      const open = slots.splice(0).filter((made) => made !== null);
      await Promise.all(open.map((made) => made.then((connection) => connection.end()).catch(() => undefined)));
    },
  };
}

/**
 * The mariadb connector sends a Date as the process's local time (its `timezone` option only sets the
 * session's time zone), where mysql2 and MikroORM's own formatting write it in the configured UTC.
 */
function utcDateText(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().slice(0, 23).replace('T', ' ') : value;
}
