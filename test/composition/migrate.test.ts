import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createConnection } from 'mysql2/promise';
import { ConfigError, loadConfig } from '../../composition/config.js';
import type { MySqlConnectionOptions } from '../../adapters/persistence/create-orm.js';
import { parseMySqlUrl } from '../support/mysql.js';
import { freePort } from '../support/test-app.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Runs `npm run db:migrate`'s entry with only `env` set (and no .env file). */
function dbMigrate(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const fullEnv = { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: '/nonexistent/.env', ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'composition/migrate.ts'], { cwd: ROOT, env: fullEnv }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

function serverMessage(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('npm run db:migrate', () => {
  it("reads DB_* through the server's loader: a bad value is refused with the same one-line message", async () => {
    const bad: Record<string, string>[] = [
      { DB_HOST: 'db', DB_PORT: 'mysql' },
      { DB_HOST: 'db', DB_NAME: 'my-db' },
    ];
    const runs = await Promise.all(bad.map(dbMigrate));
    bad.forEach((env, i) => {
      expect(runs[i].code).to.equal(1);
      expect(runs[i].stderr).to.equal(`db:migrate: ${serverMessage(env)}\n`);
    });
  });

  it('refuses to run without DB_HOST', async () => {
    const run = await dbMigrate({ DB_PORT: '3307' });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.equal(
      'db:migrate: DB_HOST is not set; migrations are for MySQL/MariaDB (set DB_HOST, DB_PORT, DB_USER, DB_PASS, DB_NAME).\n',
    );
  });

  it("applies the loader's defaults and needs none of the server's other variables, even in production", async () => {
    const port = await freePort();
    const run = await dbMigrate({ NODE_ENV: 'production', DB_HOST: '127.0.0.1', DB_PORT: String(port), LOG_LEVEL: 'loud' });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(new RegExp(`^db:migrate: failed on root@127\\.0\\.0\\.1:${port}/selfstar: .*ECONNREFUSED`));
  });

  const url = process.env.TEST_MYSQL_URL;
  (url ? it : it.skip)('creates and migrates the database DB_* name, then finds it up to date (MariaDB)', async () => {
    const base = parseMySqlUrl(url ?? '');
    const target: MySqlConnectionOptions = { ...base, dbName: `${base.dbName}_migrate` };
    const { host, port, user, password, dbName } = target;
    const env = { DB_HOST: host, DB_PORT: String(port), DB_USER: user, DB_PASS: password, DB_NAME: dbName };
    const where = `${target.user}@${target.host}:${target.port}/${target.dbName}`;
    await dropDatabase(target);
    try {
      const first = await dbMigrate(env);
      expect(first.stderr).to.equal('');
      expect(first.stdout).to.match(new RegExp(`^db:migrate: applied \\d+ migration\\(s\\) to ${where}: `));
      const second = await dbMigrate(env);
      expect(second.stdout).to.equal(`db:migrate: ${where} is up to date; nothing to apply.\n`);
    } finally {
      await dropDatabase(target);
    }
  });
});

async function dropDatabase({ dbName, ...server }: MySqlConnectionOptions): Promise<void> {
  const connection = await createConnection(server);
  try {
    await connection.query(`drop database if exists \`${dbName}\``);
  } finally {
    await connection.end();
  }
}
