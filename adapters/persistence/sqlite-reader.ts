/** libsql's Database (better-sqlite3's API), the part used here. */
interface LibSqlDatabase {
  prepare(sql: string): { get(params: unknown[]): unknown; all(params: unknown[]): unknown[]; run(params: unknown[]): { changes: number } };
  exec(sql: string): void;
  close(): void;
}

type Statement = ReturnType<LibSqlDatabase['prepare']>;

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
  private readonly statements = new Map<string, Statement>();

  private constructor(private readonly db: LibSqlDatabase) {}

  /** Null for ':memory:', where another connection would open another, empty database. */
  static async open(path: string): Promise<SqliteReader | null> {
    if (path === ':memory:') return null;
    const { default: Database } = (await import('libsql')) as unknown as { default: new (path: string) => LibSqlDatabase };
    return new SqliteReader(new Database(path));
  }

  read(sql: string, params: unknown[], method: 'get' | 'all'): unknown {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return method === 'get' ? statement.get(params) : statement.all(params);
  }

  close(): void {
    this.db.close();
  }
}
