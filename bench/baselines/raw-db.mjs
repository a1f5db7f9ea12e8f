// The database floor under GET /auth/me and PUT /users/me/profile: node:http and the same SQL, nothing else.
// MariaDB/MySQL (mysql2, one pool, prepared statements) when DB_HOST is set, else the SQLite file SQLITE_PATH
// (libsql, statements prepared once). Same seeded database as the real server; the session cookie's
// signature is not checked. Sessions are keyed by the SHA-256 of their id, as the server stores them.
import { createHash } from 'node:crypto';
import http from 'node:http';

const SESSION_SQL = 'select data from ss_session where id = ? and expires_at > ?';
const USER_SQL = 'select id, nickname, birthday, gender, profile_image from ss_user where id = ?';
const UPDATE_SQL = 'update ss_user set birthday = ?, gender = ?, updated_at = ? where id = ?';
const SID = /(?:^|;\s*)sid=([^;]*)/;

async function openMySql() {
  const { createPool } = await import('mysql2/promise');
  const pool = createPool({
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT || 3306),
    user: process.env.DB_USER || 'root',
    password: process.env.DB_PASS || '',
    database: process.env.DB_NAME,
    charset: 'utf8mb4',
    timezone: 'Z', // datetime columns hold UTC, as the server's MikroORM (timezone +00:00) writes them
    connectionLimit: 10, // the server's pool max
  });
  const first = async (sql, params) => (await pool.execute(sql, params))[0][0];
  return {
    sessionData: async (id) => (await first(SESSION_SQL, [id, new Date()]))?.data,
    user: (id) => first(USER_SQL, [id]),
    updateProfile: async (birthday, gender, id) => {
      await pool.execute(UPDATE_SQL, [birthday, gender, new Date(), id]);
    },
  };
}

async function openSqlite() {
  const { default: Database } = await import('libsql');
  const db = new Database(process.env.SQLITE_PATH);
  db.exec('pragma synchronous = normal'); // per connection; the server sets it too (the file is already in WAL mode)
  const session = db.prepare(SESSION_SQL);
  const user = db.prepare(USER_SQL);
  const update = db.prepare(UPDATE_SQL);
  // MikroORM stores datetimes in SQLite as epoch milliseconds.
  return {
    sessionData: async (id) => session.get(id, Date.now())?.data,
    user: async (id) => user.get(id),
    updateProfile: async (birthday, gender, id) => {
      update.run(birthday, gender, Date.now(), id);
    },
  };
}

const db = process.env.DB_HOST ? await openMySql() : await openSqlite();

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function sessionUserId(req) {
  const sid = SID.exec(req.headers.cookie ?? '')?.[1];
  const data = sid && (await db.sessionData(createHash('sha256').update(sid).digest('hex')));
  return data ? JSON.parse(data).userId : null;
}

function readBody(req) {
  return new Promise((done, fail) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

async function authMe(req, res) {
  const userId = await sessionUserId(req);
  const row = userId && (await db.user(userId));
  if (!row) return send(res, 401, { ok: false, error: 'not_authenticated' });
  const { id, nickname, birthday, gender, profile_image } = row;
  send(res, 200, { ok: true, user: { id, nickname, birthday, gender, profile_image, needs_consent: !birthday || !gender } });
}

async function putProfile(req, res) {
  const { birthday, gender } = JSON.parse(await readBody(req));
  const userId = await sessionUserId(req);
  if (!userId) return send(res, 401, { ok: false, error: 'not_authenticated' });
  await db.updateProfile(birthday, gender, userId);
  send(res, 200, { ok: true, user: { id: userId, birthday, gender } });
}

const ROUTES = { 'GET /auth/me': authMe, 'PUT /users/me/profile': putProfile };

http
  .createServer((req, res) => {
    const route = ROUTES[`${req.method} ${req.url}`];
    if (!route) return send(res, 404, { ok: false, error: 'not_found' });
    route(req, res).catch((error) => send(res, 500, { ok: false, error: String(error?.message ?? error) }));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
