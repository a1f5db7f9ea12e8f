import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import type { InstagramTokenStore, StoredToken } from '../../core/instagram/index.js';
import type { UserRepository } from '../../core/identity/index.js';

export interface InstagramTokenStoreFixture {
  tokens: InstagramTokenStore;
  /** To create the owners (tokens reference ss_user). */
  users: UserRepository;
  teardown(): Promise<void>;
}

const freshDigits = (n: number) => Array.from({ length: n }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('');
const b64 = (n: number) => randomBytes(n).toString('base64');

/** A sealed token shaped like TokenCipher's output: a long ciphertext, 12-byte IV, 16-byte tag. */
function token(
  expiresAt: Date | null = new Date('2030-07-16T08:30:15.000Z'),
  keyId = 'k2030',
  metaUserId: string | null = freshDigits(17),
): StoredToken {
  const storedAt = new Date('2030-05-16T08:30:15.000Z');
  return {
    sealed: { ciphertext: b64(3000), iv: b64(12), tag: b64(16), keyId },
    expiresAt,
    metaUserId,
    storedAt,
    needsReconnect: false,
    login: 'facebook',
  };
}

/** The InstagramTokenStore contract: every implementation (fake, SQLite, MariaDB) passes it. */
export function describeInstagramTokenStore(name: string, setup: () => Promise<InstagramTokenStoreFixture>): void {
  describe(`InstagramTokenStore contract: ${name}`, () => {
    let fixture: InstagramTokenStoreFixture;
    let tokens: InstagramTokenStore;
    let alice: number;
    let bob: number;

    const owner = async () =>
      (await fixture.users.upsertIdentity({ provider: 'google', providerUserId: freshDigits(21), nickname: null, profileImage: null })).id;

    beforeEach(async () => {
      fixture = await setup();
      tokens = fixture.tokens;
      [alice, bob] = [await owner(), await owner()];
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    describe('the Page token', () => {
      const sealedPage = () => ({ ciphertext: b64(200), iv: b64(12), tag: b64(16), keyId: 'k2031' });

      it('is kept beside the token and given back exactly, per persona', async () => {
        await tokens.save(alice, 1, token());
        await tokens.save(alice, 2, token());
        expect(await tokens.getPageToken(alice, 1)).to.equal(null);
        const page = sealedPage();
        expect(await tokens.savePageToken(alice, 1, page)).to.equal(true);
        expect(await tokens.getPageToken(alice, 1)).to.deep.equal(page);
        expect(await tokens.getPageToken(alice, 2)).to.equal(null);
        const replaced = sealedPage();
        await tokens.savePageToken(alice, 1, replaced);
        expect(await tokens.getPageToken(alice, 1)).to.deep.equal(replaced);
      });

      it('is not stored without a token row', async () => {
        expect(await tokens.savePageToken(bob, 1, sealedPage())).to.equal(false);
        expect(await tokens.getPageToken(bob, 1)).to.equal(null);
      });

      it('is forgotten when the token is replaced, and deleted with it', async () => {
        await tokens.save(alice, 1, token());
        await tokens.savePageToken(alice, 1, sealedPage());
        await tokens.save(alice, 1, token());
        expect(await tokens.getPageToken(alice, 1)).to.equal(null);
        await tokens.savePageToken(alice, 1, sealedPage());
        await tokens.delete(alice, 1);
        expect(await tokens.getPageToken(alice, 1)).to.equal(null);
        await tokens.save(bob, 1, token());
        await tokens.savePageToken(bob, 1, sealedPage());
        await tokens.deleteUserData(bob);
        expect(await tokens.getPageToken(bob, 1)).to.equal(null);
      });
    });

    describe('needsReconnect', () => {
      it("is set on that persona's token only, and read back", async () => {
        await tokens.save(alice, 1, token());
        await tokens.save(alice, 2, token());
        await tokens.save(bob, 1, token());
        expect(await tokens.markNeedsReconnect(alice, 1)).to.equal(true);
        expect((await tokens.get(alice, 1))?.needsReconnect).to.equal(true);
        expect((await tokens.get(alice, 2))?.needsReconnect).to.equal(false);
        expect((await tokens.get(bob, 1))?.needsReconnect).to.equal(false);
        expect(await tokens.markNeedsReconnect(alice, 1), 'again: still a row').to.equal(true);
        expect((await tokens.get(alice, 1))?.needsReconnect).to.equal(true);
      });

      it('is reset by the next save, which never stores true', async () => {
        await tokens.save(alice, 1, token());
        await tokens.markNeedsReconnect(alice, 1);
        const renewed = token();
        await tokens.save(alice, 1, renewed);
        expect(await tokens.get(alice, 1)).to.deep.equal(renewed);
        await tokens.save(alice, 2, { ...token(), needsReconnect: true });
        expect((await tokens.get(alice, 2))?.needsReconnect).to.equal(false);
      });

      it('is not stored without a token row', async () => {
        expect(await tokens.markNeedsReconnect(bob, 1)).to.equal(false);
        expect(await tokens.get(bob, 1)).to.equal(null);
      });
    });

    describe('the issuing app (login)', () => {
      it('is kept, Facebook Login when not given, and replaced with the token', async () => {
        const { login: _, ...unsaid } = token();
        await tokens.save(alice, 1, unsaid);
        expect((await tokens.get(alice, 1))?.login).to.equal('facebook');
        await tokens.save(alice, 1, { ...token(), login: 'instagram' });
        expect((await tokens.get(alice, 1))?.login).to.equal('instagram');
        await tokens.save(alice, 1, token());
        expect((await tokens.get(alice, 1))?.login).to.equal('facebook');
      });
    });

    describe('replaceRefreshed', () => {
      it('replaces the token and its expiry (to the second) and keeps the rest of the row', async () => {
        const first = { ...token(), login: 'instagram' as const };
        await tokens.save(alice, 1, first);
        await tokens.save(alice, 2, token());
        await tokens.markNeedsReconnect(alice, 1);
        const sealed = { ciphertext: b64(300), iv: b64(12), tag: b64(16), keyId: 'k2032' };
        expect(await tokens.replaceRefreshed(alice, 1, sealed, new Date('2030-09-14T01:02:03.456Z'))).to.equal(true);
        expect(await tokens.get(alice, 1)).to.deep.equal({
          ...first,
          sealed,
          expiresAt: new Date('2030-09-14T01:02:03.000Z'),
          needsReconnect: true,
        });
        expect((await tokens.get(alice, 2))?.sealed).to.not.deep.equal(sealed);
      });

      it('stores nothing without a token row (unlinked meanwhile)', async () => {
        const sealed = { ciphertext: b64(300), iv: b64(12), tag: b64(16), keyId: 'k2032' };
        expect(await tokens.replaceRefreshed(bob, 1, sealed, null)).to.equal(false);
        expect(await tokens.get(bob, 1)).to.equal(null);
      });
    });

    it('get of a missing token is null', async () => {
      expect(await tokens.get(alice, 1)).to.equal(null);
    });

    it('save then get gives back exactly what was saved, nothing more', async () => {
      const t = token();
      await tokens.save(alice, 1, t);
      const got = await tokens.get(alice, 1);
      expect(got).to.deep.equal(t);
      expect(Object.keys(got ?? {}).sort()).to.deep.equal(['expiresAt', 'login', 'metaUserId', 'needsReconnect', 'sealed', 'storedAt']);
      expect(Object.keys(got?.sealed ?? {}).sort()).to.deep.equal(['ciphertext', 'iv', 'keyId', 'tag']);
    });

    it('keeps a null expiry, and an expiry to the whole second', async () => {
      const forever = token(null);
      await tokens.save(alice, 1, forever);
      expect(await tokens.get(alice, 1)).to.deep.equal(forever);
      const precise = token(new Date('2030-07-16T08:30:15.999Z'));
      await tokens.save(alice, 2, precise);
      expect((await tokens.get(alice, 2))?.expiresAt).to.deep.equal(new Date('2030-07-16T08:30:15.000Z'));
    });

    it('keeps the Meta user id, also a null one, and replaces it with the token', async () => {
      const unknownUser = token(undefined, undefined, null);
      await tokens.save(alice, 1, unknownUser);
      expect(await tokens.get(alice, 1)).to.deep.equal(unknownUser);
      const known = token(undefined, undefined, '10223344556677889');
      await tokens.save(alice, 1, known);
      expect((await tokens.get(alice, 1))?.metaUserId).to.equal('10223344556677889');
    });

    it('keeps when it was stored, to the whole second, and a replacement stores its own time', async () => {
      await tokens.save(alice, 1, { ...token(), storedAt: new Date('2030-01-02T03:04:05.678Z') });
      expect((await tokens.get(alice, 1))?.storedAt).to.deep.equal(new Date('2030-01-02T03:04:05.000Z'));
      await tokens.save(alice, 1, { ...token(), storedAt: new Date('2031-01-02T03:04:05.000Z') });
      expect((await tokens.get(alice, 1))?.storedAt).to.deep.equal(new Date('2031-01-02T03:04:05.000Z'));
    });

    it('save replaces the token of the same user and persona num', async () => {
      await tokens.save(alice, 1, token());
      const replacement = token(null, 'k2031');
      await tokens.save(alice, 1, replacement);
      expect(await tokens.get(alice, 1)).to.deep.equal(replacement);
      const third = token(new Date('2031-01-01T00:00:00.000Z'));
      await tokens.save(alice, 1, third);
      expect(await tokens.get(alice, 1)).to.deep.equal(third);
    });

    it('keys by user and persona num: no token is seen or replaced through another key', async () => {
      const [a1, a2, b1] = [token(), token(), token()];
      await tokens.save(alice, 1, a1);
      await tokens.save(alice, 2, a2);
      await tokens.save(bob, 1, b1);
      expect(await tokens.get(alice, 1)).to.deep.equal(a1);
      expect(await tokens.get(alice, 2)).to.deep.equal(a2);
      expect(await tokens.get(bob, 1)).to.deep.equal(b1);
      expect(await tokens.get(bob, 2)).to.equal(null);
    });

    it('delete removes only that token and is idempotent', async () => {
      const [a2, b1] = [token(), token()];
      await tokens.delete(alice, 1);
      await tokens.save(alice, 1, token());
      await tokens.save(alice, 2, a2);
      await tokens.save(bob, 1, b1);
      await tokens.delete(alice, 1);
      await tokens.delete(alice, 1);
      expect(await tokens.get(alice, 1)).to.equal(null);
      expect(await tokens.get(alice, 2)).to.deep.equal(a2);
      expect(await tokens.get(bob, 1)).to.deep.equal(b1);
      const fresh = token();
      await tokens.save(alice, 1, fresh);
      expect(await tokens.get(alice, 1)).to.deep.equal(fresh);
    });
  });
}
