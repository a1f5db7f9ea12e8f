import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { errors } from '../../core/shared/index.js';
import type { KakaoUnlinker, OAuthIdentity } from '../../core/identity/index.js';
import { UnnamedFiles } from '../../core/images/index.js';
import { DeleteAccount, ReceiveKakaoUnlinkNotice, type KakaoNoticeKeys, UserEraser } from '../../core/your-data/index.js';
import { inMemoryPersistence, type Persistence } from '../../composition/persistence.js';
import { codeOf, rejection } from '../support/rejection.js';

const KAKAO: OAuthIdentity = { provider: 'kakao', providerUserId: '1234567890123456789', nickname: '카카오', profileImage: null };
const GOOGLE: OAuthIdentity = { provider: 'google', providerUserId: '1234567890123456789', nickname: 'G', profileImage: null };
const TOKEN = { sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k1' }, expiresAt: null, metaUserId: null, storedAt: new Date() };
const KEYS: KakaoNoticeKeys = { adminKey: 'admin-key', appId: '123456' };

describe('deleting an account (use cases with in-memory adapters)', () => {
  let store: Persistence;
  let media: InMemoryMediaStore;
  let kakao: { configured: boolean; unlink: sinon.SinonStub<[string], Promise<void>> };
  let eraser: UserEraser;

  beforeEach(() => {
    store = inMemoryPersistence();
    media = new InMemoryMediaStore();
    kakao = { configured: true, unlink: sinon.stub<[string], Promise<void>>().resolves() } satisfies KakaoUnlinker;
    const { users, sessions, instagramTokens, posts, personas, transactions } = store;
    eraser = new UserEraser(users, [sessions, instagramTokens, posts, personas], new UnnamedFiles([personas, posts], media), transactions);
  });

  /** A user with a session, a persona pictured with `image` (bytes saved in the media store) and a token. */
  async function userWithData(identity: OAuthIdentity, image: Uint8Array) {
    const user = await store.users.upsertIdentity(identity);
    await store.sessions.set(`session-of-${user.id}`, { userId: user.id }, new Date(Date.now() + 60_000));
    const persona = await store.personas.create(user.id, 'p', {});
    const url = await media.save(image, 'png');
    await store.personas.setImageUrl(user.id, persona.id, url);
    await store.instagramTokens.save(user.id, persona.num, TOKEN);
    return { user, url, name: url.slice('/memory/'.length) };
  }

  async function exists(userId: number): Promise<boolean> {
    return (await store.users.findById(userId)) !== null && (await store.personas.listByUser(userId)).length > 0;
  }

  describe('DeleteAccount', () => {
    it("unlinks a Kakao user at Kakao, then deletes their rows and the files nobody else's persona names", async () => {
      const alice = await userWithData(KAKAO, Uint8Array.of(1));
      const bob = await userWithData(GOOGLE, Uint8Array.of(2));
      const shared = await store.personas.create(bob.user.id, 'same picture', {});
      const aliceOnly = await store.personas.create(alice.user.id, 'second', {});
      const sharedUrl = await media.save(Uint8Array.of(3), 'png');
      await store.personas.setImageUrl(bob.user.id, shared.id, sharedUrl);
      await store.personas.setImageUrl(alice.user.id, aliceOnly.id, sharedUrl);

      expect(await new DeleteAccount(kakao, eraser).execute(alice.user)).to.deep.equal({ filesLeft: [] });

      expect(kakao.unlink.args).to.deep.equal([[KAKAO.providerUserId]]);
      expect(await store.users.findById(alice.user.id)).to.equal(null);
      expect(await store.personas.listByUser(alice.user.id)).to.deep.equal([]);
      expect(await store.instagramTokens.get(alice.user.id, 1)).to.equal(null);
      expect(await store.sessions.get(`session-of-${alice.user.id}`, new Date())).to.equal(null);
      expect([...media.files.keys()].sort()).to.deep.equal([bob.name, sharedUrl.slice('/memory/'.length)].sort());
      expect(await exists(bob.user.id)).to.equal(true);
    });

    it('never calls Kakao for a Google user', async () => {
      const { user } = await userWithData(GOOGLE, Uint8Array.of(1));
      kakao.configured = false;
      await new DeleteAccount(kakao, eraser).execute(user);
      expect(kakao.unlink.called).to.equal(false);
      expect(await store.users.findById(user.id)).to.equal(null);
    });

    it('deletes nothing when Kakao fails (upstream_unavailable)', async () => {
      const { user } = await userWithData(KAKAO, Uint8Array.of(1));
      kakao.unlink.rejects(errors.upstreamUnavailable());
      expect(await codeOf(new DeleteAccount(kakao, eraser).execute(user))).to.equal('upstream_unavailable');
      expect(await exists(user.id)).to.equal(true);
      expect(media.files.size).to.equal(1);
    });

    it('deletes nothing for a Kakao user when KAKAO_ADMIN_KEY is not set (kakao_admin_key_missing)', async () => {
      const { user } = await userWithData(KAKAO, Uint8Array.of(1));
      kakao.configured = false;
      expect(await codeOf(new DeleteAccount(kakao, eraser).execute(user))).to.equal('kakao_admin_key_missing');
      expect(kakao.unlink.called).to.equal(false);
      expect(await exists(user.id)).to.equal(true);
    });

    it('answers the files it could not remove; the rows are deleted all the same', async () => {
      const { user, url } = await userWithData(GOOGLE, Uint8Array.of(1));
      sinon.stub(media, 'remove').rejects(new Error('EACCES'));
      expect(await new DeleteAccount(kakao, eraser).execute(user)).to.deep.equal({ filesLeft: [url] });
      expect(await store.users.findById(user.id)).to.equal(null);
    });
  });

  describe('ReceiveKakaoUnlinkNotice', () => {
    const notice = (overrides: Partial<Parameters<ReceiveKakaoUnlinkNotice['execute']>[0]> = {}) => ({
      authorization: 'KakaoAK admin-key',
      appId: '123456',
      kakaoUserId: KAKAO.providerUserId,
      ...overrides,
    });
    const receiver = (keys: KakaoNoticeKeys = KEYS) => new ReceiveKakaoUnlinkNotice(store.users, eraser, keys);

    it("with the admin key and our app id: deletes the Kakao user's data, never calling Kakao", async () => {
      const alice = await userWithData(KAKAO, Uint8Array.of(1));
      const bob = await userWithData(GOOGLE, Uint8Array.of(2)); // the same provider id, at Google
      expect(await receiver().execute(notice())).to.deep.equal({ erased: true, filesLeft: [] });
      expect(await store.users.findById(alice.user.id)).to.equal(null);
      expect(media.files.has(alice.name)).to.equal(false);
      expect(await exists(bob.user.id)).to.equal(true);
      expect(kakao.unlink.called).to.equal(false);
    });

    it('answers an unknown user, and a replay, with nothing to delete', async () => {
      expect(await receiver().execute(notice({ kakaoUserId: '42' }))).to.deep.equal({ erased: false, filesLeft: [] });
      await userWithData(KAKAO, Uint8Array.of(1));
      expect((await receiver().execute(notice())).erased).to.equal(true);
      expect(await receiver().execute(notice())).to.deep.equal({ erased: false, filesLeft: [] });
    });

    it('refuses a missing or wrong admin key (401 not_authenticated), deleting nothing', async () => {
      const { user } = await userWithData(KAKAO, Uint8Array.of(1));
      for (const authorization of [undefined, '', 'KakaoAK wrong-key', 'KakaoAK admin-key ', 'admin-key', 'Bearer admin-key']) {
        const error = await rejection(receiver().execute(notice({ authorization })));
        expect(error, String(authorization)).to.include({ code: 'not_authenticated', kind: 'unauthenticated' });
      }
      expect(await exists(user.id)).to.equal(true);
    });

    it('refuses a notice for another app (400 invalid_request); without KAKAO_APP_ID the admin key alone decides', async () => {
      const { user } = await userWithData(KAKAO, Uint8Array.of(1));
      const error = await rejection(receiver().execute(notice({ appId: '999' })));
      expect(error).to.include({ code: 'invalid_request' });
      expect(error.said).to.deep.equal({ key: 'kakao_notice_other_app' });
      expect(await exists(user.id)).to.equal(true);
      expect((await receiver({ adminKey: 'admin-key', appId: null }).execute(notice({ appId: '999' }))).erased).to.equal(true);
    });

    it('refuses every notice when KAKAO_ADMIN_KEY is not set (401 not_authenticated: no caller can prove it is Kakao)', async () => {
      const { user } = await userWithData(KAKAO, Uint8Array.of(1));
      for (const authorization of ['KakaoAK ', 'KakaoAK null', undefined]) {
        expect(await codeOf(receiver({ adminKey: null, appId: '123456' }).execute(notice({ authorization })))).to.equal(
          'not_authenticated',
        );
      }
      expect(await exists(user.id)).to.equal(true);
    });
  });
});
