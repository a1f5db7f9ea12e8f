import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { realDatabases } from '../support/databases.js';
import { sendUnlinkNotice, startFakeKakao, type FakeKakao } from '../support/fake-kakao-server.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { solidImage } from '../support/images.js';
import { startPublishingApp, UPLOADED_SIZES, type PublishingApp } from '../support/publishing-app.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';

const KAKAO = { KAKAO_ADMIN_KEY: 'kakao-admin-key', KAKAO_APP_ID: '1234567' };
const BOB = { provider: 'google', providerUserId: '4242', nickname: 'Bob', profileImage: null } as const;
const FRONTEND = 'http://localhost:5174';

/** The key of the object behind a media URL (S3_PREFIX is `media/` by default, as the URL path). */
const keyOf = (url: string) => `media/${url.slice('/media/'.length)}`;
const keysOf = (urls: string[]) => [...new Set(urls.map(keyOf))].sort();

for (const database of realDatabases()) {
  describe(`deleting with MEDIA_STORE=s3 on ${database.name}: the objects go with the last row that names them`, function () {
    this.timeout(60_000);
    let s3: S3Server;
    let kakao: FakeKakao;
    let world: PublishingApp;

    let logs: CapturedLogs;

    beforeEach(async () => {
      s3 = await startS3Server(); // an empty bucket for each test
      kakao = await startFakeKakao({ adminKey: KAKAO.KAKAO_ADMIN_KEY });
      logs = captureLogs();
      const env = { ...s3.env, ...KAKAO, KAKAO_API_BASE_URL: kakao.url };
      world = await startPublishingApp(database, { worker: true, env, logger: logs.logger });
    });
    afterEach(async () => {
      await world.close();
      await kakao.close();
      await s3.close();
    });

    /** The URLs of the user's uploads (world.media). */
    const uploads = async (userId = world.userId) =>
      (await world.persistence.mediaLibrary.listByUser(userId, { limit: 50 })).items.map((media) => media.url);

    /** A post of `media` published now by the worker: the URL of its prepared JPEG (an object of the bucket). */
    async function published(media = world.media.slice(0, 1)): Promise<string> {
      const draft = await world.draft(world.personas[0].id, media);
      await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
      const post = await world.settled(draft.id);
      expect(post.status, JSON.stringify(post.error)).to.equal('published');
      return (await world.persistence.posts.findById(draft.id))!.media[0].preparedUrl!;
    }

    /** Bob (a Google user) uploads `bytes`: the URL of his row. */
    async function bobUploads(bytes: Uint8Array, type = 'image/png') {
      const bob = await world.signIn(BOB);
      return { bob, url: (await world.uploaded(bytes, type, bob.cookie)).url };
    }

    const bytesAt = async (url: string) => Buffer.from(await (await world.app.fetch(url)).arrayBuffer());
    const deleteAccount = (cookie: string) => world.app.fetch('/users/me', { method: 'DELETE', headers: { cookie, origin: FRONTEND } });

    it('DELETE /users/me removes the user’s objects (uploads, prepared JPEG) but keeps the one Bob uploaded too, until Bob goes', async () => {
      const mine = await uploads();
      const prepared = await published();
      // The same bytes give the same key: Bob's upload and the user's first one are one object.
      const [width, height] = UPLOADED_SIZES[0];
      const { bob, url: shared } = await bobUploads(await solidImage(width, height));
      const { url: bobsOwn } = await bobUploads(await solidImage(5, 7));
      expect(mine).to.include(shared);
      expect(await s3.keys()).to.deep.equal(keysOf([...mine, prepared, bobsOwn]));

      const res = await deleteAccount(world.cookie);
      expect(res.status).to.equal(200);
      expect(kakao.unlinked).to.deep.equal(['1']);
      expect(await world.persistence.users.findById(world.userId)).to.equal(null);
      expect(await s3.keys(), 'only what Bob names').to.deep.equal(keysOf([shared, bobsOwn]));
      expect((await world.app.fetch(shared)).status).to.equal(200);
      expect((await world.app.fetch(prepared)).status).to.equal(404);

      expect((await deleteAccount(bob.cookie)).status).to.equal(200);
      expect(await s3.keys()).to.deep.equal([]);
      expect(await readdir(world.mediaRoot), 'nothing was ever on disk').to.deep.equal([]);
    });

    it('DELETE /api/posts/:id of a failed post removes its prepared JPEG; the upload stays (its row does)', async () => {
      const draft = await world.draft(world.personas[0].id, world.media.slice(0, 1));
      world.meta.publishing.nextContainerEnds = 'ERROR';
      await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
      expect((await world.settled(draft.id)).status).to.equal('failed');
      const prepared = (await world.persistence.posts.findById(draft.id))!.media[0].preparedUrl!;
      expect(await s3.keys()).to.include(keyOf(prepared));

      await world.expectStatus(await world.send('DELETE', `/api/posts/${draft.id}`), 200);
      expect(await s3.keys()).to.deep.equal(keysOf(await uploads()));
    });

    it('a bucket that is down while the account is deleted: still 200 and every row gone; the objects stay (no 500, no hang)', async () => {
      const mine = await uploads();
      await s3.stop();
      try {
        const res = await deleteAccount(world.cookie);
        expect(res.status).to.equal(200);
        expect(await world.persistence.users.findById(world.userId)).to.equal(null);
        expect(await uploads()).to.deep.equal([]);
      } finally {
        await s3.start();
      }
      expect(await s3.keys(), 'left in the bucket').to.deep.equal(keysOf(mine));
      const [left] = logs.entries().filter((entry) => entry.msg === 'a deleted user’s image files could not be removed');
      expect(left.files).to.have.members(mine);
      expect(logs.entries().filter((entry) => entry.msg === 'media store unavailable')).to.have.length(mine.length);
      expect(logs.text()).not.to.include(s3.env.S3_SECRET_ACCESS_KEY);
    });

    it('Kakao’s unlink notice removes the user’s objects, except the prepared JPEG that Bob’s upload names', async () => {
      const prepared = await published();
      const { url: bobsCopy } = await bobUploads(await bytesAt(prepared), 'image/jpeg');
      expect(bobsCopy, 'the same bytes, the same key').to.equal(prepared);
      const mine = await uploads();
      expect(await s3.keys()).to.deep.equal(keysOf([...mine, prepared]));

      const res = await sendUnlinkNotice(`${world.app.url}/auth/kakao/unlink-callback`, {
        method: 'POST',
        adminKey: KAKAO.KAKAO_ADMIN_KEY,
        appId: KAKAO.KAKAO_APP_ID,
        userId: '1',
      });
      expect(res.status).to.equal(200);
      expect(await world.persistence.users.findById(world.userId)).to.equal(null);
      expect(kakao.requests, 'Kakao is not called back').to.deep.equal([]);
      expect(await s3.keys()).to.deep.equal(keysOf([prepared]));
      expect(await bytesAt(bobsCopy)).to.have.length.above(0);
    });

    it('Meta’s deauthorize notice removes the prepared JPEGs of the unlinked persona’s posts; the uploads stay (their rows do)', async () => {
      const mine = await uploads();
      const prepared = [await published(world.media.slice(0, 1)), await published(world.media.slice(1, 2))];
      expect(await s3.keys()).to.deep.equal(keysOf([...mine, ...prepared]));

      const res = await world.metaNotice('/oauth/meta/deauthorize');
      expect(res.status).to.equal(200);
      expect(await s3.keys()).to.deep.equal(keysOf(mine));
      expect(await uploads()).to.deep.equal(mine);
    });

    it('Meta’s data-deletion notice removes the prepared JPEGs no row names any more, and keeps the one Bob’s upload names', async () => {
      const mine = await uploads();
      const [kept, gone] = [await published(world.media.slice(0, 1)), await published(world.media.slice(1, 2))];
      await bobUploads(await bytesAt(kept), 'image/jpeg');
      expect(await s3.keys()).to.deep.equal(keysOf([...mine, kept, gone]));

      const res = await world.metaNotice('/oauth/meta/data-deletion');
      expect(res.status).to.equal(200);
      expect(await res.json()).to.have.property('confirmation_code');
      expect(await s3.keys()).to.deep.equal(keysOf([...mine, kept]));
    });
  });
}
