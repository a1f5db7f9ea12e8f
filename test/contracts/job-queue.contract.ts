import { expect } from 'chai';
import type { JobQueue, NewJob } from '../../core/jobs/index.js';
import type { TransactionRunner } from '../../core/shared/index.js';

export interface JobQueueFixture {
  queue: JobQueue;
  /** A second queue on the same store (another instance), for races. */
  other: JobQueue;
  transactions: TransactionRunner;
  teardown(): Promise<void>;
}

const T = new Date('2030-05-17T08:30:15.250Z');
const at = (ms: number) => new Date(T.getTime() + ms);
const LEASE = 30_000;
const KINDS = ['test'];
const job = (key: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind: 'test',
  reference: `ref-${key}`,
  dedupeKey: key,
  lane: null,
  runAt: T,
  ...extra,
});

/** The JobQueue contract. A fixture starts with no jobs. `rollsBack`: the store joins a transaction's rollback. */
export function describeJobQueue(name: string, setup: () => Promise<JobQueueFixture>, { rollsBack }: { rollsBack: boolean }): void {
  describe(`JobQueue contract: ${name}`, () => {
    let fixture: JobQueueFixture;
    let queue: JobQueue;

    beforeEach(async () => {
      fixture = await setup();
      queue = fixture.queue;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('enqueues once per dedupe key; the job reads back as written', async () => {
      const first = await queue.enqueue(job('a', { lane: 'ig-1', runAt: at(5000) }), T);
      expect(first).to.deep.include({
        kind: 'test',
        reference: 'ref-a',
        dedupeKey: 'a',
        lane: 'ig-1',
        state: 'queued',
        phase: null,
        attempts: 0,
      });
      expect(first.runAt).to.deep.equal(at(5000));
      expect(first.createdAt).to.deep.equal(T);
      const again = await queue.enqueue(job('a', { runAt: at(9000) }), at(1));
      expect(again).to.deep.equal(first);
      expect(await queue.findByDedupeKey('a')).to.deep.equal(first);
      expect(await queue.findByDedupeKey('nope')).to.equal(null);
    });

    it('claims only due jobs of the given kinds, oldest run_at first, with a lease; a claim counts an attempt', async () => {
      await queue.enqueue(job('later', { runAt: at(1000) }), T);
      await queue.enqueue(job('other-kind', { kind: 'other' }), T);
      await queue.enqueue(job('due', { runAt: at(-10) }), T);
      expect(await queue.claim('w1', [], T, LEASE)).to.equal(null);
      const claimed = await queue.claim('w1', KINDS, T, LEASE);
      expect(claimed).to.deep.include({ dedupeKey: 'due', state: 'running', leaseOwner: 'w1', attempts: 1 });
      expect(claimed!.leaseExpiresAt).to.deep.equal(at(LEASE));
      expect(await queue.claim('w2', KINDS, T, LEASE), 'not due yet').to.equal(null);
      expect(await queue.claim('w2', KINDS, at(1000), LEASE)).to.deep.include({ dedupeKey: 'later' });
    });

    it('never gives one job to two holders: 8 parallel claims from two instances of 3 due jobs', async () => {
      for (const key of ['a', 'b', 'c']) await queue.enqueue(job(key), T);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? fixture.other : queue).claim(`w${i}`, KINDS, T, LEASE)),
      );
      const keys = claims.filter((c) => c !== null).map((c) => c.dedupeKey);
      expect(keys.sort()).to.deep.equal(['a', 'b', 'c']);
    });

    it('an expired lease is taken over (phase kept); the former holder can write nothing any more', async () => {
      await queue.enqueue(job('a'), T);
      const first = (await queue.claim('w1', KINDS, T, LEASE))!;
      const w1 = { jobId: first.id, owner: 'w1' };
      expect(await queue.savePhase(w1, 'container:17', at(1))).to.equal(true);
      expect(await queue.claim('w2', KINDS, at(LEASE - 1), LEASE), 'the lease still holds').to.equal(null);
      const taken = await queue.claim('w2', KINDS, at(LEASE), LEASE);
      expect(taken).to.deep.include({ id: first.id, leaseOwner: 'w2', phase: 'container:17', attempts: 2 });
      expect(await queue.savePhase(w1, 'published', at(LEASE + 1))).to.equal(false);
      expect(await queue.extend(w1, at(LEASE + 1), LEASE)).to.equal(false);
      expect(await queue.complete(w1, at(LEASE + 1))).to.equal(false);
      expect(await queue.fail(w1, 'failed', 'x', at(LEASE + 1))).to.equal(false);
      expect(await queue.retryLater(w1, at(0), 'x', at(LEASE + 1))).to.equal(false);
      expect(await queue.release(w1, at(0), at(LEASE + 1))).to.equal(false);
      expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'running', leaseOwner: 'w2', phase: 'container:17' });
    });

    it('extend moves the lease: no takeover while the holder beats', async () => {
      await queue.enqueue(job('a'), T);
      const { id } = (await queue.claim('w1', KINDS, T, LEASE))!;
      expect(await queue.extend({ jobId: id, owner: 'w1' }, at(LEASE - 1), LEASE)).to.equal(true);
      expect(await queue.claim('w2', KINDS, at(LEASE + 1), LEASE)).to.equal(null);
      expect(await queue.claim('w2', KINDS, at(2 * LEASE - 1), LEASE)).to.deep.include({ id, leaseOwner: 'w2' });
    });

    it('runs the jobs of one lane one at a time, also while the holder is gone; other lanes go on', async () => {
      await queue.enqueue(job('a1', { lane: 'ig-a', runAt: at(-2) }), T);
      await queue.enqueue(job('a2', { lane: 'ig-a', runAt: at(-1) }), T);
      await queue.enqueue(job('b1', { lane: 'ig-b' }), T);
      const a1 = (await queue.claim('w1', KINDS, T, LEASE))!;
      expect(a1.dedupeKey).to.equal('a1');
      const b1 = (await queue.claim('w2', KINDS, T, LEASE))!;
      expect(b1.dedupeKey).to.equal('b1');
      await queue.complete({ jobId: b1.id, owner: 'w2' }, T);
      expect(await queue.claim('w3', KINDS, T, LEASE), 'a2 waits for a1').to.equal(null);
      // a1's holder dies: its lane stays held until a1 is taken over and finished
      const takeover = (await queue.claim('w3', KINDS, at(LEASE), LEASE))!;
      expect(takeover.dedupeKey).to.equal('a1');
      expect(await queue.claim('w4', KINDS, at(LEASE), LEASE)).to.equal(null);
      expect(await queue.complete({ jobId: a1.id, owner: 'w3' }, at(LEASE))).to.equal(true);
      expect(await queue.claim('w4', KINDS, at(LEASE), LEASE)).to.deep.include({ dedupeKey: 'a2' });
    });

    it('parallel claims in one lane: exactly one holder', async () => {
      for (const key of ['a', 'b', 'c', 'd']) await queue.enqueue(job(key, { lane: 'ig-a' }), T);
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? fixture.other : queue).claim(`w${i}`, KINDS, T, LEASE)),
      );
      expect(claims.filter((c) => c !== null)).to.have.length(1);
    });

    it('complete, fail and needs_attention end the job and free its lane', async () => {
      for (const key of ['a', 'b', 'c', 'd']) await queue.enqueue(job(key, { lane: 'ig-a', runAt: at(key.charCodeAt(0)) }), T);
      const now = at(1000);
      const take = async () => (await queue.claim('w', KINDS, now, LEASE))!;
      const a = await take();
      expect(await queue.complete({ jobId: a.id, owner: 'w' }, now)).to.equal(true);
      const b = await take();
      expect(await queue.fail({ jobId: b.id, owner: 'w' }, 'failed', 'caption refused', now)).to.equal(true);
      const c = await take();
      expect(await queue.fail({ jobId: c.id, owner: 'w' }, 'needs_attention', 'outcome unknown', now)).to.equal(true);
      expect((await take()).dedupeKey).to.equal('d');
      expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'done', leaseOwner: null, leaseExpiresAt: null });
      expect(await queue.findByDedupeKey('b')).to.deep.include({ state: 'failed', lastError: 'caption refused' });
      expect(await queue.findByDedupeKey('c')).to.deep.include({ state: 'needs_attention', lastError: 'outcome unknown' });
    });

    it('retryLater counts the attempt and waits; release does not count it', async () => {
      await queue.enqueue(job('a'), T);
      const first = (await queue.claim('w', KINDS, T, LEASE))!;
      expect(await queue.retryLater({ jobId: first.id, owner: 'w' }, at(60_000), 'HTTP 503', T)).to.equal(true);
      expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'queued', attempts: 1, lastError: 'HTTP 503', leaseOwner: null });
      expect(await queue.claim('w', KINDS, at(59_999), LEASE)).to.equal(null);
      const second = (await queue.claim('w', KINDS, at(60_000), LEASE))!;
      expect(second.attempts).to.equal(2);
      expect(await queue.release({ jobId: second.id, owner: 'w' }, at(60_000), at(60_000))).to.equal(true);
      expect(await queue.findByDedupeKey('a')).to.deep.include({ state: 'queued', attempts: 1 });
      expect((await queue.findByDedupeKey('a'))!.runAt).to.deep.equal(at(60_000));
    });

    it('cancel and reschedule touch only a queued job; a cancelled or failed job is queued again by enqueue', async () => {
      await queue.enqueue(job('a', { runAt: at(1000) }), T);
      expect(await queue.reschedule('a', at(5000), T)).to.equal(true);
      expect(await queue.claim('w', KINDS, at(4999), LEASE)).to.equal(null);
      expect(await queue.cancel('a', T)).to.equal(true);
      expect(await queue.cancel('a', T)).to.equal(false);
      expect(await queue.reschedule('a', T, T)).to.equal(false);
      expect(await queue.claim('w', KINDS, at(5000), LEASE), 'a cancelled job never runs').to.equal(null);
      expect(await queue.enqueue(job('a', { runAt: at(7000) }), at(6000))).to.deep.include({ state: 'queued', attempts: 0 });
      const running = (await queue.claim('w', KINDS, at(7000), LEASE))!;
      expect(await queue.cancel('a', at(7000)), 'a running job is not cancelled').to.equal(false);
      expect(await queue.savePhase({ jobId: running.id, owner: 'w' }, 'p', at(7000))).to.equal(true);
      await queue.fail({ jobId: running.id, owner: 'w' }, 'failed', 'boom', at(7000));
      expect(await queue.enqueue(job('a', { runAt: at(8000) }), at(8000))).to.deep.include({ state: 'queued', attempts: 0, phase: null });
    });

    it(
      rollsBack ? 'cancel joins the caller’s transaction: a rollback keeps the job queued' : 'cancel runs inside a transaction',
      async () => {
        await queue.enqueue(job('a'), T);
        const outcome = await fixture.transactions
          .inTransaction(async () => {
            expect(await queue.cancel('a', T)).to.equal(true);
            throw new Error('the post could not be deleted');
          })
          .catch((e: Error) => e.message);
        expect(outcome).to.equal('the post could not be deleted');
        expect((await queue.findByDedupeKey('a'))!.state).to.equal(rollsBack ? 'queued' : 'cancelled');
      },
    );

    it('counts jobs by state with the age of the oldest', async () => {
      await queue.enqueue(job('due', { runAt: at(-4000) }), T);
      await queue.enqueue(job('future', { runAt: at(60_000) }), T);
      await queue.enqueue(job('run', { runAt: at(-10_000) }), at(-10_000));
      await queue.claim('w', KINDS, at(-3000), LEASE);
      const stats = await queue.stats(T);
      expect(stats.queued).to.deep.equal({ count: 2, oldestAgeSeconds: 4 });
      expect(stats.running).to.deep.equal({ count: 1, oldestAgeSeconds: 3 });
      expect(stats.done).to.deep.equal({ count: 0, oldestAgeSeconds: 0 });
    });
  });
}
