import { createHash } from 'node:crypto';
import { MikroORM, Utils, type LoggerOptions, type Options } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/mysql';
import { errors } from '../../core/shared/index.js';
import { inUnitOfWork } from './current-em.js';
import { ENTITIES, RATE_LIMIT_TABLE } from './entities.js';
import { useSqliteConnection, useStatementPool } from './prepared-sql.js';
import { SqliteConnection } from './sqlite-connection.js';
import { openStatementPool, type StatementPool } from './statement-pool.js';
import { QueryTimingLogger, type QueryObserver } from './query-timing-logger.js';

export type SqlOrm = MikroORM<AbstractSqlDriver, SqlEntityManager>;

export interface MySqlConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  dbName: string;
}

export interface CreateOrmOptions {
  /** MySQL/MariaDB when set; otherwise the embedded SQLite file below. */
  mysql: MySqlConnectionOptions | null;
  /** Parent directories are created; ':memory:' is allowed. */
  sqlitePath: string;
  debug?: boolean;
  /** MySQL only: create the database when missing (default false: the app never creates it). */
  ensureDatabase?: boolean;
  /** Told of every query and its duration (metrics). */
  onQuery?: QueryObserver;
}

/** The connection pool's connections by state (a type, not an interface: it is read as a record of counts). */
export type PoolStats = {
  used: number;
  free: number;
  pendingAcquires: number;
  pendingCreates: number;
};

