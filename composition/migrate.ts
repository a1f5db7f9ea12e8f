/**
 * `npm run db:migrate`: applies the committed migrations to the MySQL/MariaDB database named by
 * DB_HOST, DB_PORT (3306), DB_USER (root), DB_PASS (''), DB_NAME (selfstar), creating the
 * database when missing. SQLite needs no migrating: the server keeps its schema up to date.
 */
import 'dotenv/config';
import { createOrm, runMigrations } from '../adapters/persistence/create-orm.js';

function fail(message: string): never {
  console.error(`db:migrate: ${message}`);
  process.exit(1);
}

const env = process.env;
if (!env.DB_HOST) {
  fail('DB_HOST is not set; migrations are for MySQL/MariaDB (set DB_HOST, DB_PORT, DB_USER, DB_PASS, DB_NAME).');
}
const port = Number(env.DB_PORT || 3306);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`DB_PORT must be a port number, got "${env.DB_PORT}".`);
const dbName = env.DB_NAME || 'selfstar';
if (!/^[A-Za-z0-9_$]+$/.test(dbName)) fail(`DB_NAME must be letters, digits, _ or $, got "${dbName}".`);

const mysql = { host: env.DB_HOST, port, user: env.DB_USER || 'root', password: env.DB_PASS ?? '', dbName };
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
