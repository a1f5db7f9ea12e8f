import type { Pool } from 'mysql2';
import type { MySqlConnectionOptions } from './create-orm.js';

export type StatementMethod = 'get' | 'all' | 'run';
export type RunResult = { affectedRows: number };

/**
 * mysql2's own pool, beside MikroORM's, for the hot statements (prepared-sql.ts): `execute` borrows a
 * connection with a callback and prepares each statement once per connection. Through knex's pool
 * (tarn's promises, the ORM's connection lookup) and the mariadb connector, GET /auth/me and the PUT
 * spent more CPU than the database (README, Performance). Options as MikroORM's MySQL driver sets them,
 * so rows come back alike: datetimes as UTC text, BIGINTs as numbers, Dates written in UTC.
 */
export class MySqlStatementPool {
  private constructor(private readonly pool: Pool) {}

  static async open(options: MySqlConnectionOptions, connectTimeout: number, connectionLimit: number): Promise<MySqlStatementPool> {
    const { createPool } = await import('mysql2');
    const { host, port, user, password, dbName } = options;
    return new MySqlStatementPool(
      createPool({
        host,
        port,
        user,
        password,
        database: dbName,
        charset: 'UTF8MB4_UNICODE_CI',
        timezone: '+00:00',
        dateStrings: true,
        supportBigNumbers: true,
        connectTimeout,
        connectionLimit,
        // No idle reaper: below connectionLimit, mysql2's closes every free connection above maxIdle each
        // second, busy or not, so a pool under load would reconnect all the time. A connection the
        // server closes (wait_timeout) leaves the pool when its socket ends.
        maxIdle: connectionLimit,
      }),
    );
  }

  execute(sql: string, params: unknown[], method: StatementMethod): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pool.execute(sql, params as never, (error, result) => {
        if (error) return reject(error);
        if (method === 'run') return resolve({ affectedRows: (result as unknown as RunResult).affectedRows });
        resolve(method === 'get' ? (result as unknown[])[0] : result);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.pool.end(() => resolve()));
  }
}
