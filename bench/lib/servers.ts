/**
 * How each server under test is launched: the real selfstar server (built, or from source in
 * development), the plain-JS baselines of bench/baselines/ and the FastAPI peer, each pinned to CPU 1
 * on its own port.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENV_NAMES } from '../../composition/config/variables.js';
import type { BenchContext } from './context.js';
import { databaseEnv } from './database.js';
import { peerServerSpec } from './peer.js';
import { freePort, pinnedTo, type ServerSpec } from './processes.js';
import { COOKIE_NAME } from './seed.js';

export type ServerKind = 'selfstar' | 'selfstar-b' | 'node-hello' | 'koa-hello' | 'raw-db' | 'node-stream' | 'fastapi';

export const SERVER_LABELS: Record<ServerKind, string> = {
  selfstar: 'selfstar (npm run start:prod)',
  'selfstar-b': 'selfstar B (npm run start:prod in AB_DIR)',
  'node-hello': 'node:http hello (bench/baselines/node-hello.mjs)',
  'koa-hello': 'Koa + @koa/router hello (bench/baselines/koa-hello.mjs)',
  'raw-db': 'raw DB handler (bench/baselines/raw-db.mjs)',
  'node-stream': 'node:http file stream (bench/baselines/node-stream.mjs)',
  fastapi: 'FastAPI peer (../shared/peers/fastapi-seed, uvicorn app:app)',
};

export const SESSION_SECRET = 'selfstar-bench-session-secret-not-for-production';
/** The largest value composition/config accepts (a positive integer of at most 15 digits): never a 429 in a run. */
const IMAGE_RATE_PER_MINUTE = '999999999999999';

/**
 * The real server's environment. Every variable it knows is set (unused ones empty, which it reads
 * as unset), so a developer's .env, which dotenv would merge in, cannot change what is measured.
 */
export function selfstarEnv(ctx: BenchContext, port: number, mode: 'production' | 'development'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...Object.fromEntries(ENV_NAMES.map((name) => [name, ''])),
    NODE_ENV: mode,
    HOST: '127.0.0.1',
    PORT: String(port),
    BACKEND_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    SESSION_SECRET,
    SESSION_COOKIE_NAME: COOKIE_NAME,
    TOKEN_ENCRYPTION_KEY: ctx.tokenEncryptionKey,
    MEDIA_ROOT: ctx.mediaRoot,
    IMAGE_RATE_PER_MINUTE,
    MOCK_PROVIDERS: mode === 'development' ? '1' : '0',
    ...databaseEnv(ctx.db),
  };
}

const BASELINE_FILES: Record<Exclude<ServerKind, 'selfstar' | 'selfstar-b' | 'fastapi'>, string> = {
  'node-hello': 'node-hello.mjs',
  'koa-hello': 'koa-hello.mjs',
  'raw-db': 'raw-db.mjs',
  'node-stream': 'node-stream.mjs',
};

/** The path (and headers) whose first 200 says the server is up. */
function probeOf(ctx: BenchContext, kind: ServerKind): Pick<ServerSpec, 'probePath' | 'probeHeaders'> {
  switch (kind) {
    case 'selfstar':
    case 'selfstar-b':
      return { probePath: '/health' };
    case 'raw-db':
      return { probePath: '/auth/me', probeHeaders: { cookie: ctx.seeded.meCookie } };
    case 'node-stream':
      return { probePath: `/media/${ctx.png.name}` };
    default:
      return { probePath: '/' };
  }
}

/**
 * An npm script's command line (`start:prod`, `start`), read from package.json (leading VAR=value
 * assignments, then node, or `exec node`, and its arguments), so the bench runs exactly what production
 * (or `npm start`) runs, without npm in between, on the node of ctx.node.
 */
function nodeScriptCommand(repoDir: string, name: string): { env: Record<string, string>; nodeArgs: string[] } {
  const script: string = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).scripts[name];
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name, value] = words.shift()!.split(/=(.*)/);
    env[name] = value!;
  }
  if (words[0] === 'exec') words.shift();
  if (words.shift() !== 'node') throw new Error(`${name} must run node: ${script}`);
  return { env, nodeArgs: words };
}

export async function serverSpec(ctx: BenchContext, kind: ServerKind): Promise<ServerSpec> {
  const port = await freePort();
  if (kind === 'fastapi') {
    if (!ctx.peer) throw new Error('the FastAPI peer was not set up');
    return peerServerSpec(ctx.peer, port);
  }
  const common = { label: SERVER_LABELS[kind], cwd: ctx.repoDir, port, ...probeOf(ctx, kind) };
  if (kind === 'selfstar' || kind === 'selfstar-b') {
    // AB_DIR: another checkout, built (`npm run build` there), measured in the same rounds (variants.ts).
    const cwd = kind === 'selfstar' ? ctx.repoDir : resolve(process.env.AB_DIR!);
    const { env, nodeArgs } = nodeScriptCommand(cwd, 'start:prod');
    const command = pinnedTo(1, [ctx.node.path, ...cpuProfile(), ...nodeArgs]);
    return { ...common, cwd, command, env: { ...selfstarEnv(ctx, port, 'production'), ...env } };
  }
  // The baselines run on the same node as selfstar, so "× own baseline" compares code on one runtime
  // (and "× node:http" is Node 24's yardstick when selfstar is on Node 24).
  return {
    ...common,
    command: pinnedTo(1, [ctx.node.path, join('bench', 'baselines', BASELINE_FILES[kind])]),
    env: { PATH: process.env.PATH, PORT: String(port), MEDIA_ROOT: ctx.mediaRoot, ...databaseEnv(ctx.db) },
  };
}

/** CPU_PROF=<dir>: every selfstar process writes a --cpu-prof file there (summarise with bench/profile-summary.ts). */
function cpuProfile(): string[] {
  return process.env.CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF}`] : [];
}

/** `npm start`'s command line (node --import tsx, from source) in development with the fake providers, for --startup. */
export async function developmentServerSpec(ctx: BenchContext): Promise<ServerSpec> {
  const port = await freePort();
  const { env, nodeArgs } = nodeScriptCommand(ctx.repoDir, 'start');
  return {
    label: `selfstar development (npm start: node ${nodeArgs.join(' ')})`,
    command: pinnedTo(1, [ctx.node.path, ...cpuProfile(), ...nodeArgs]),
    env: { ...selfstarEnv(ctx, port, 'development'), ...env },
    cwd: ctx.repoDir,
    port,
    probePath: '/health',
  };
}
