/**
 * The database the servers share: a fresh SQLite file in the run's temp dir, or (DB_HOST set) a
 * scratch MariaDB/MySQL database that is dropped and rebuilt from the committed migrations.
 */
import { join } from 'node:path';
import Database from 'libsql';
import { createConnection } from 'mysql2/promise';
import { createOrm, runMigrations, type MySqlConnectionOptions } from '../../adapters/persistence/create-orm.js';

export type DbTarget =
  { kind: 'sqlite'; path: string } | { kind: 'mariadb'; mysql: MySqlConnectionOptions; /** DB_HOST is this machine. */ local: boolean };

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export function databaseFromEnv(env: NodeJS.ProcessEnv, tmpDir: string): DbTarget {
  if (!env.DB_HOST) return { kind: 'sqlite', path: join(tmpDir, 'bench.sqlite') };
  const dbName = env.BENCH_DB_NAME || 'selfstar_bench';
  if (!/^[A-Za-z0-9_]+$/.test(dbName) || !dbName.includes('bench')) {
    throw new Error(`refusing to drop and recreate "${dbName}": the scratch database name must contain "bench" (BENCH_DB_NAME)`);
  }
  return {
    kind: 'mariadb',
    mysql: { host: env.DB_HOST, port: Number(env.DB_PORT || 3306), user: env.DB_USER || 'root', password: env.DB_PASS ?? '', dbName },
    local: LOCAL_HOSTS.has(env.DB_HOST),
  };
}

/** What createOrm / openPersistence take. */
export function ormTarget(target: DbTarget): { mysql: MySqlConnectionOptions | null; sqlitePath: string } {
  return target.kind === 'sqlite' ? { mysql: null, sqlitePath: target.path } : { mysql: target.mysql, sqlitePath: '' };
}

/** The server environment naming the database (the same variables the real server reads). */
export function databaseEnv(target: DbTarget): Record<string, string> {
  if (target.kind === 'sqlite') return { SQLITE_PATH: target.path };
  const { host, port, user, password, dbName } = target.mysql;
  return { DB_HOST: host, DB_PORT: String(port), DB_USER: user, DB_PASS: password, DB_NAME: dbName };
}

async function onServer<T>(mysql: MySqlConnectionOptions, work: (run: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const { dbName: _unused, ...server } = mysql;
  const connection = await createConnection({ ...server, charset: 'utf8mb4', connectTimeout: 5000 });
  try {
    return await work(async (sql) => (await connection.query(sql))[0]);
  } finally {
    await connection.end();
  }
}

/** MariaDB only (the SQLite schema is created when the file is first opened): drop, create, migrate. */
export async function createScratchDatabase(target: DbTarget): Promise<void> {
  if (target.kind === 'sqlite') return;
  await dropScratchDatabase(target);
  const db = await createOrm({ mysql: target.mysql, sqlitePath: '', ensureDatabase: true });
  try {
    await runMigrations(db.orm);
  } finally {
    await db.close();
  }
}

export async function dropScratchDatabase(target: DbTarget): Promise<void> {
  if (target.kind === 'sqlite') return;
  await onServer(target.mysql, (run) => run(`drop database if exists \`${target.mysql.dbName}\``));
}

export async function databaseVersion(target: DbTarget): Promise<string> {
  if (target.kind === 'sqlite') {
    const db = new Database(target.path);
    try {
      return `SQLite ${(db.prepare('select sqlite_version() as v').get() as { v: string }).v} (libsql)`;
    } finally {
      db.close();
    }
  }
  const rows = (await onServer(target.mysql, (run) => run('select version() as v'))) as { v: string }[];
  return rows[0].v;
}
