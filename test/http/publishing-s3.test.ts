import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { realDatabases } from '../support/databases.js';
import { startPublishingApp, type PublishingApp } from '../support/publishing-app.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';

const PRESIGN_SECONDS = '900';
const MINUTE = 60_000;

for (const database of realDatabases()) {
  describe(`publishing with MEDIA_STORE=s3 on ${database.name}: Meta fetches from the bucket, never from the app`, function () {
    this.timeout(60_000);
    let s3: S3Server;
    let world: PublishingApp;
    let clock: FixedClock;

    before(async () => {
      s3 = await startS3Server();
    });
    after(() => s3.close());
    beforeEach(async () => {
      clock = new FixedClock(new Date());
      world = await startPublishingApp(database, { clock, worker: true, env: { ...s3.env, S3_PRESIGN_SECONDS: PRESIGN_SECONDS } });
    });
    afterEach(() => world.close());

    const publishNow = async () => {
      const draft = await world.draft(world.personas[0].id);
      await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
      return draft.id as number;
    };

    it('the container’s image_url is a GET of the prepared JPEG presigned for S3_PRESIGN_SECONDS; its bytes are the app’s', async () => {
      const post = await world.settled(await publishNow());
      expect(post.status, JSON.stringify(post.error)).to.equal('published');
      const [live] = world.meta.publishing.published;
      const imageUrl = new URL(world.meta.publishing.containers.get(live.containerId)!.imageUrl!);
      expect(imageUrl.origin).to.equal(s3.url);
      expect(imageUrl.pathname).to.match(new RegExp(`^/${s3.bucket}/(.+/)?[0-9a-f]{64}\\.jpg$`));
      expect(imageUrl.searchParams.get('X-Amz-Expires')).to.equal(PRESIGN_SECONDS);
      expect(imageUrl.searchParams.get('X-Amz-Signature')).to.match(/^[0-9a-f]{64}$/);

      const fetched = await fetch(imageUrl);
      expect(fetched.status).to.equal(200);
      const jpeg = Buffer.from(await fetched.arrayBuffer());
      expect([...jpeg.subarray(0, 3)]).to.deep.equal([0xff, 0xd8, 0xff]);
      const served = await world.app.fetch(`/media/${imageUrl.pathname.split('/').pop()}`);
      expect(Buffer.from(await served.arrayBuffer()), 'the object the app serves').to.deep.equal(jpeg);
      expect(await readdir(world.mediaRoot), 'nothing under MEDIA_ROOT').to.deep.equal([]);
    });

    it('Meta could not download the image (9004/2207052) → retried after the back-off with a presigned URL again, then published', async () => {
      world.meta.publishing.failures.container = [
        {
          status: 400,
          body: { error: { message: 'Media download has failed.', type: 'OAuthException', code: 9004, error_subcode: 2207052 } },
        },
      ];
      const id = await publishNow();
      await world.waitingAfter(id, 1);
      expect((await world.post(id)).status).to.equal('publishing');
      clock.advance(2 * MINUTE);
      const post = await world.settled(id);
      expect(post).to.include({ status: 'published', attempts: 2 });
      const containerCalls = world.meta.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/media') && r.form?.image_url);
      expect(containerCalls).to.have.length(2);
      for (const call of containerCalls) expect(new URL(call.form!.image_url).searchParams.get('X-Amz-Expires')).to.equal(PRESIGN_SECONDS);
    });
  });
}
