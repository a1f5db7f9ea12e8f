/**
 * The FastAPI peer (../shared/peers/fastapi-seed): the server selfstar replaces, measured as rows of
 * the same interleaved rounds. Started as its run.sh does: Debian's /usr/bin/python3 -m uvicorn app:app
 * with uvloop and httptools, one worker, from its own folder (which is read-only: nothing is written
 * there). Its database is the run's MariaDB (DB_HOST…) or, on a SQLite run, the local MariaDB at
 * 127.0.0.1:3306 as root when it answers; in a scratch database of its own with run.sh's schema and
 * 1,000 users. Its session cookies come from its own GET /login-test?uid=N, as bench.py gets them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { MySqlConnectionOptions } from '../../adapters/persistence/create-orm.js';
import { onCleanup } from './cleanup.js';
import type { BenchContext } from './context.js';
import { localMariadbdPid, pinToCpu0 } from './mariadbd.js';
import { freePort, PINNED, pinnedTo, startServer, stop, type ServerSpec } from './processes.js';

/** Debian's python: the python3-* packages live there, not in a pyenv or a venv. */
export const PEER_PYTHON = '/usr/bin/python3';
const PEER_PACKAGES = [
  'python3-fastapi',
  'python3-uvicorn',
  'python3-aiomysql',
  'python3-itsdangerous',
  'python3-uvloop',
  'python3-httptools',
];
const PEER_IMPORTS = 'import fastapi, uvicorn, aiomysql, uvloop, httptools, itsdangerous';
const PEER_USERS = 1000;
/** The user of GET /auth/me (bench.py's too): 사용자1, who has a birthday and a gender. */
const PEER_ME_USER = { id: 1, nickname: '사용자1' };
const LOCAL_MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

export interface Peer {
  dir: string;
  mysql: MySqlConnectionOptions;
  /** Which MariaDB, and why that one, for the output. */
  database: string;
  /** mariadbd's PID when it runs on this machine (its CPU time per request is measured). */
  dbPid: number | null;
  /** One Cookie header value (`session=…`) per user, a line each: COOKIES_FILE of the PUT's lua script. */
  cookiesFile: string;
  meCookie: string;
  meUser: { id: number; nickname: string };
  /** python and the peer's packages, for the facts. */
  versions: string;
}

/** The peer's folder: FASTAPI_PEER_DIR, else ../shared/peers/fastapi-seed beside the repository. */
function peerDir(ctx: BenchContext): string {
  return resolve(process.env.FASTAPI_PEER_DIR || join(ctx.repoDir, '..', 'shared', 'peers', 'fastapi-seed'));
}

/**
 * Sets the peer up, or says (printed too) why it cannot be measured here: no peer folder, or (on a
 * SQLite run) no MariaDB answering at 127.0.0.1:3306. A missing package it cannot install is an error.
 */
export async function preparePeer(ctx: BenchContext): Promise<Peer | { skipped: string }> {
  const dir = peerDir(ctx);
  const chosen = existsSync(join(dir, 'app.py')) ? await peerDatabase(ctx) : { skipped: `no FastAPI peer at ${dir} (FASTAPI_PEER_DIR)` };
  if ('skipped' in chosen) {
    console.log(`note: ${chosen.skipped}: the FastAPI rows are skipped`);
    return chosen;
  }
  const { mysql, database, local } = chosen;
  console.log(`FastAPI peer: ${database}`);
  ensurePythonPackages();
  onCleanup(`drop database ${mysql.dbName}`, () => dropPeerDatabase(mysql));
  await createPeerDatabase(mysql);

  const dbPid = local ? localMariadbdPid() : null;
  if (dbPid !== null && dbPid !== ctx.dbPid && PINNED) {
    try {
      pinToCpu0(dbPid); // as run.sh pins its private mariadbd; given back at cleanup
    } catch (error) {
      console.warn(`warning: mariadbd (${dbPid}) stays unpinned: ${(error as Error).message}`);
    }
  }
  const peer: Peer = {
    dir,
    mysql,
    database,
    dbPid,
    cookiesFile: join(ctx.tmpDir, 'peer-cookies.txt'),
    meCookie: '',
    meUser: PEER_ME_USER,
    versions: peerVersions(),
  };
  peer.meCookie = await writeCookies(peer);
  return peer;
}

