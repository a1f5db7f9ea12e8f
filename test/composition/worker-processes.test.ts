import { expect } from 'chai';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobQueue } from '../../core/jobs/index.js';
import type { Persistence } from '../../composition/persistence.js';
import { realDatabases } from '../support/databases.js';
import { killWorkers, startWorkerProcess, until, type WorkerProcess } from '../support/worker-process.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const LEASE_MS = 1500;

interface Effect {
  path: string;
  pid: string;
}

/** Records every step a worker performs; a held step is answered never (its worker is killed or stopped meanwhile). */
async function startEffects() {
  const effects: Effect[] = [];
  const held = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    effects.push({ path: url.pathname, pid: url.searchParams.get('pid')! });
    const arrived = held.get(url.pathname);
    if (arrived) {
      held.delete(url.pathname);
      arrived();
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    effects,
    count: (path: string) => effects.filter((e) => e.path === path).length,
    /** The next request for `path` is never answered; resolves when it has arrived. */
    hold: (path: string) => new Promise<void>((done) => held.set(path, done)),
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

const startWorker = (env: Record<string, string>) =>
  startWorkerProcess('test/support/work-test-jobs.ts', { WORKER_POLL_MS: '50', JOB_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info', ...env });

/** Every `test` job of these references is done (the worker's own jobs, such as the daily token check, aside). */
const allDone = (jobs: JobQueue, references: string[]) => async () => {
  const states = await Promise.all(references.map(async (reference) => (await jobs.findByDedupeKey(`test:${reference}`))?.state));
  return states.every((state) => state === 'done');
};

const job = (reference: string) => ({ kind: 'test', reference, dedupeKey: `test:${reference}`, lane: null, runAt: new Date() });

for (const store of realDatabases()) {
  describe(`job worker processes on ${store.name}`, function () {
    this.timeout(60_000);
    let persistence: Persistence;
    let env: Record<string, string>;
    let effects: Awaited<ReturnType<typeof startEffects>>;
    const workers: WorkerProcess[] = [];

    beforeEach(async () => {
      ({ persistence, env } = await store.open());
      effects = await startEffects();
      env.EFFECTS_URL = effects.url;
    });
    afterEach(async () => {
      killWorkers(workers);
      await effects.close();
      await persistence.close();
    });
    const start = () => {
      const worker = startWorker(env);
      workers.push(worker);
      return worker;
    };

    it('a worker SIGKILLed mid-job: another takes the job over once the lease expires and resumes after the last finished step', async () => {
      await persistence.jobs.enqueue(job('k'), new Date());
      const held = effects.hold('/k/two');
      const first = start();
      await held;
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).to.equal('SIGKILL');
      const second = start();
      await until(allDone(persistence.jobs, ['k']));
      expect(effects.count('/k/one'), 'the finished step is not repeated').to.equal(1);
      expect(effects.effects.filter((e) => e.path === '/k/two').map((e) => e.pid)).to.deep.equal(
        [first.child.pid, second.child.pid].map(String),
      );
      expect(await persistence.jobs.findByDedupeKey('test:k')).to.deep.include({ state: 'done', attempts: 2, phase: 'two' });
    });

    it('SIGTERM mid-job: the worker gives the job back (phase kept, try not counted) and exits 0', async () => {
      await persistence.jobs.enqueue(job('t'), new Date());
      const held = effects.hold('/t/two');
      const worker = start();
      await held;
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code, worker.output()).to.equal(0);
      expect(worker.output()).to.include('job worker stopped');
      expect(await persistence.jobs.findByDedupeKey('test:t')).to.deep.include({
        state: 'queued',
        attempts: 0,
        phase: 'one',
        leaseOwner: null,
      });
    });

    it('npm run worker starts, and stops on SIGTERM with exit code 0', async () => {
      const npm = spawn('npm', ['run', 'worker'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk) => (output += chunk));
      npm.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((done) => npm.on('exit', (code) => done(code)));
      await until(async () => output.includes('job worker running'));
      npm.kill('SIGTERM');
      expect(await exited, output).to.equal(0);
      expect(output).to.include('job worker stopped');
    });

    if (store.name === 'MariaDB') {
      it('two workers and 20 due jobs: every step of every job runs exactly once', async () => {
        const references = Array.from({ length: 20 }, (_, i) => `j${i}`);
        for (const reference of references) await persistence.jobs.enqueue(job(reference), new Date());
        start();
        start();
        await until(allDone(persistence.jobs, references));
        const paths = effects.effects.map((e) => e.path).sort();
        expect(paths).to.deep.equal(references.flatMap((r) => [`/${r}/one`, `/${r}/two`]).sort());
      });
    }
  });
}