export interface Database {
  orm: SqlOrm;
  /** Resolves when the database answers `select 1` within timeoutMs; else throws db_unavailable. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Runs one unit of work (an HTTP request, a job) with its own EntityManager: every repository call
   * inside shares it, and nothing leaks between units. Framework-neutral: the HTTP adapter wraps it.
   */
  inRequestScope<T>(work: () => Promise<T>): Promise<T>;
  /** Null before the pool exists. */
  poolStats(): PoolStats | null;
  /** On MariaDB, the hot statements' pipelined pool, for what only MariaDB can say (RETURNING); else null. */
  mariaDbStatements: StatementPool | null;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 5000;
/** Connections of MikroORM's pool; the hot statements' own pool (MySQL/MariaDB) has as many again. */
const POOL_MAX = 10;

/**
 * The one driver this process uses, loaded alone: each brings its own connector (libsql, mariadb,
 * mysql2 with iconv-lite's tables), and a start on SQLite never needs the other two.
 */
async function driverFor(options: CreateOrmOptions, mariaDb: boolean): Promise<Options<AbstractSqlDriver, SqlEntityManager>['driver']> {
  if (!options.mysql) return (await import('@mikro-orm/libsql')).LibSqlDriver;
  return mariaDb ? (await import('@mikro-orm/mariadb')).MariaDbDriver : (await import('@mikro-orm/mysql')).MySqlDriver;
}

function ormOptions(
  options: CreateOrmOptions,
  driver: Options<AbstractSqlDriver, SqlEntityManager>['driver'],
): Options<AbstractSqlDriver, SqlEntityManager> {
  const common = {
    entities: ENTITIES,
    schemaGenerator: { skipTables: [RATE_LIMIT_TABLE] },
    allowGlobalContext: false,
    debug: options.debug ?? false,
    ...(options.onQuery && { loggerFactory: (logger: LoggerOptions) => new QueryTimingLogger(logger, options.onQuery!) }),
  };
  if (!options.mysql) {
    const pool = { afterCreate: sqliteConnectionSettings, acquireTimeoutMillis: 5000 };
    return { ...common, driver, dbName: options.sqlitePath, pool };
  }
  const { host, port, user, password, dbName } = options.mysql;
  return {
    ...common,
    driver,
    host,
    port,
    user,
    password,
    dbName,
    charset: 'utf8mb4',
    collate: 'utf8mb4_unicode_ci',
    timezone: '+00:00',
    ensureDatabase: options.ensureDatabase ?? false,
    pool: { min: 0, max: POOL_MAX, acquireTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
    driverOptions: { connection: { connectTimeout: CONNECT_TIMEOUT_MS } },
  };
}

/**
 * Whether the server is MariaDB (its version says so), which then gets MikroORM's MariaDB driver; any
 * other answer gets the MySQL driver. No setting names the server, so it is asked, on a connection of
 * its own with no database (db:migrate may be about to create it).
 *
 * A server that cannot be asked at start (down, unreachable, refusing us) counts as MySQL, for the life
 * of the process: the server must start without its database, and the driver cannot be swapped under
 * the repositories later. That is safe on MariaDB too: the repositories read and write the same through
 * either driver (test/contracts/mariadb.test.ts runs the stores both ways); only the MariaDB driver's
 * schema introspection (db:migrate, which fails anyway without a server) and its connector are missed
 * until the next restart.
 */
async function isMariaDb({ host, port, user, password }: MySqlConnectionOptions): Promise<boolean> {
  const { createConnection } = await import('mariadb');
  const connection = await createConnection({ host, port, user, password, connectTimeout: CONNECT_TIMEOUT_MS }).catch(() => null);
  if (!connection) return false;
  try {
    const [row] = await connection.query<{ version: string }[]>('select version() as version');
    return /mariadb/i.test(row.version);
  } catch {
    return false;
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

/**
 * Starts the ORM. SQLite gets its schema created or updated here (idempotent); MySQL/MariaDB is
 * changed only by the committed migrations (`npm run db:migrate`). A MySQL server that is down at
 * start is not fatal: queries answer db_unavailable until it returns.
 */
export async function createOrm(options: CreateOrmOptions): Promise<Database> {
  const mariaDb = options.mysql !== null && (await isMariaDb(options.mysql));
  const orm = (await MikroORM.init(ormOptions(options, await driverFor(options, mariaDb)))) as SqlOrm;
  const statementPool =
    options.mysql && (await openStatementPool(mariaDb, options.mysql, { connectTimeout: CONNECT_TIMEOUT_MS, connectionLimit: POOL_MAX }));
  if (statementPool) useStatementPool(orm.em, statementPool);
  let sqlite: SqliteConnection | null = null;
  if (!options.mysql) {
    await updateSqliteSchema(orm);
    // Rows from before ss_session.id held the SHA-256 (64 hex digits) of the session id are keyed by
    // the raw id: no request can find them again, so they go (the MariaDB migration does the same once).
    await orm.em.getConnection().execute('delete from ss_session where length(id) <> 64');
    sqlite = await SqliteConnection.open(options.sqlitePath, orm.em);
    if (sqlite) useSqliteConnection(orm.em, sqlite);
  }
  return {
    orm,
    ping: (timeoutMs = 1000) => ping(orm, timeoutMs),
    inRequestScope: inUnitOfWork,
    poolStats: () => poolStats(orm),
    mariaDbStatements: mariaDb ? statementPool : null,
    close: async () => {
      await statementPool?.close();
      await orm.close(true);
      sqlite?.close();
    },
  };
}

/**
 * The schema as declared: MikroORM's version and the entity definitions as written, read when this module
 * loads, before MikroORM's discovery fills them in (a test process starts many ORMs on the same definitions).
 */
const DECLARED_SCHEMA = JSON.stringify(
  [Utils.getORMVersion(), RATE_LIMIT_TABLE, ENTITIES.map((entity) => entity.meta)],
  (key, value: unknown) => (key === '_id' || key === 'root' ? undefined : typeof value === 'function' ? `function ${value.name}` : value),
);

/**
 * Brings the SQLite schema up to date with the entities (idempotent, never dropping anything), unless it
 * already was at the end of the last start: comparing the two schemas (reading every table's and index's
 * definition back and diffing it) was ~80 ms of a one-core start. SQLite's user_version holds a stamp of
 * the declared schema together with the tables as sqlite_master lists them after the last update, so a
 * change to either (new entities, a table altered by hand or by another version) brings the update back.
 */
async function updateSqliteSchema(orm: SqlOrm): Promise<void> {
  const connection = orm.em.getConnection();
  const stamp = async () => {
    const tables = await connection.execute('select type, name, tbl_name, sql from sqlite_master order by type, name');
    // user_version is a signed 32-bit integer, and 0 is a new database's.
    return createHash('sha256').update(DECLARED_SCHEMA).update(JSON.stringify(tables)).digest().readInt32BE(0) || 1;
  };
  const [{ user_version: stored }] = await connection.execute<{ user_version: number }[]>('pragma user_version');
  if (stored === (await stamp())) return;
  await orm.schema.updateSchema({ safe: true });
  await connection.execute(`pragma user_version = ${await stamp()}`);
}

/**
 * Per-connection SQLite settings, applied to every connection the pool opens: MikroORM's libsql
 * dialect replaces its connection every 10 s, and a setting made once at start was lost with the
 * first one (foreign keys went unenforced, and every commit went back to an fsync).
 * - WAL: readers never wait for the writer, and a commit is an append instead of a journal rewrite.
 * - synchronous = normal: in WAL mode, no fsync per commit (only at checkpoints); the database stays
 *   consistent after a crash, and a power loss can lose the last commits. Measured: PUT
 *   /users/me/profile p99 from over 1 s to a few ms (docs/performance.md).
 */
function sqliteConnectionSettings<C extends { exec(sql: string): void; memory: boolean }>(
  connection: C,
  done: (error: Error | null, connection: C) => void,
): void {
  try {
    if (!connection.memory) connection.exec('pragma journal_mode = wal; pragma synchronous = normal');
    connection.exec('pragma foreign_keys = on');
    done(null, connection);
  } catch (error) {
    done(error as Error, connection);
  }
}

/** knex's pool (tarn), read through knex's declared Client: MikroORM does not expose it otherwise. */
function poolStats(orm: SqlOrm): PoolStats | null {
  const { pool } = orm.em.getConnection().getKnex().client as Knex.Client;
  if (!pool) return null;
  return {
    used: pool.numUsed(),
    free: pool.numFree(),
    pendingAcquires: pool.numPendingAcquires(),
    pendingCreates: pool.numPendingCreates(),
  };
}

async function ping(orm: SqlOrm, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(errors.dbUnavailable()), timeoutMs);
  });
  try {
    await Promise.race([orm.em.getConnection().execute('select 1'), timeout]);
  } catch {
    throw errors.dbUnavailable();
  } finally {
    clearTimeout(timer);
  }
}

/** Applies the pending committed migrations (MySQL/MariaDB only) and returns their names. */
export async function runMigrations(orm: SqlOrm): Promise<string[]> {
  if (orm.config.getDriver() instanceof (await import('@mikro-orm/libsql')).LibSqlDriver) {
    throw new Error('Migrations are for MySQL/MariaDB; the SQLite schema is kept up to date by createOrm.');
  }
  // Loaded here, not at start: the server never migrates, and the migrator and its dependencies
  // (umzug, @rushstack/*) cost ~0.15 s and ~10 MB to load.
  const [{ Migrator }, { MIGRATIONS }] = await Promise.all([import('@mikro-orm/migrations'), import('./migrations/index.js')]);
  const settings = { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true };
  orm.config.set('migrations', { ...orm.config.get('migrations'), ...settings });
  Migrator.register(orm);
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}
