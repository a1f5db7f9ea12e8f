import type LibSql from 'libsql';
import type { StatementMethod } from './statement-pool.js';

type Statement = LibSql.Statement<unknown[]>;

/** Each libsql connection's statements, prepared once on it and reused. */
const statementsOf = new WeakMap<LibSql.Database, Map<string, Statement>>();

/**
 * Runs `sql` on a libsql connection (better-sqlite3's API, synchronous) as a prepared statement, prepared the
 * first time that connection runs it.
 */
export function runOnSqlite(db: LibSql.Database, sql: string, params: unknown[], method: StatementMethod): unknown {
  let statements = statementsOf.get(db);
  if (!statements) statementsOf.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  if (method === 'run') return { affectedRows: statement.run(params).changes };
  return method === 'get' ? statement.get(params) : statement.all(params);
}

/**
 * A SQLite connection of its own, for the hot statements' reads: synchronous, each statement prepared once,
 * with no pool between (knex's validates every connection it lends, asynchronously). Only reads: a second
 * writing connection could make a transaction of the ORM's connection fail (a write that lands between its
 * read and its write is SQLITE_BUSY_SNAPSHOT), so writes stay on the ORM's one connection. In WAL mode
 * readers never wait for that writer. Being open for the life of the process, it also keeps the ORM's
 * connection from being the last one when MikroORM's libsql dialect replaces it (every 10 s): closing the
 * last connection checkpoints and removes the WAL, which stalled every request for a moment.
 */
export class SqliteReader {
  private constructor(private readonly db: LibSql.Database) {}

  /** Null for ':memory:', where another connection would open another, empty database. */
  static async open(path: string): Promise<SqliteReader | null> {
    if (path === ':memory:') return null;
    const { default: Database } = await import('libsql');
    return new SqliteReader(new Database(path));
  }

  read(sql: string, params: unknown[], method: 'get' | 'all'): unknown {
    return runOnSqlite(this.db, sql, params, method);
  }

  close(): void {
    this.db.close();
  }
}
