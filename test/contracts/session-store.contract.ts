import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { SessionStore } from '../../core/ports/session-store.js';

export interface SessionStoreFixture {
  store: SessionStore;
  teardown(): Promise<void>;
}

const sid = () => randomBytes(32).toString('base64url');
/** Millisecond instants: a store must not round an expiry to the second. */
const T = new Date('2030-05-17T08:30:15.250Z');
const at = (ms: number) => new Date(T.getTime() + ms);

/**
 * The SessionStore contract. A fixture starts with no sessions (purgeExpired counts rows).
 */
export function describeSessionStore(name: string, setup: () => Promise<SessionStoreFixture>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let fixture: SessionStoreFixture;
    let store: SessionStore;

    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('get of an unknown id is null', async () => {
      expect(await store.get(sid(), T)).to.equal(null);
    });

    it('round-trips the data, Korean text included', async () => {
      const id = sid();
      const data = { userId: 42, nickname: '별빛 🌟', gender: '여성', nested: { list: [1, 'two', null], ok: true } };
      await store.set(id, data, at(60_000));
      expect(await store.get(id, T)).to.deep.equal(data);
    });

    it('set replaces the data and the expiry', async () => {
      const id = sid();
      await store.set(id, { step: 1 }, at(1_000));
      await store.set(id, { step: 2 }, at(120_000));
      expect(await store.get(id, at(60_000))).to.deep.equal({ step: 2 });
      await store.set(id, { step: 3 }, at(-1));
      expect(await store.get(id, T)).to.equal(null);
    });

    it('get is null once the expiry is reached, to the millisecond', async () => {
      const id = sid();
      await store.set(id, { a: 1 }, at(500));
      expect(await store.get(id, at(499))).to.deep.equal({ a: 1 });
      expect(await store.get(id, at(500))).to.equal(null);
      expect(await store.get(id, at(86_400_000))).to.equal(null);
    });

    it('destroy removes a session and is idempotent', async () => {
      const id = sid();
      await store.destroy(id);
      await store.set(id, { a: 1 }, at(60_000));
      await store.destroy(id);
      expect(await store.get(id, T)).to.equal(null);
      await store.destroy(id);
    });

    it('purgeExpired deletes only the expired sessions and returns how many', async () => {
      const [old, edge, live] = [sid(), sid(), sid()];
      await store.set(old, { n: 'old' }, at(-60_000));
      await store.set(edge, { n: 'edge' }, T);
      await store.set(live, { n: 'live' }, at(1));
      expect(await store.purgeExpired(T)).to.equal(2);
      expect(await store.purgeExpired(T)).to.equal(0);
      expect(await store.get(live, T)).to.deep.equal({ n: 'live' });
      // the live one expires at T + 1 ms: a later purge takes it
      expect(await store.purgeExpired(at(1))).to.equal(1);
    });
  });
}
