import { expect } from 'chai';
import { readdir, rm } from 'node:fs/promises';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { SharpImageProcessor } from '../../adapters/images/sharp-image-processor.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { realDatabases } from '../support/databases.js';
import { startFakeAi, type FakeAi } from '../support/fake-ai-server.js';
import { solidImage } from '../support/images.js';
import { startPublishingApp, type PublishingApp, type PublishingInstance } from '../support/publishing-app.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';

const MINUTE = 60_000;
/** S3_PREFIX's default: every key is this plus the media name. */
const PREFIX = 'media/';
const PORTRAIT = { name: '민지', gender: '여성', options: ['웃음'] };

const keyOf = (url: string) => PREFIX + url.slice('/media/'.length);
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

/**
 * Issue 20, end to end: two instances as on two machines (one MariaDB database, each its own MEDIA_ROOT, one
 * bucket on s3rver, MEDIA_STORE=s3). A serves the web only; B also runs the job worker. Needs TEST_MYSQL_URL
 * (CI sets it): a second instance on the embedded SQLite file is not a deployment.
 */
for (const database of realDatabases().filter((candidate) => candidate.name === 'MariaDB')) {
  describe(`two instances on one ${database.name} database, each with its own MEDIA_ROOT, one bucket (MEDIA_STORE=s3)`, function () {
    this.timeout(60_000);
    let s3: S3Server;
    let ai: FakeAi;
    let clock: FixedClock;
    let logs: { a: CapturedLogs; b: CapturedLogs };
    /** The web instance (the test world: the user, the linked persona, the fake Graph server). */
    let a: PublishingApp;
    /** The other machine's instance, the only one running the worker. */
    let b: PublishingInstance;

    beforeEach(async () => {
      s3 = await startS3Server();
      ai = await startFakeAi();
      clock = new FixedClock(new Date());
      logs = { a: captureLogs(), b: captureLogs() };
      const env = { ...s3.env, AI_SERVICE_URL: ai.url };
      a = await startPublishingApp(database, { clock, worker: false, provider: 'google', env, logger: logs.a.logger });
      b = await a.instance({ worker: true, logger: logs.b.logger });
    });
    afterEach(async () => {
      await a.close();
      await Promise.all([
        ai.close(),
        s3.close(),
        rm(a.mediaRoot, { recursive: true, force: true }),
        rm(b.mediaRoot, { recursive: true, force: true }),
      ]);
    });

    async function expectNothingOnDisk() {
      for (const root of [a.mediaRoot, b.mediaRoot]) expect(await readdir(root), `${root} is empty`).to.deep.equal([]);
    }

    /** An image uploaded through B, in a post created and sent to publish through A, and published by B's worker. */
    async function publishedUploadOfB() {
      const png = await solidImage(1000, 1250);
      const uploaded = (await a.expectStatus(await b.upload(png), 201)).media;
      const draft = await a.draft(a.personas[0].id, [uploaded.id]);
      await a.expectStatus(await a.send('POST', `/api/posts/${draft.id}/publish`), 202);
      const post = await a.settled(draft.id);
      expect(post.status, JSON.stringify(post.error)).to.equal('published');
      const prepared = (await a.persistence.posts.findById(draft.id))!.media[0].preparedUrl!;
      return { png, uploaded, prepared };
    }

    it('an image generated through A is served by B, byte for byte, from the bucket', async () => {
      const generated = await a.expectStatus(await a.send('POST', '/api/images', PORTRAIT), 200);
      expect(generated).to.include({ source: 'ai' });
      expect(await s3.keys()).to.include(keyOf(generated.url));

      const served = await b.app.fetch(generated.url);
      expect(served.status).to.equal(200);
      expect(served.headers.get('content-type')).to.equal('image/png');
      expect(await bytesOf(served)).to.deep.equal(ai.pngBytes);
      await expectNothingOnDisk();
    });

    it('an upload through B is used in a post created through A; B’s worker publishes it and the fake Meta downloads the prepared JPEG from a presigned URL', async () => {
      const { png, uploaded, prepared } = await publishedUploadOfB();
      expect(await bytesOf(await a.app.fetch(uploaded.url)), 'A serves B’s upload').to.deep.equal(png);

      const [live] = a.meta.publishing.published;
      const container = a.meta.publishing.containers.get(live.containerId)!;
      const imageUrl = new URL(container.imageUrl!);
      expect(imageUrl.origin, 'the bucket, not an app').to.equal(s3.url);
      expect(imageUrl.pathname).to.equal(`/${s3.bucket}/${keyOf(prepared)}`);
      expect(imageUrl.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);
      const expected = await new SharpImageProcessor().prepareForInstagram(png);
      expect(container.image, 'what Meta downloaded is the upload, prepared').to.deep.equal(expected);
      expect(await s3.read(keyOf(prepared)), 'the prepared object').to.deep.equal(expected);
      expect(await bytesOf(await b.app.fetch(prepared))).to.deep.equal(expected);
      await expectNothingOnDisk();
    });

    it('deleting the account through A removes its objects from the bucket', async () => {
      const generated = await a.expectStatus(await a.send('POST', '/api/images', PORTRAIT), 200);
      const { uploaded, prepared } = await publishedUploadOfB();
      const urls = [
        generated.url,
        uploaded.url,
        prepared,
        ...(await a.persistence.mediaLibrary.listByUser(a.userId, { limit: 50 })).items.map((m) => m.url),
      ];
      const keys = await s3.keys();
      expect(keys).to.include.members(urls.map(keyOf));
      expect(keys).to.have.length(6); // the world's 3 uploads, the portrait, B's upload and its prepared JPEG

      expect(await a.expectStatus(await a.send('DELETE', '/users/me'), 200)).to.deep.equal({ ok: true });
      expect(await s3.keys()).to.deep.equal([]);
      for (const url of urls) expect((await b.app.fetch(url)).status, url).to.equal(404);
    });

    it('a stopped bucket: 503s and no 500 on either instance, the publish job waits; back again, everything works with no restart', async () => {
      const generated = await a.expectStatus(await a.send('POST', '/api/images', PORTRAIT), 200);
      const draft = await a.draft(a.personas[0].id);
      await s3.stop();
      try {
        for (const instance of [a, b]) {
          for (const res of [await instance.app.fetch(generated.url), await instance.upload(await solidImage(640, 640))]) {
            expect(res.status).to.equal(503);
            expect(await res.json()).to.include({ ok: false, error: 'media_store_unavailable' });
          }
          const card = await a.expectStatus(await instance.send('POST', '/api/images', PORTRAIT), 200);
          expect(card, 'the SVG card').to.include({ source: 'fallback', url: null });
          await a.expectStatus(await instance.send('GET', '/api/media'), 200);
        }
        await a.expectStatus(await a.send('POST', `/api/posts/${draft.id}/publish`), 202);
        await a.waitingAfter(draft.id, 1);
        expect((await a.post(draft.id)).status).to.equal('publishing');
      } finally {
        await s3.start();
      }

      clock.advance(2 * MINUTE);
      expect((await a.settled(draft.id)).status).to.equal('published');
      for (const instance of [a, b]) {
        expect(await bytesOf(await instance.app.fetch(generated.url))).to.deep.equal(ai.pngBytes);
        await a.expectStatus(await instance.upload(await solidImage(640, 640)), 201);
        expect(await a.expectStatus(await instance.send('POST', '/api/images', PORTRAIT), 200)).to.include({ source: 'ai' });
      }
      for (const [name, captured] of Object.entries(logs)) {
        const statuses = captured
          .entries()
          .filter((entry) => entry.msg === 'request')
          .map((entry) => entry.status as number);
        expect(statuses, `${name} answered 503s`).to.include(503);
        expect(
          statuses.filter((status) => status >= 500 && status !== 503),
          `${name}: no other 5xx`,
        ).to.deep.equal([]);
        expect(
          captured.entries().filter((entry) => entry.msg === 'unhandled error'),
          `${name}: nothing unhandled`,
        ).to.deep.equal([]);
        expect(captured.entries().some((entry) => entry.msg === 'media store unavailable' && entry.level === 40)).to.equal(true);
      }
      await expectNothingOnDisk();
    });
  });
}
