import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { SessionStore, UserRepository } from '../../core/identity/index.js';

export interface SessionStoreFixture {
  store: SessionStore;
  /** The users the store reads a session's user from (the same database). */
  users: UserRepository;
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
    /** The data of a session read back, for tests about the data alone. */
    const dataOf = async (id: string, now: Date) => (await store.get(id, now))?.data ?? null;

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
      expect(await dataOf(id, T)).to.deep.equal(data);
    });

    it('set replaces the data and the expiry', async () => {
      const id = sid();
      await store.set(id, { step: 1 }, at(1_000));
      await store.set(id, { step: 2 }, at(120_000));
      expect(await dataOf(id, at(60_000))).to.deep.equal({ step: 2 });
      await store.set(id, { step: 3 }, at(-1));
      expect(await store.get(id, T)).to.equal(null);
    });

    it('get is null once the expiry is reached, to the millisecond', async () => {
      const id = sid();
      await store.set(id, { a: 1 }, at(500));
      expect(await dataOf(id, at(499))).to.deep.equal({ a: 1 });
      expect(await store.get(id, at(500))).to.equal(null);
      expect(await store.get(id, at(86_400_000))).to.equal(null);
    });

    it('update replaces an existing session, and writes nothing for one destroyed or never created', async () => {
      const id = sid();
      await store.set(id, { step: 1 }, at(60_000));
      expect(await store.update(id, { step: 2 }, at(120_000))).to.equal(true);
      expect(await dataOf(id, at(90_000))).to.deep.equal({ step: 2 });
      await store.destroy(id);
      expect(await store.update(id, { step: 3 }, at(120_000))).to.equal(false);
      expect(await store.get(id, T)).to.equal(null);
      const never = sid();
      expect(await store.update(never, { step: 1 }, at(60_000))).to.equal(false);
      expect(await store.get(never, T)).to.equal(null);
    });

    it('destroy removes a session and is idempotent', async () => {
      const id = sid();
      await store.destroy(id);
      await store.set(id, { a: 1 }, at(60_000));
      await store.destroy(id);
      expect(await store.get(id, T)).to.equal(null);
      await store.destroy(id);
    });

    it('reads the signed-in user with the session, as the user is now', async () => {
      const user = await fixture.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '9007199254740993123',
        nickname: '별빛',
        profileImage: null,
      });
      const id = sid();
      await store.set(id, { userId: user.id, authAt: 1 }, at(60_000));
      expect(await store.get(id, T)).to.deep.equal({ data: { userId: user.id, authAt: 1 }, user });
      await fixture.users.updateProfile(user.id, { birthday: '1995-04-12', gender: '여성' });
      expect((await store.get(id, T))?.user).to.deep.equal({ ...user, birthday: '1995-04-12', gender: '여성' });
    });

    it('has no user when the data names none, names it otherwise than as a number, or names a missing one', async () => {
      const user = await fixture.users.upsertIdentity({ provider: 'google', providerUserId: 'g-1', nickname: null, profileImage: null });
      const cases = [{ pending: 'state' }, { userId: String(user.id) }, { userId: user.id + 1000 }];
      for (const data of cases) {
        const id = sid();
        await store.set(id, data, at(60_000));
        expect(await store.get(id, T), JSON.stringify(data)).to.deep.equal({ data, user: null });
      }
    });

    it('follows the data when a session is replaced: signed in, then signed out', async () => {
      const user = await fixture.users.upsertIdentity({ provider: 'kakao', providerUserId: 'k-2', nickname: 'a', profileImage: null });
      const id = sid();
      await store.set(id, { pending: 'state' }, at(60_000));
      await store.set(id, { userId: user.id }, at(60_000));
      expect((await store.get(id, T))?.user?.id).to.equal(user.id);
      await store.set(id, { signedOut: true }, at(60_000));
      expect((await store.get(id, T))?.user).to.equal(null);
    });

    it('purgeExpired deletes only the expired sessions and returns how many', async () => {
      const [old, edge, live] = [sid(), sid(), sid()];
      await store.set(old, { n: 'old' }, at(-60_000));
      await store.set(edge, { n: 'edge' }, T);
      await store.set(live, { n: 'live' }, at(1));
      expect(await store.purgeExpired(T)).to.equal(2);
      expect(await store.purgeExpired(T)).to.equal(0);
      expect(await dataOf(live, T)).to.deep.equal({ n: 'live' });
      // the live one expires at T + 1 ms: a later purge takes it
      expect(await store.purgeExpired(at(1))).to.equal(1);
    });
  });
}
