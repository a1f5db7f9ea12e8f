import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { pino } from 'pino';
import sinon from 'sinon';
import { defineRoute } from '../../adapters/http/route.js';
import { loadConfig } from '../../composition/config.js';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { startServer } from '../../composition/server.js';
import { freePort } from '../support/test-app.js';

const slowRoute = defineRoute({
  method: 'GET',
  path: '/test/slow',
  operationId: 'testSlow',
  tag: 'test',
  summary: 'slow',
  responses: {},
  async handler(ctx) {
    await new Promise((done) => setTimeout(done, 300));
    ctx.body = { ok: true, finished: true };
  },
});

describe('server lifecycle', () => {
  it('stop() finishes in-flight requests, refuses new ones and closes the database', async () => {
    const config = { ...loadConfig({ HOST: '127.0.0.1', PORT: String(await freePort()) }) };
    const persistence = inMemoryPersistence();
    const close = sinon.spy(persistence, 'close');
    const running = await startServer({ config, logger: pino({ level: 'silent' }), persistence, extraRoutes: [slowRoute] });
    const inFlight = fetch(`${running.url}/test/slow`);
    await new Promise((done) => setTimeout(done, 50));
    const stopped = running.stop();
    const res = await inFlight;
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ finished: true });
    await stopped;
    expect(close.calledOnce).to.equal(true);
    const refused = await fetch(`${running.url}/health`).then(
      () => 'answered',
      (e) => e.cause?.code,
    );
    expect(refused).to.equal('ECONNREFUSED');
  });

  describe('the entry point (npm start)', () => {
    function run(env: Record<string, string>) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'composition/main.ts'], {
        env: { PATH: process.env.PATH, SQLITE_PATH: ':memory:', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      const listening = new Promise<void>((done, fail) => {
        child.stdout.on('data', () => stdout.includes('listening') && done());
        void exited.then(() => fail(new Error(`exited early: ${stderr}`))); // `exited` never rejects
      });
      return { child, exited, listening, output: () => ({ stdout, stderr }) };
    }

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`serves, then exits 0 on ${signal}`, async () => {
        const port = await freePort();
        const proc = run({ PORT: String(port), HOST: '127.0.0.1' });
        await proc.listening;
        const health = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(await health.json()).to.deep.equal({ status: 'ok', db: 'ok' });
        proc.child.kill(signal);
        expect(await proc.exited).to.equal(0);
        expect(proc.output().stdout).to.include('"stopped"');
      });
    }

    it('says in one line that the port is taken, and exits 1', async () => {
      const port = await freePort();
      const first = run({ PORT: String(port), HOST: '127.0.0.1' });
      await first.listening;
      const second = run({ PORT: String(port), HOST: '127.0.0.1' });
      expect(await second.exited).to.equal(1);
      expect(second.output().stderr.trim().split('\n')).to.deep.equal([
        `Cannot listen on 127.0.0.1:${port}: EADDRINUSE (set PORT or HOST)`,
      ]);
      first.child.kill('SIGTERM');
      expect(await first.exited).to.equal(0);
    });

    it('refuses a bad value with one line naming the variable and exit code 1', async () => {
      const proc = run({ PORT: 'eighty' });
      expect(await proc.exited).to.equal(1);
      const lines = proc.output().stderr.trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include('PORT');
    });
  });
});