/** The run's MariaDB, else the local one when it answers, else why not (the rows are skipped). */
async function peerDatabase(
  ctx: BenchContext,
): Promise<{ mysql: MySqlConnectionOptions; database: string; local: boolean } | { skipped: string }> {
  if (ctx.db.kind === 'mariadb') {
    const mysql = { ...ctx.db.mysql, dbName: `${ctx.db.mysql.dbName}_peer` };
    return { mysql, database: `the run's MariaDB ${where(mysql)} (DB_HOST)`, local: ctx.db.local };
  }
  const mysql = { ...LOCAL_MARIADB, dbName: `${process.env.BENCH_DB_NAME || 'selfstar_bench'}_peer` };
  if (!/^[A-Za-z0-9_]+$/.test(mysql.dbName) || !mysql.dbName.includes('bench')) {
    throw new Error(`refusing to drop and recreate "${mysql.dbName}": BENCH_DB_NAME must contain "bench"`);
  }
  try {
    await (await connect(mysql, false)).end();
  } catch (error) {
    return { skipped: `the run is on SQLite and no MariaDB answers at ${where(mysql)} as root (${(error as Error).message})` };
  }
  return { mysql, database: `the local MariaDB ${where(mysql)} as root (the run itself is on SQLite)`, local: true };
}

const where = (mysql: MySqlConnectionOptions) => `${mysql.host}:${mysql.port}/${mysql.dbName}`;

function connect(mysql: MySqlConnectionOptions, withDatabase: boolean): Promise<Connection> {
  const { dbName, ...server } = mysql;
  return createConnection({ ...server, database: withDatabase ? dbName : undefined, charset: 'utf8mb4', connectTimeout: 3000 });
}

/** Debian's packages, installed with apt-get when one does not import. */
function ensurePythonPackages(): void {
  const imports = () => spawnSync(PEER_PYTHON, ['-c', PEER_IMPORTS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const first = imports();
  if (first.status === 0) return;
  const why = (first.stderr || first.error?.message || '').trim().split('\n').pop();
  const manual = `apt-get install ${PEER_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`the FastAPI peer needs Debian's python packages (${why}); not root, so not installing them: run \`${manual}\``);
  }
  console.log(`installing the FastAPI peer's python packages (${why}): apt-get update, ${manual}`);
  const apt = (args: string[]) => {
    const run = spawnSync('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15 * 60_000,
    });
    if (run.status !== 0) {
      const tail = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`apt-get ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}):\n${tail}`);
    }
  };
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...PEER_PACKAGES]);
  const second = imports();
  if (second.status !== 0) throw new Error(`after apt-get install, ${PEER_PYTHON} -c '${PEER_IMPORTS}' still fails:\n${second.stderr}`);
}

