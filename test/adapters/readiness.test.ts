import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { cachedProbe } from '../../adapters/http/readiness.js';

describe('cachedProbe (what /health/ready asks of the bucket)', () => {
  const TTL = 5000;

  /** A probe that counts its calls and answers as told, settling when `settle` is called. */
  function probe() {
    const state = { calls: 0, fail: false, pending: [] as (() => void)[] };
    const ask = () => {
      state.calls++;
      const fail = state.fail;
      return new Promise<void>((resolve, reject) => state.pending.push(() => (fail ? reject(new Error('down')) : resolve())));
    };
    const settle = async () => {
      for (const done of state.pending.splice(0)) done();
      await new Promise((tick) => setImmediate(tick));
    };
    return { state, ask, settle };
  }
  const outcome = (answer: Promise<void>) =>
    answer.then(
      () => 'ok',
      () => 'down',
    );

  it('callers arriving while it is asked share the one call; its answer is kept for the TTL after it came', async () => {
    const clock = new FixedClock(new Date(0));
    const { state, ask, settle } = probe();
    const cached = cachedProbe(ask, TTL, clock);
    const waiting = Array.from({ length: 10 }, () => outcome(cached()));
    clock.advance(2 * TTL); // a slow answer: the TTL counts from when it came
    await settle();
    expect(await Promise.all(waiting)).to.deep.equal(Array(10).fill('ok'));
    expect(state.calls).to.equal(1);
    clock.advance(TTL - 1);
    expect(await outcome(cached())).to.equal('ok');
    expect(state.calls).to.equal(1);
    clock.advance(1);
    state.fail = true;
    const next = outcome(cached());
    await settle();
    expect(await next).to.equal('down');
    expect(state.calls).to.equal(2);
  });

  it('keeps a failure as long as a success, then asks again', async () => {
    const clock = new FixedClock(new Date(0));
    const { state, ask, settle } = probe();
    state.fail = true;
    const cached = cachedProbe(ask, TTL, clock);
    const first = outcome(cached());
    await settle();
    expect(await first).to.equal('down');
    for (let i = 0; i < 5; i++) expect(await outcome(cached())).to.equal('down');
    expect(state.calls).to.equal(1);
    state.fail = false;
    clock.advance(TTL);
    const back = outcome(cached());
    await settle();
    expect(await back).to.equal('ok');
    expect(state.calls).to.equal(2);
  });

  it('asks again when the clock went back (the kept answer’s age is unknown)', async () => {
    const clock = new FixedClock(new Date(TTL * 10));
    const { state, ask, settle } = probe();
    const cached = cachedProbe(ask, TTL, clock);
    const first = cached();
    await settle();
    await first;
    clock.advance(-1000);
    const again = cached();
    await settle();
    await again;
    expect(state.calls).to.equal(2);
  });
});
