import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseMySqlUrl, resetScratchDatabase } from '../support/mysql.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { freePort } from '../support/test-app.js';

const GRACE_MS = 1000;
/** The contract: whatever happens, the process is gone by the grace period + 5 s. */
const DEADLINE_MS = GRACE_MS + 5000;
const ROOT = new URL('../..', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Resolves once `text` has been written to stdout or stderr. */
  waitFor(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The server's environment: loopback, in-memory SQLite, the short grace period. */
function serverEnv(port: number, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    SQLITE_PATH: ':memory:',
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
    ...env,
  };
}

function start(command: string, args: string[], env: Record<string, string>, port: number): Started {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: serverEnv(port, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting: { text: string; done: () => void }[] = [];
  const read = (chunk: Buffer) => {
    output += chunk;
    for (const w of waiting.filter((w) => output.includes(w.text))) w.done();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    port,
    output: () => output,
    waitFor: (text) =>
      new Promise((done, fail) => {
        if (output.includes(text)) return done();
        waiting.push({ text, done });
        void exited.then(() => fail(new Error(`exited before "${text}": ${output}`)));
      }),
    exited,
  };
}

/** Fails unless `exited` settles within the deadline, counted from now. */
async function withinDeadline<T>(exited: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} still running ${DEADLINE_MS} ms after the signal`)), DEADLINE_MS);
  });
  return Promise.race([exited, late]).finally(() => clearTimeout(timer));
}

/** Resolves when process `pid` (not necessarily our child) is gone. */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((done) => setTimeout(done, 50));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

function get(port: number, path: string, agent?: http.Agent): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', fail);
  });
}

describe('shutdown (real processes)', function () {
  this.timeout(60_000);
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const kill of cleanup.splice(0)) kill();
  });
  const killLater = (pid: number | undefined) => pid && cleanup.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));

  /** The real serve() with GET /test/slow, listening. */
  async function startWithSlowRoute(graceMs: number): Promise<Started> {
    const args = ['--import', 'tsx', 'test/support/serve-with-slow-route.ts'];
    const server = start(process.execPath, args, { SHUTDOWN_GRACE_MS: String(graceMs) }, await freePort());
    killLater(server.child.pid);
    await server.waitFor('listening');
    return server;
  }

  it('drains: readiness 503 on an open keep-alive connection while a slow request finishes, new connections refused, exit 0', async () => {
    const server = await startWithSlowRoute(20_000);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    await Promise.all([get(server.port, '/health', agent), get(server.port, '/health', agent)]); // two open connections
    const slow = get(server.port, '/test/slow?ms=1500', agent);
    await server.waitFor('slow request started');
    server.child.kill('SIGTERM');
    await server.waitFor('shutting down');
    const ready = await get(server.port, '/health/ready', agent); // on the idle connection opened before
    expect(ready.status).to.equal(503);
    expect(JSON.parse(ready.body)).to.deep.equal({ status: 'unavailable', reason: 'shutting_down' });
    expect(ready.headers.connection).to.equal('close');
    const refused = await get(server.port, '/health').then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).to.equal('ECONNREFUSED');
    const finished = await slow;
    expect(finished.status).to.equal(200);
    expect(JSON.parse(finished.body)).to.include({ finished: true });
    expect(await server.exited).to.deep.equal({ code: 0, signal: null });
    expect(server.output()).to.include('"stopped"');
    agent.destroy();
  });

  it('a second signal exits at once, non-zero, with a request still in flight', async () => {
    const server = await startWithSlowRoute(30_000);
    void get(server.port, '/test/slow?ms=60000').catch(() => {});
    await server.waitFor('slow request started');
    server.child.kill('SIGTERM');
    await server.waitFor('shutting down');
    server.child.kill('SIGINT');
    expect(await withinDeadline(server.exited, 'the server')).to.deep.equal({ code: 130, signal: null });
  });

  for (const target of ['npm', 'node'] as const) {
    it(`npm start: SIGTERM to ${target} stops the chain, exit 0`, async () => {
      const npm = start('npm', ['start'], {}, await freePort());
      killLater(npm.child.pid);
      await npm.waitFor('listening');
      const [node] = childrenOf(npm.child.pid!);
      killLater(node);
      expect((await get(npm.port, '/health')).status).to.equal(200);
      process.kill(target === 'npm' ? npm.child.pid! : node, 'SIGTERM');
      await withinDeadline(Promise.all([gone(node), npm.exited]), 'npm start');
      await npm.waitFor('"stopped"');
    });
  }

  for (const reader of ['dead (the pipe breaks)', 'stuck (the pipe fills)'] as const) {
    it(`the reproduction: npm start's log reader is ${reader}, then SIGTERM: the server still exits`, async () => {
      const port = await freePort();
      // A parent that reads npm start's output through pipes, then dies; when `hold`, a process that never
      // reads inherits the read ends first, so that the pipes fill instead of breaking.
      const parent = spawn(
        process.execPath,
        [
          '-e',
          `const { spawn } = require('node:child_process');
           const npm = spawn('npm', ['start'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
           let out = '';
           npm.stdout.on('data', (d) => {
             out += d;
             if (!out.includes('listening')) return;
             npm.stdout.pause();
             const holder = process.env.HOLD ? spawn('sleep', ['120'], { stdio: [npm.stdout, 'ignore', npm.stderr], detached: true }).pid : 0;
             console.log(JSON.stringify({ npm: npm.pid, holder }));
             process.exit(0);
           });`,
        ],
        {
          cwd: ROOT,
          env: serverEnv(port, reader.startsWith('stuck') ? { HOLD: '1' } : {}),
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let said = '';
      parent.stdout.on('data', (chunk) => (said += chunk));
      await new Promise((done) => parent.on('exit', done));
      const { npm, holder } = JSON.parse(said) as { npm: number; holder: number };
      const [node] = childrenOf(npm);
      for (const pid of [npm, node, holder]) killLater(pid);
      // Log lines (one per request) into a pipe nobody reads: with `hold`, well past its capacity.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      for (let round = 0; round < 100; round++) {
        await Promise.all(Array.from({ length: 16 }, () => get(port, '/health', agent)));
      }
      agent.destroy();
      process.kill(node, 'SIGTERM');
      await withinDeadline(Promise.all([gone(node), gone(npm)]), 'npm start');
    });
  }

  if (process.env.TEST_MYSQL_URL) {
    it('exits even when a database call hangs (MariaDB behind a proxy that stops forwarding)', async () => {
      const target = parseMySqlUrl(process.env.TEST_MYSQL_URL!);
      await resetScratchDatabase(target); // exists, so that readiness is 200 before the hang
      const proxy = await startTcpProxy(target.host, target.port);
      cleanup.push(() => void proxy.stop());
      const server = start(
        process.execPath,
        ['--import', 'tsx', 'composition/main.ts'],
        { DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port), DB_USER: target.user, DB_PASS: target.password, DB_NAME: target.dbName },
        await freePort(),
      );
      killLater(server.child.pid);
      await server.waitFor('listening');
      expect((await get(server.port, '/health/ready')).status).to.equal(200);
      proxy.hang();
      // Readiness gives up after 1 s, but its query never returns: the pool keeps its connection busy.
      expect((await get(server.port, '/health/ready')).status).to.equal(503);
      server.child.kill('SIGTERM');
      const exit = await withinDeadline(server.exited, 'the server');
      expect(exit, server.output()).to.deep.equal({ code: 1, signal: null });
      expect(server.output()).to.include('could not stop within the grace period');
    });
  }
});