function peerVersions(): string {
  const code =
    'import sys; from importlib.metadata import version as v; ' +
    "print(' '.join(['python ' + sys.version.split()[0]] + [m + ' ' + v(m) for m in ('fastapi', 'uvicorn', 'aiomysql', 'uvloop', 'httptools')]))";
  try {
    return execFileSync(PEER_PYTHON, ['-c', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function dropPeerDatabase(mysql: MySqlConnectionOptions): Promise<void> {
  const connection = await connect(mysql, false);
  try {
    await connection.query(`drop database if exists \`${mysql.dbName}\``);
  } finally {
    await connection.end();
  }
}

/** run.sh's table and its 1,000 users (every third one without a birthday and gender), verbatim. */
const PEER_SCHEMA = `CREATE TABLE ss_user (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  provider VARCHAR(16) NOT NULL,
  provider_user_id VARCHAR(64) NOT NULL,
  nickname VARCHAR(100) NOT NULL,
  profile_image VARCHAR(500) NULL,
  birthday DATE NULL,
  gender VARCHAR(8) NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_provider_user (provider, provider_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
const PEER_USERS_SQL = `INSERT INTO ss_user (provider, provider_user_id, nickname, profile_image, birthday, gender)
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${PEER_USERS})
SELECT IF(n % 5 = 0, 'google', 'kakao'), CAST(3000000000 + n * 7919 AS CHAR), CONCAT('사용자', n),
       CONCAT('https://k.kakaocdn.net/dn/profile/', n, '.jpg'),
       IF(n % 3 = 0, NULL, DATE_ADD('1970-01-01', INTERVAL (n * 37) % 12000 DAY)),
       IF(n % 3 = 0, NULL, IF(n % 2 = 0, '남성', '여성'))
FROM seq`;

async function createPeerDatabase(mysql: MySqlConnectionOptions): Promise<void> {
  await dropPeerDatabase(mysql);
  const server = await connect(mysql, false);
  try {
    await server.query(`CREATE DATABASE \`${mysql.dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.end();
  }
  const db = await connect(mysql, true);
  try {
    await db.query(PEER_SCHEMA);
    // MariaDB's limit (run.sh raises it); MySQL has none by that name, and its own (1000 levels) is enough.
    await db.query('SET SESSION max_recursive_iterations = 10000').catch(() => undefined);
    await db.query(PEER_USERS_SQL);
    const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS users, SUM(birthday IS NULL) AS needs_consent FROM ss_user');
    const { users, needs_consent: needsConsent } = rows[0] as { users: number; needs_consent: string };
    if (Number(users) !== PEER_USERS) throw new Error(`the peer's database has ${users} users, not ${PEER_USERS}`);
    console.log(`  ${mysql.dbName}: run.sh's ss_user table, ${users} users (${needsConsent} without a profile)`);
  } finally {
    await db.end();
  }
}

/** uvicorn as run.sh / bench.py start it, pinned to CPU 1; Python writes no bytecode into the read-only folder. */
export function peerServerSpec(peer: Peer, port: number): ServerSpec {
  const { host, port: dbPort, user, password, dbName } = peer.mysql;
  return {
    label: 'FastAPI peer (uvicorn app:app, uvloop, httptools, 1 worker)',
    // prettier-ignore
    command: pinnedTo(1, [
      PEER_PYTHON, '-m', 'uvicorn', 'app:app', '--app-dir', peer.dir, '--host', '127.0.0.1', '--port', String(port),
      '--loop', 'uvloop', '--http', 'httptools', '--log-level', 'warning', '--workers', '1',
    ]),
    env: {
      PATH: process.env.PATH,
      PYTHONDONTWRITEBYTECODE: '1',
      DB_HOST: host,
      DB_PORT: String(dbPort),
      DB_USER: user,
      DB_PASSWORD: password,
      DB_NAME: dbName,
    },
    cwd: peer.dir,
    port,
    probePath: '/health',
  };
}

/** GET /login-test?uid=N for every user: the `session` cookie each is answered with, a line each. */
async function writeCookies(peer: Peer): Promise<string> {
  const server = await startServer(peerServerSpec(peer, await freePort()));
  try {
    const cookies: string[] = new Array(PEER_USERS);
    let next = 1;
    const worker = async () => {
      for (let uid = next++; uid <= PEER_USERS; uid = next++) {
        const response = await fetch(`http://127.0.0.1:${server.port}/login-test?uid=${uid}`, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        const cookie = response.headers
          .getSetCookie()
          .map((header) => /^session=[^;]+/.exec(header)?.[0])
          .find(Boolean);
        if (response.status !== 200 || !cookie)
          throw new Error(`the peer's GET /login-test?uid=${uid}: status ${response.status}, no session cookie`);
        cookies[uid - 1] = cookie;
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    writeFileSync(peer.cookiesFile, `${cookies.join('\n')}\n`);
    return cookies[peer.meUser.id - 1];
  } finally {
    await stop(server);
  }
}
