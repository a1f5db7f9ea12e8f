import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { UsedStateStore } from '../../core/identity/index.js';

export interface UsedStateStoreFixture {
  store: UsedStateStore;
  teardown(): Promise<void>;
}

const state = () => randomBytes(32).toString('base64url');
const T = new Date('2030-05-17T08:30:15.250Z');
const at = (ms: number) => new Date(T.getTime() + ms);

/** The UsedStateStore contract. A fixture starts with no records (purgeExpired counts rows). */
export function describeUsedStateStore(name: string, setup: () => Promise<UsedStateStoreFixture>): void {
  describe(`UsedStateStore contract: ${name}`, () => {
    let fixture: UsedStateStoreFixture;
    let store: UsedStateStore;

    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('marks a state used once: the second mark is refused, other states are not', async () => {
      const [a, b] = [state(), state()];
      expect(await store.markUsed(a, at(600_000))).to.equal(true);
      expect(await store.markUsed(a, at(600_000)), 'a replay').to.equal(false);
      expect(await store.markUsed(b, at(600_000))).to.equal(true);
    });

    it('lets exactly one of 8 parallel marks of one state through', async () => {
      const s = state();
      const answers = await Promise.all(Array.from({ length: 8 }, () => store.markUsed(s, at(600_000))));
      expect(answers.filter(Boolean)).to.have.length(1);
    });

    it('purgeExpired deletes only the expired records (to the millisecond) and returns how many', async () => {
      const [old, edge, live] = [state(), state(), state()];
      await store.markUsed(old, at(-1));
      await store.markUsed(edge, at(0));
      await store.markUsed(live, at(1));
      expect(await store.purgeExpired(T)).to.equal(2);
      expect(await store.purgeExpired(T)).to.equal(0);
      expect(await store.markUsed(live, at(1)), 'still recorded').to.equal(false);
      expect(await store.purgeExpired(at(1))).to.equal(1);
    });
  });
}
