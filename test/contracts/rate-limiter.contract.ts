import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { RateLimiter, RateVerdict } from '../../core/shared/index.js';

export interface RateLimiterFixture {
  limiter: RateLimiter;
  /** Another limiter over the same store, as a second instance of the app would hold (the same one for memory). */
  sameStore: RateLimiter;
  teardown(): Promise<void>;
}

/** A limiter whose store cannot be reached, and how to let it go. */
export interface UnreachableStore {
  limiter: RateLimiter;
  close(): Promise<void>;
}

const allowed = (verdicts: RateVerdict[]) => verdicts.filter((verdict) => verdict.allowed).length;

/**
 * The RateLimiter contract. Stores are shared between tests: each test counts under keys of its own.
 * `unreachable` is absent for memory, which has no store to lose.
 */
export function describeRateLimiter(
  name: string,
  setup: () => Promise<RateLimiterFixture>,
  unreachable?: () => Promise<UnreachableStore>,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let fixture: RateLimiterFixture;
    let limiter: RateLimiter;
    const key = () => `contract:${randomUUID()}`;

    beforeEach(async () => {
      fixture = await setup();
      limiter = fixture.limiter;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('allows `limit` attempts in a window, then refuses with the seconds left of it', async () => {
      const k = key();
      for (let i = 0; i < 3; i++) expect(await limiter.take(k, 3, 60), `attempt ${i + 1}`).to.deep.equal({ allowed: true });
      const refused = await limiter.take(k, 3, 60);
      expect(refused.allowed).to.equal(false);
      expect(refused.allowed === false && refused.retryAfterSeconds).to.be.within(1, 60);
    });

    it('counts each key apart', async () => {
      const [a, b] = [key(), key()];
      expect(await limiter.take(a, 1, 60)).to.deep.equal({ allowed: true });
      expect((await limiter.take(a, 1, 60)).allowed).to.equal(false);
      expect(await limiter.take(b, 1, 60)).to.deep.equal({ allowed: true });
    });

    it('a refused attempt does not push the end of the window back', async () => {
      const k = key();
      await limiter.take(k, 1, 60);
      const first = await limiter.take(k, 1, 60);
      const second = await limiter.take(k, 1, 60);
      expect(first.allowed || second.allowed).to.equal(false);
      if (!first.allowed && !second.allowed) expect(second.retryAfterSeconds).to.be.at.most(first.retryAfterSeconds);
    });

    it('opens a new window once the last one has ended', async () => {
      const k = key();
      await limiter.take(k, 1, 1);
      const refused = await limiter.take(k, 1, 1);
      expect(refused).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
      await delay(1100);
      expect(await limiter.take(k, 1, 1)).to.deep.equal({ allowed: true });
    });

    it('allows exactly `limit` of many concurrent attempts', async () => {
      const k = key();
      expect(allowed(await Promise.all(Array.from({ length: 20 }, () => limiter.take(k, 5, 60))))).to.equal(5);
    });

    it('shares the count with every limiter on the same store', async () => {
      const k = key();
      const verdicts = [];
      for (let i = 0; i < 4; i++) verdicts.push(await (i % 2 ? fixture.sameStore : limiter).take(k, 3, 60));
      expect(verdicts.map((verdict) => verdict.allowed)).to.deep.equal([true, true, true, false]);
    });

    if (unreachable) {
      it('rejects with db_unavailable while its store cannot be reached', async () => {
        const store = await unreachable();
        try {
          const error = await store.limiter.take(key(), 3, 60).catch((e: unknown) => e);
          expect(error).to.include({ kind: 'unavailable', code: 'db_unavailable' });
        } finally {
          await store.close();
        }
      });
    }
  });
}
