/**
 * Requests per second of a few hot routes on the real app with the embedded SQLite database.
 * Run: npm run bench (about 20 s). Loopback only; bounded in time.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../adapters/logging/create-logger.js';
import { newSessionId } from '../adapters/http/session.js';
import { loadConfig } from '../composition/config.js';
import { openPersistence } from '../composition/persistence.js';
import { startServer } from '../composition/server.js';
import { createHmac } from 'node:crypto';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'selfstar-bench-'));
const config = loadConfig({
  ...process.env,
  HOST: '127.0.0.1',
  PORT: process.env.BENCH_PORT ?? '8765',
  LOG_LEVEL: 'warn',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
  SQLITE_PATH: process.env.DB_HOST ? '' : join(dir, 'bench.sqlite'),
});
const persistence = await openPersistence(config);
const running = await startServer({ config, logger: createLogger('warn'), persistence });

const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: 'bench', nickname: '벤치', profileImage: null });
for (const name of ['하나', '둘', '셋']) await persistence.personas.create(user.id, name, { mood: '밝음' });
const sid = newSessionId();
await persistence.sessions.set(sid, { userId: user.id, authAt: Date.now() }, new Date(Date.now() + 3600_000));
const name = config.sessionCookieName;
const cookie = `${name}=${sid}; ${name}.sig=${createHmac('sha1', config.sessionSecret).update(`${name}=${sid}`).digest('base64url')}`;

const cases: { title: string; path: string; opts?: Partial<autocannon.Options> }[] = [
  { title: 'GET /health', path: '/health' },
  { title: 'GET /auth/me (session + user read)', path: '/auth/me', opts: { headers: { cookie } } },
  { title: 'GET /api/personas (session + list of 3)', path: '/api/personas', opts: { headers: { cookie } } },
  {
    title: 'PUT /users/me/profile (one UPDATE)',
    path: '/users/me/profile',
    opts: {
      method: 'PUT', headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ birthday: '1995-04-12', gender: '여성' }),
    },
  },
];

console.log(`${SECONDS} s each, 10 connections, ${config.mysql ? 'MySQL' : 'SQLite'}`);
for (const { title, path, opts } of cases) {
  const result = await autocannon({ url: running.url + path, connections: 10, duration: SECONDS, ...opts });
  const bad = result.non2xx + result.errors;
  console.log(`${title.padEnd(40)} ${Math.round(result.requests.average).toString().padStart(6)} req/s  p99 ${result.latency.p99} ms${bad ? `  (${bad} failed)` : ''}`);
}
await running.stop();
rmSync(dir, { recursive: true, force: true });
