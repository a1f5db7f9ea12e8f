/**
 * `npm run db:migrate`: applies the committed migrations to the MySQL/MariaDB database named by the
 * DB_* variables, read by the server's loader (same defaults and checks; the other variables are not
 * needed), creating the database when missing. SQLite needs no migrating: the server keeps its schema up to date.
 */
import 'dotenv/config';
import { createOrm, runMigrations } from '../adapters/persistence/create-orm.js';
import { ConfigError, loadDatabaseConfig } from './config.js';
import { DB_NAMES } from './config/typed-config.js';

function fail(message: string): never {
  console.error(`db:migrate: ${message}`);
  process.exit(1);
}

let mysql;
try {
  mysql = loadDatabaseConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  fail(error.message);
}
if (mysql === null) fail(`DB_HOST is not set; migrations are for MySQL/MariaDB (set ${DB_NAMES.join(', ')}).`);
const where = `${mysql.user}@${mysql.host}:${mysql.port}/${mysql.dbName}`;

try {
  const db = await createOrm({ mysql, sqlitePath: '', ensureDatabase: true });
  try {
    const applied = await runMigrations(db.orm);
    console.log(
      applied.length > 0
        ? `db:migrate: applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`
        : `db:migrate: ${where} is up to date; nothing to apply.`,
    );
  } finally {
    await db.close();
  }
} catch (error) {
  fail(`failed on ${where}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
}
