import { expect } from 'chai';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { JobWorker, type JobHandler, type JobOutcome, MAX_TRIES, retryDelayMs } from '../../core/jobs/index.js';
const T = new Date('2030-05-17T08:30:00.000Z');
const silent = { warn: () => {}, error: () => {} };
const newJob = (key: string) => ({ kind: 'test', reference: key, dedupeKey: key, lane: null, runAt: T });

function setUp(handler: JobHandler, random = () => 0) {
  const queue = new InMemoryJobQueue();
  const clock = new FixedClock(T);
  const worker = new JobWorker(queue, { test: handler }, clock, { name: 'w', leaseMs: 60_000, pollMs: 5, random }, silent);
  return { queue, clock, worker };
}

describe('job retry policy', () => {
  it('doubles from 30 s up to 30 min with equal jitter, and stops after 5 tries', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 0))).to.deep.equal([15_000, 30_000, 60_000, 120_000]);
    expect(retryDelayMs(1, 0.999_999)).to.equal(29_999);
    expect(retryDelayMs(MAX_TRIES, 0)).to.equal(null);
    expect(MAX_TRIES).to.equal(5);
  });
});

describe('JobWorker', () => {
  it('tells observeRun how each run ended, by kind: the handler’s result, or error when it threw', async () => {
    const queue = new InMemoryJobQueue();
    const clock = new FixedClock(T);
    const runs: [string, string][] = [];
    const results: JobOutcome[] = [{ result: 'done' }, { result: 'retry', error: 'busy' }];
    const handler: JobHandler = async ({ job }) => {
      if (job.reference === 'throws') throw new Error('boom');
      return results.shift()!;
    };
    const observeRun = (kind: string, outcome: string) => void runs.push([kind, outcome]);
    const worker = new JobWorker(
      queue,
      { test: handler },
      clock,
      { name: 'w', leaseMs: 60_000, pollMs: 5, random: () => 0, observeRun },
      silent,
    );
    for (const key of ['a', 'b', 'throws']) await queue.enqueue(newJob(key), T);
    while (await worker.runOnce());
    expect(runs).to.deep.equal([
      ['test', 'done'],
      ['test', 'retry'],
      ['test', 'error'],
    ]);
  });

  it('runs a due job with the handler of its kind and completes it; other kinds are left alone', async () => {
    const seen: string[] = [];
    const { queue, worker } = setUp(async ({ job }) => (seen.push(job.reference), { result: 'done' }));
    await queue.enqueue({ ...newJob('other'), kind: 'unknown' }, T);
    await queue.enqueue(newJob('a'), T);
    expect(await worker.runOnce()).to.equal(true);
    expect(await worker.runOnce()).to.equal(false);
    expect(seen).to.deep.equal(['a']);
    expect((await queue.findByDedupeKey('a'))!.state).to.equal('done');
    expect((await queue.findByDedupeKey('other'))!.state).to.equal('queued');
  });

  it('retries a transient failure (a result or a throw) with back-off and jitter, at most 5 tries, then fails it', async () => {
    let calls = 0;
    const { queue, clock, worker } = setUp(
      async () => {
        calls += 1;
        if (calls % 2) throw new Error('HTTP 503');
        return { result: 'retry', error: 'code 2' };
      },
      () => 0.5,
    );
    await queue.enqueue(newJob('a'), T);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      expect(await worker.runOnce(), `try ${attempt}`).to.equal(true);
      const job = (await queue.findByDedupeKey('a'))!;
      if (job.state !== 'queued') break;
      const wait = job.runAt.getTime() - clock.now().getTime();
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await worker.runOnce(), 'not before its time').to.equal(false);
      clock.advance(1);
    }
    expect(calls).to.equal(5);
    expect(waits).to.deep.equal([22_500, 45_000, 90_000, 180_000]);
    expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'failed', attempts: 5, lastError: 'HTTP 503' });
  });

  it('ends jobs as failed or needs_attention as the handler says; `later` waits without counting a try', async () => {
    const outcomes: JobOutcome[] = [
      { result: 'later', at: new Date(T.getTime() + 900_000) },
      { result: 'needs_attention', error: 'unknown outcome' },
    ];
    const { queue, clock, worker } = setUp(async () => outcomes.shift()!);
    await queue.enqueue(newJob('a'), T);
    await worker.runOnce();
    expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'queued', attempts: 0 });
    expect(await worker.runOnce()).to.equal(false);
    clock.advance(900_000);
    await worker.runOnce();
    expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'needs_attention', attempts: 1, lastError: 'unknown outcome' });
  });

  it('beats the lease while the handler runs, so no other worker takes the job over', async () => {
    const queue = new InMemoryJobQueue();
    const clock = new FixedClock(T);
    const worker = new JobWorker(
      queue,
      {
        async test() {
          clock.advance(50);
          // a beat comes every third of the lease (30 ms here): wait for one at the moved clock
          while ((await queue.findByDedupeKey('a'))!.leaseExpiresAt!.getTime() !== clock.now().getTime() + 90) {
            await new Promise((done) => setTimeout(done, 5));
          }
          clock.advance(60);
          expect(await queue.claim('other', ['test'], clock.now(), 90), 'the lease holds past its first expiry').to.equal(null);
          return { result: 'done' };
        },
      },
      clock,
      { name: 'w', leaseMs: 90, pollMs: 5, random: () => 0 },
      silent,
    );
    await queue.enqueue(newJob('a'), T);
    await worker.runOnce();
    expect((await queue.findByDedupeKey('a'))!.state).to.equal('done');
  });

  it('a handler whose job was taken over cannot write its phase, and its outcome is not recorded', async () => {
    const { queue, clock, worker } = setUp(async ({ savePhase }) => {
      await savePhase('container');
      clock.advance(60_000); // the lease expires meanwhile and another worker takes the job over
      await queue.claim('thief', ['test'], clock.now(), 60_000);
      await savePhase('published');
      return { result: 'done' };
    });
    await queue.enqueue(newJob('a'), T);
    await worker.runOnce();
    expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'running', leaseOwner: 'thief', phase: 'container' });
  });

  it('stop: a job that ends at the abort is released for another worker (try not counted); one that finishes is recorded', async () => {
    let started!: () => void;
    const running = new Promise<void>((done) => (started = done));
    const { queue, worker } = setUp(async ({ savePhase, signal }) => {
      await savePhase('first');
      started();
      await new Promise((_, fail) => signal.addEventListener('abort', () => fail(new Error('stopped'))));
      return { result: 'done' };
    });
    await queue.enqueue(newJob('gives-up'), T);
    worker.start();
    await running;
    await worker.stop();
    expect(await queue.findByDedupeKey('gives-up')).to.deep.include({ state: 'queued', attempts: 0, phase: 'first', leaseOwner: null });

    const second = setUp(async (run) => {
      await run.savePhase('first');
      await new Promise((done) => run.signal.addEventListener('abort', done));
      return { result: 'done' };
    });
    await second.queue.enqueue(newJob('finishes'), T);
    second.worker.start();
    while ((await second.queue.findByDedupeKey('finishes'))!.phase === null) await new Promise((done) => setImmediate(done));
    await second.worker.stop();
    expect((await second.queue.findByDedupeKey('finishes'))!.state).to.equal('done');
  });
});
