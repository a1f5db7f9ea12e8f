import type { EntityManager, EventSubscriber } from '@mikro-orm/core';
import type LibSql from 'libsql';
import type { StatementMethod } from './statement-pool.js';

type Statement = LibSql.Statement<unknown[]>;

/**
 * A SQLite connection of our own for the hot statements (prepared-sql.ts): synchronous, each statement prepared
 * once, with no pool between (knex's validates every connection it lends, asynchronously). Reads always run here;
 * in WAL mode they never wait for a writer. Writes run here only while no transaction of the ORM is open in this
 * process (MikroORM's transaction events count them): a write landing inside one, between its read and its write,
 * would fail it (SQLITE_BUSY_SNAPSHOT), and a write meeting its lock would block the event loop that transaction
 * needs to end. Outside transactions the ORM's statements take and release their locks synchronously, so a
 * synchronous write here never meets them. While one is open, writes go through MikroORM and wait their turn.
 * Being open for the life of the process, this connection also keeps the ORM's from being the last one when
 * MikroORM's libsql dialect replaces it (every 10 s): closing the last connection checkpoints and removes the
 * WAL, which stalled every request for a moment.
 */
export class SqliteConnection {
  private readonly statements = new Map<string, Statement>();
  private openTransactions = 0;

  private constructor(private readonly db: LibSql.Database) {}

  /** Null for ':memory:', where another connection would open another, empty database. */
  static async open(path: string, em: EntityManager): Promise<SqliteConnection | null> {
    if (path === ':memory:') return null;
    const { default: Database } = await import('libsql');
    const db = new Database(path);
    // As the ORM's connections have them (create-orm.ts): WAL is kept in the file, these two are per connection.
    db.exec('pragma synchronous = normal; pragma foreign_keys = on');
    const connection = new SqliteConnection(db);
    em.getEventManager().registerSubscriber(connection.transactionCounter());
    return connection;
  }

  /** Whether a write may run here now: no transaction of the ORM is open. */
  get writable(): boolean {
    return this.openTransactions === 0;
  }

  run(sql: string, params: unknown[], method: StatementMethod): unknown {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    if (method === 'run') return { affectedRows: statement.run(params).changes };
    return method === 'get' ? statement.get(params) : statement.all(params);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Counts the ORM's open transactions (each a root one: savepoints fire no events). Counted from after BEGIN: a
   * deferred BEGIN takes no lock and no snapshot until the transaction's first statement, which runs later still.
   * A transaction whose rollback fails is never uncounted: writes then keep taking the slower, safe way.
   */
  private transactionCounter(): EventSubscriber {
    return {
      afterTransactionStart: () => void this.openTransactions++,
      afterTransactionCommit: () => void this.openTransactions--,
      afterTransactionRollback: () => void this.openTransactions--,
    };
  }
}
