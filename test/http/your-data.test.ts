import { expect } from 'chai';
import { mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsMediaStore } from '../../adapters/media/fs-media-store.js';
import type { OAuthIdentity } from '../../core/identity/index.js';
import type { Persistence } from '../../composition/persistence.js';
import { realDatabases } from '../support/databases.js';
import { sendUnlinkNotice, startFakeKakao, type FakeKakao, type UnlinkNotice } from '../support/fake-kakao-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_KEY = 'kakao-admin';
const APP_ID = '123456';
const ALICE: OAuthIdentity = { provider: 'kakao', providerUserId: '1234567890123456789', nickname: '앨리스', profileImage: null };
const BOB: OAuthIdentity = { provider: 'kakao', providerUserId: '9876543210', nickname: '밥', profileImage: null };
const GAIL: OAuthIdentity = { provider: 'google', providerUserId: '1234567890123456789', nickname: 'Gail', profileImage: null };
const TOKEN = { sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k1' }, expiresAt: null, metaUserId: null, storedAt: new Date() };

for (const database of realDatabases()) {
  describe(`HTTP your data: DELETE /users/me and Kakao's unlink notice (fake Kakao on 127.0.0.1, ${database.name})`, () => {
    let kakao: FakeKakao;
    let app: TestApp;
    let persistence: Persistence;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;
    let mediaRoot: string;
    let files: FsMediaStore;

    async function start(env: Record<string, string> = {}) {
      ({ persistence, rows } = await database.open());
      app = await startTestApp({
        persistence,
        env: { KAKAO_ADMIN_KEY: ADMIN_KEY, KAKAO_APP_ID: APP_ID, KAKAO_API_BASE_URL: kakao.url, MEDIA_ROOT: mediaRoot, ...env },
      });
    }

    beforeEach(async () => {
      kakao = await startFakeKakao({ adminKey: ADMIN_KEY });
      mediaRoot = mkdtempSync(join(tmpdir(), 'selfstar-media-'));
      files = new FsMediaStore(mediaRoot, '/media');
    });
    afterEach(async () => {
      await app?.close();
      await kakao.close();
      await rm(mediaRoot, { recursive: true, force: true });
    });

    /** A user signed in on two devices, with a persona pictured by a file of its own, one pictured by `shared`, and a token. */
    async function userWithData(identity: OAuthIdentity, shared: string) {
      const user = await persistence.users.upsertIdentity(identity);
      const devices = [await app.sessionCookie(user.id), await app.sessionCookie(user.id)];
      const own = await files.save(Buffer.from(`own image of ${identity.provider} ${identity.providerUserId}`), 'png');
      const first = await persistence.personas.create(user.id, 'own', {});
      await persistence.personas.setImageUrl(user.id, first.id, own);
      const second = await persistence.personas.create(user.id, 'shared', {});
      await persistence.personas.setImageUrl(user.id, second.id, shared);
      await persistence.instagramTokens.save(user.id, first.num, TOKEN);
      for (const url of [own, shared]) await persistence.mediaLibrary.add(mediaRow(user.id, url), new Date());
      return { user, devices, own };
    }

    const mediaRow = (userId: number, url: string) =>
      ({ userId, url, contentType: 'image/png', width: 1, height: 1, bytes: 1, source: 'upload' }) as const;

    const signedIn = async (cookie: string) => (await app.fetch('/auth/me', { headers: { cookie } })).status === 200;
    const fileNames = () => readdirSync(mediaRoot).sort();
    const nameOf = (url: string) => url.slice('/media/'.length);
    const ownedBy = async (table: string, userId: number) => (await rows(table)).filter((row) => Number(row.user_id) === userId).length;
    const deleteMe = (cookie: string) => app.fetch('/users/me', { method: 'DELETE', headers: { cookie } });

    async function expectAllThere({ user, devices }: Awaited<ReturnType<typeof userWithData>>) {
      expect(await persistence.users.findById(user.id)).to.deep.equal(user);
      expect(await ownedBy('ss_persona', user.id)).to.equal(2);
      expect(await ownedBy('ss_instagram_connector_persona', user.id)).to.equal(1);
      expect(await ownedBy('ss_session', user.id)).to.equal(2);
      expect(await ownedBy('ss_media', user.id)).to.equal(2);
      for (const cookie of devices) expect(await signedIn(cookie)).to.equal(true);
    }

    async function expectAllGone({ user, devices }: Awaited<ReturnType<typeof userWithData>>) {
      expect(await persistence.users.findById(user.id)).to.equal(null);
      for (const table of ['ss_persona', 'ss_instagram_connector_persona', 'ss_session', 'ss_media']) {
        expect(await ownedBy(table, user.id), table).to.equal(0);
      }
      for (const cookie of devices) expect(await signedIn(cookie)).to.equal(false);
    }

    describe('DELETE /users/me', () => {
      it('a Kakao user: unlinked at Kakao, then every row and session gone and the cookie cleared; the shared file stays while Bob names it', async () => {
        await start();
        const shared = await files.save(Buffer.from('a picture two users have'), 'png');
        const alice = await userWithData(ALICE, shared);
        const bob = await userWithData(BOB, shared);

        const res = await deleteMe(alice.devices[0]);
        expect(res.status).to.equal(200);
        expect(await res.json()).to.deep.equal({ ok: true });
        expect(res.headers.getSetCookie().some((line) => /^sid=;/.test(line))).to.equal(true);

        expect(kakao.unlinked).to.deep.equal([ALICE.providerUserId]);
        const call = kakao.requests.find((request) => request.path === '/v1/user/unlink')!;
        expect(call.headers.authorization).to.equal(`KakaoAK ${ADMIN_KEY}`);
        await expectAllGone(alice);
        await expectAllThere(bob);
        expect(fileNames()).to.deep.equal([nameOf(bob.own), nameOf(shared)].sort());
        expect((await app.fetch(shared)).status).to.equal(200);

        // Once Bob is gone too, nobody names the shared file.
        expect((await deleteMe(bob.devices[1])).status).to.equal(200);
        expect(fileNames()).to.deep.equal([]);
        expect(await rows('ss_user')).to.deep.equal([]);
      });

      it("keeps a file another user's media row alone names, and removes the files only the deleted user named", async () => {
        await start();
        const alice = await userWithData(ALICE, await files.save(Buffer.from('alice only'), 'png'));
        const bob = await persistence.users.upsertIdentity(BOB);
        const both = await files.save(Buffer.from('uploaded by both'), 'png');
        await persistence.mediaLibrary.add(mediaRow(alice.user.id, both), new Date());
        await persistence.mediaLibrary.add(mediaRow(bob.id, both), new Date());

        expect((await deleteMe(alice.devices[0])).status).to.equal(200);
        await expectAllGone(alice);
        expect(fileNames()).to.deep.equal([nameOf(both)]);
        expect((await persistence.mediaLibrary.listByUser(bob.id, { limit: 50 })).items.map((media) => media.url)).to.deep.equal([both]);
      });

      it('a Google user: deleted without any call to Kakao', async () => {
        await start();
        const gail = await userWithData(GAIL, await files.save(Buffer.from('x'), 'png'));
        expect((await deleteMe(gail.devices[0])).status).to.equal(200);
        expect(kakao.requests).to.deep.equal([]);
        await expectAllGone(gail);
        expect(fileNames()).to.deep.equal([]);
      });

      it('Kakao refuses the unlink: 502 upstream_unavailable and nothing is deleted', async () => {
        await start({ KAKAO_ADMIN_KEY: 'not-the-admin-key' });
        const alice = await userWithData(ALICE, await files.save(Buffer.from('x'), 'png'));
        const before = fileNames();
        const res = await deleteMe(alice.devices[0]);
        expect(res.status).to.equal(502);
        expect(await res.json()).to.include({ ok: false, error: 'upstream_unavailable' });
        await expectAllThere(alice);
        expect(fileNames()).to.deep.equal(before);
      });

      it('a Kakao user without KAKAO_ADMIN_KEY: 503 kakao_admin_key_missing and nothing is deleted', async () => {
        await start({ KAKAO_ADMIN_KEY: '' });
        const alice = await userWithData(ALICE, await files.save(Buffer.from('x'), 'png'));
        const res = await deleteMe(alice.devices[0]);
        expect(res.status).to.equal(503);
        expect(await res.json()).to.include({ error: 'kakao_admin_key_missing' });
        expect(kakao.requests).to.deep.equal([]);
        await expectAllThere(alice);
      });

      it('401 not_authenticated without a session', async () => {
        await start();
        const res = await app.fetch('/users/me', { method: 'DELETE' });
        expect(res.status).to.equal(401);
        expect(await res.json()).to.include({ error: 'not_authenticated' });
      });
    });

    describe('GET or POST /auth/kakao/unlink-callback', () => {
      const notice = (overrides: Partial<UnlinkNotice> = {}) =>
        sendUnlinkNotice(`${app.url}/auth/kakao/unlink-callback`, {
          method: 'POST',
          adminKey: ADMIN_KEY,
          appId: APP_ID,
          userId: ALICE.providerUserId,
          ...overrides,
        });

      for (const method of ['GET', 'POST'] as const) {
        it(`${method}: deletes the user's data as DELETE /users/me does, without calling Kakao back; a replay is 200 too`, async () => {
          await start();
          const shared = await files.save(Buffer.from('shared'), 'png');
          const alice = await userWithData(ALICE, shared);
          const bob = await userWithData(BOB, shared);
          const gail = await userWithData(GAIL, shared); // the same id at Google is someone else

          for (const attempt of ['first', 'replay']) {
            const res = await notice({ method, referrerType: 'ACCOUNT_DELETE' });
            expect(res.status, attempt).to.equal(200);
            expect(await res.json()).to.deep.equal({ ok: true });
          }
          await expectAllGone(alice);
          await expectAllThere(bob);
          await expectAllThere(gail);
          expect(kakao.requests).to.deep.equal([]);
          expect(fileNames()).to.deep.equal([nameOf(bob.own), nameOf(gail.own), nameOf(shared)].sort());
        });
      }

      it('an unknown user: 200, nothing changes', async () => {
        await start();
        const bob = await userWithData(BOB, await files.save(Buffer.from('x'), 'png'));
        expect((await notice({ userId: '5550001' })).status).to.equal(200);
        await expectAllThere(bob);
      });

      it('a wrong or missing admin key: 401 not_authenticated, nothing deleted', async () => {
        await start();
        const alice = await userWithData(ALICE, await files.save(Buffer.from('x'), 'png'));
        for (const method of ['GET', 'POST'] as const) {
          const res = await notice({ method, adminKey: 'guessed-key' });
          expect(res.status).to.equal(401);
          expect(await res.json()).to.include({ ok: false, error: 'not_authenticated' });
        }
        const bare = await app.fetch(`/auth/kakao/unlink-callback?app_id=${APP_ID}&user_id=${ALICE.providerUserId}`);
        expect(bare.status).to.equal(401);
        await expectAllThere(alice);
      });

      it('another app_id: 400 invalid_request, nothing deleted', async () => {
        await start();
        const alice = await userWithData(ALICE, await files.save(Buffer.from('x'), 'png'));
        const res = await notice({ appId: '654321' });
        expect(res.status).to.equal(400);
        expect(await res.json()).to.include({ error: 'invalid_request' });
        await expectAllThere(alice);
      });

      it('no KAKAO_ADMIN_KEY: every notice is refused (401 not_authenticated, never a 5xx)', async () => {
        await start({ KAKAO_ADMIN_KEY: '' });
        const alice = await userWithData(ALICE, await files.save(Buffer.from('x'), 'png'));
        for (const adminKey of ['', ADMIN_KEY]) {
          const res = await notice({ adminKey });
          expect(res.status).to.equal(401);
          expect(await res.json()).to.include({ error: 'not_authenticated' });
        }
        await expectAllThere(alice);
      });

      it('a notice without user_id or app_id: 400 invalid_request', async () => {
        await start();
        const res = await app.fetch('/auth/kakao/unlink-callback', {
          method: 'POST',
          headers: { authorization: `KakaoAK ${ADMIN_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: `app_id=${APP_ID}`,
        });
        expect(res.status).to.equal(400);
        expect(await res.json()).to.include({ error: 'invalid_request' });
      });
    });
  });
}
