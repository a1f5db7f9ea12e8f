import { createConnection } from 'mysql2/promise';
import type { MySqlConnectionOptions } from '../../adapters/persistence/create-orm.js';

/** mysql://user:pass@host:port/dbname → connection options (port 3306, user root by default). */
export function parseMySqlUrl(url: string): MySqlConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`TEST_MYSQL_URL must be mysql://user:pass@host:port/db, got protocol ${u.protocol}`);
  }
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(dbName)) throw new Error('TEST_MYSQL_URL must name a database: mysql://…/selfstar_test');
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    dbName,
  };
}

/**
 * Creates the scratch database when missing and drops every table in it, on one connection
 * (foreign key checks are per connection). Refuses names that do not look like a scratch
 * database, so a mistyped URL cannot empty a real one.
 */
export async function resetScratchDatabase(target: MySqlConnectionOptions): Promise<void> {
  if (!/test|contract|scratch|tmp/i.test(target.dbName)) {
    throw new Error(`refusing to drop the tables of "${target.dbName}": a scratch database name contains test, contract, scratch or tmp`);
  }
  const { dbName, ...server } = target;
  const connection = await createConnection({ ...server, charset: 'utf8mb4' });
  try {
    await connection.query(`create database if not exists \`${dbName}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    await connection.query(`use \`${dbName}\``);
    const [rows] = await connection.query(
      `select table_name as name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'`,
      [dbName],
    );
    const tables = (rows as { name: string }[]).map((r) => `\`${r.name}\``);
    await connection.query('set foreign_key_checks = 0');
    if (tables.length > 0) await connection.query(`drop table ${tables.join(', ')}`);
    await connection.query('set foreign_key_checks = 1');
  } finally {
    await connection.end();
  }
}

/** The server's `select version()`, e.g. '10.11.6-MariaDB-0+deb12u1' or '8.4.3'. */
export async function serverVersion(target: MySqlConnectionOptions): Promise<string> {
  const { dbName: _unused, ...server } = target;
  const connection = await createConnection(server);
  try {
    const [rows] = await connection.query('select version() as version');
    return (rows as { version: string }[])[0].version;
  } finally {
    await connection.end();
  }
}
