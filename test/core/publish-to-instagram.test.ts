import { expect } from 'chai';
import { tokenAssociatedData } from '../../core/instagram/index.js';
import sinon from 'sinon';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { BaseUrlMediaUrls } from '../../adapters/media/public-media-urls.js';
import { graphFailure } from '../../adapters/meta/graph-failure.js';
import { MAX_TRIES, type JobWorker } from '../../core/jobs/index.js';
import {
  metaSaid,
  postError,
  PUBLISH_POST_JOB,
  publishJobKey,
  type Post,
  type PostKind,
  PublishFailure,
  PublishToInstagram,
} from '../../core/publishing/index.js';
import { publishingWorld, real, T0 } from '../support/publishing-world.js';

const BASE = 'https://media.selfstar.example';
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const OPTIONS = { statusPollMs: 0, statusPolls: 3, quotaRecheckMs: 900_000 };

/** Everything below holds on both link paths: the publisher picks the Graph by the token, the job does not care. */
for (const login of ['facebook', 'instagram'] as const)
  describe(`PublishToInstagram (the publish_post job), linked through ${login === 'facebook' ? 'Facebook' : 'Instagram'} Login`, () => {
    let world: Awaited<ReturnType<typeof publishingWorld>>;
    let posts: InMemoryPostRepository;
    let files: InMemoryMediaStore;
    let prepare: sinon.SinonStub;
    let worker: JobWorker;

    beforeEach(async () => {
      world = await publishingWorld(login);
      posts = new InMemoryPostRepository(world.jobs);
      files = new InMemoryMediaStore();
      prepare = sinon.stub().callsFake(async (bytes: Uint8Array) => Buffer.concat([JPEG, bytes]));
      const images = { inspect: sinon.stub(), prepareForInstagram: prepare };
      const { personas, pageTokens, tokens, ig, clock, logs } = world;
      const handler = new PublishToInstagram(
        posts,
        personas,
        pageTokens,
        tokens,
        ig,
        files,
        new BaseUrlMediaUrls(BASE),
        images,
        clock,
        logs,
        OPTIONS,
      );
      worker = world.workerFor({ [PUBLISH_POST_JOB]: handler.handle });
    });

    /** A post of `images` images, `publishing` (as publish-now leaves it) or `scheduled`, and its queued job. */
    async function queuedPost(images = 1, status: 'publishing' | 'scheduled' = 'publishing', kind: PostKind = 'feed'): Promise<Post> {
      const media = [];
      for (let i = 0; i < images; i++) media.push({ mediaId: i + 1, url: await files.save(Buffer.from(`png ${i}`), 'png') });
      const caption = kind === 'story' ? '' : '오늘 #selfstar';
      const draft = await posts.create({ userId: 1, personaId: world.persona.id, kind, caption, altText: '웃는 얼굴', media }, T0);
      const post = (await posts.update(draft.id, ['draft'], { status }, T0))!;
      await world.jobs.enqueue(
        { kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: publishJobKey(post.id), lane: 'ig', runAt: T0 },
        T0,
      );
      return post;
    }
    const postNow = async (post: Post) => (await posts.findById(post.id))!;
    const jobOf = async (post: Post) => (await world.jobs.findByDedupeKey(publishJobKey(post.id)))!;
    /** Runs the job until it leaves the queue, moving the clock to each of its runs. */
    async function runToEnd(post: Post): Promise<void> {
      for (let job = await jobOf(post); job.state === 'queued'; job = await jobOf(post)) {
        world.clock.advance(Math.max(0, job.runAt.getTime() - world.clock.now().getTime()));
        expect(await worker.runOnce(), 'a due job').to.equal(true);
      }
    }
    const graphCalls = ({ ig } = world) =>
      [
        ig.createImageContainer,
        ig.createCarouselItem,
        ig.createCarouselContainer,
        ig.containerStatus,
        ig.publish,
        ig.publishingQuota,
      ].reduce((sum, stub) => sum + stub.callCount, 0);
    const unknownOutcome = () => new PublishFailure('unknown_outcome', 'Meta did not answer.');

    it('publishes a single image: prepared JPEG at the public URL, container with caption and alt text, permalink', async () => {
      const post = await queuedPost(1);
      await runToEnd(post);
      const after = await postNow(post);
      expect(prepare.firstCall.args[1], 'prepared for the feed').to.equal('feed');
      const preparedUrl = after.media[0].preparedUrl!;
      expect(preparedUrl).to.match(/^\/memory\/[0-9a-f]{64}\.jpg$/);
      expect(files.files.get(preparedUrl.slice('/memory/'.length))).to.deep.equal(Buffer.concat([JPEG, Buffer.from('png 0')]));
      expect(world.ig.createImageContainer.firstCall.args.slice(1)).to.deep.equal([
        world.persona.instagram!.igUserId,
        { imageUrl: `${BASE}${preparedUrl}`, caption: '오늘 #selfstar', altText: '웃는 얼굴' },
      ]);
      expect(world.ig.publish.callCount).to.equal(1);
      const mediaId = await world.ig.publish.firstCall.returnValue;
      expect(after).to.deep.include({ status: 'published', igMediaId: mediaId, publishedAt: T0, error: null, attempts: 1 });
      expect(after.containerId).to.equal(world.ig.publish.firstCall.args[2]);
      expect(after.permalink).to.match(/^https:\/\/www\.instagram\.com\/p\/mock[0-9]+\/$/);
      expect(world.ig.publishingQuota.callCount).to.equal(1);
      expect((await jobOf(post)).state).to.equal('done');
    });

    it('publishes a story: its image prepared for a story, one container told it is a story (no caption, no alt text), media_publish once', async () => {
      const post = await queuedPost(1, 'scheduled', 'story');
      await runToEnd(post);
      const after = await postNow(post);
      expect(prepare.firstCall.args[1], 'prepared as a story (9:16)').to.equal('story');
      expect(world.ig.createImageContainer.callCount).to.equal(1);
      expect(world.ig.createImageContainer.firstCall.args.slice(1)).to.deep.equal([
        world.persona.instagram!.igUserId,
        { imageUrl: `${BASE}${after.media[0].preparedUrl}`, kind: 'story' },
      ]);
      expect(world.ig.createCarouselItem.callCount + world.ig.createCarouselContainer.callCount).to.equal(0);
      expect(world.ig.publish.callCount).to.equal(1);
      expect(after).to.deep.include({ kind: 'story', status: 'published', error: null, attempts: 1 });
      expect(after.permalink).to.match(/^https:\/\/www\.instagram\.com\/stories\//);
      expect((await jobOf(post)).state).to.equal('done');
    });

    it('publishes a carousel: one item per image in order, then the CAROUSEL container with their ids and the caption', async () => {
      const post = await queuedPost(3, 'scheduled');
      await runToEnd(post);
      const after = await postNow(post);
      expect(world.ig.createCarouselItem.callCount).to.equal(3);
      const imageUrls = world.ig.createCarouselItem.getCalls().map((call) => call.args[2]);
      expect(imageUrls).to.deep.equal(after.media.map((m) => ({ imageUrl: `${BASE}${m.preparedUrl}` })));
      expect(world.ig.createCarouselContainer.firstCall.args.slice(2)).to.deep.equal([
        after.media.map((m) => m.containerId),
        '오늘 #selfstar',
      ]);
      expect(world.ig.createImageContainer.callCount).to.equal(0);
      expect(after).to.deep.include({ status: 'published', containerId: await world.ig.createCarouselContainer.firstCall.returnValue });
      expect(after.permalink).to.be.a('string');
      expect((await jobOf(post)).state).to.equal('done');
    });

    describe('stopping between phases, and resuming where it stopped', () => {
      const steps = ['createCarouselItem', 'createCarouselContainer', 'containerStatus', 'publishingQuota'] as const;
      for (const step of steps) {
        it(`stopped after ${step}: the job is released, nothing after it was called; the next run redoes nothing`, async () => {
          const post = await queuedPost(2);
          world.ig[step].onFirstCall().callsFake(async (...args: unknown[]) => {
            const answer = await (real(world, step) as (...a: unknown[]) => Promise<unknown>)(...args);
            void worker.stop(); // the worker is stopping: the handler gives the job up at its next phase
            return answer;
          });
          const before = { items: 0, carousel: 0 };
          expect(await worker.runOnce()).to.equal(true);
          const released = await jobOf(post);
          expect(released).to.deep.include({ state: 'queued', attempts: 0 });
          expect(world.ig.publish.callCount, 'publish never reached').to.equal(0);
          expect((await postNow(post)).status).to.equal('publishing');
          before.items = world.ig.createCarouselItem.callCount;
          before.carousel = world.ig.createCarouselContainer.callCount;
          if (step === 'createCarouselItem') expect(before).to.deep.equal({ items: 1, carousel: 0 });

          expect(await worker.runOnce()).to.equal(true);
          const after = await postNow(post);
          expect(after.status).to.equal('published');
          expect(world.ig.createCarouselItem.callCount, 'each item made once').to.equal(2);
          expect(world.ig.createCarouselContainer.callCount, 'the carousel made once').to.equal(1);
          expect(world.ig.publish.callCount).to.equal(1);
          expect(prepare.callCount, 'each image prepared once').to.equal(2);
          expect(after.attempts).to.equal(1);
        });
      }
    });

    describe('media_publish is never called twice blindly', () => {
      it('unknown outcome, then the container reads PUBLISHED: published, with exactly one publish call', async () => {
        const post = await queuedPost(1);
        world.ig.publish.onFirstCall().callsFake(async (...args: Parameters<typeof world.ig.publish>) => {
          await real(world, 'publish')(...args); // it went live, but the answer was lost
          throw unknownOutcome();
        });
        expect(await worker.runOnce()).to.equal(true);
        expect(await jobOf(post)).to.deep.include({ state: 'queued', phase: 'publish' });
        expect((await postNow(post)).status).to.equal('publishing');
        await runToEnd(post);
        expect(world.ig.publish.callCount).to.equal(1);
        const after = await postNow(post);
        // The container does not name the media it became: no media id, no permalink.
        expect(after).to.deep.include({ status: 'published', igMediaId: null, permalink: null, error: null });
        expect(world.ig.containerStatus.lastCall.args[1]).to.equal(after.containerId);
        expect((await jobOf(post)).state).to.equal('done');
      });

      it('unknown outcome, then the container reads FINISHED: published by one more publish call', async () => {
        const post = await queuedPost(1);
        world.ig.publish.onFirstCall().rejects(unknownOutcome());
        await runToEnd(post);
        expect(world.ig.publish.callCount).to.equal(2);
        expect(await postNow(post)).to.deep.include({ status: 'published' });
        expect((await postNow(post)).igMediaId).to.equal(await world.ig.publish.secondCall.returnValue);
      });

      it('the container cannot be read after an unknown outcome: retried, never published again', async () => {
        const post = await queuedPost(1);
        world.ig.publish.onFirstCall().rejects(unknownOutcome());
        expect(await worker.runOnce()).to.equal(true);
        world.ig.containerStatus.rejects(new PublishFailure('transient', 'busy', 2));
        world.clock.advance((await jobOf(post)).runAt.getTime() - world.clock.now().getTime());
        expect(await worker.runOnce()).to.equal(true);
        expect(await jobOf(post)).to.deep.include({ state: 'queued', phase: 'publish', attempts: 2 });
        expect(world.ig.publish.callCount).to.equal(1);
      });

      it('still unknown at the last try: the post and the job end needs_attention', async () => {
        const post = await queuedPost(1);
        world.ig.publish.rejects(unknownOutcome());
        await runToEnd(post);
        const after = await postNow(post);
        expect(after).to.deep.include({ status: 'needs_attention', attempts: MAX_TRIES });
        expect(after.error!.code).to.equal('publish_unverified');
        expect(await jobOf(post)).to.deep.include({ state: 'needs_attention', attempts: MAX_TRIES });
        expect(world.ig.publish.callCount, 'each try read FINISHED first, then published once').to.equal(MAX_TRIES);
      });

      it('Meta refuses the token while the outcome is unknown: needs_attention at once, and the persona needs reconnecting', async () => {
        const post = await queuedPost(1);
        world.ig.publish.onFirstCall().rejects(unknownOutcome());
        await worker.runOnce();
        world.ig.containerStatus.rejects(new PublishFailure('token_expired', 'Session has expired', 190, 463));
        world.clock.advance(3_600_000);
        await worker.runOnce();
        expect((await postNow(post)).status).to.equal('needs_attention');
        expect((await jobOf(post)).state).to.equal('needs_attention');
        expect((await world.tokens.get(1, world.persona.num))!.needsReconnect).to.equal(true);
      });
    });

    describe('failures', () => {
      it('transient: retried with back-off, then failed after MAX_TRIES with Meta’s message', async () => {
        const post = await queuedPost(1);
        world.ig.createImageContainer.rejects(new PublishFailure('transient', 'Service temporarily unavailable', 2));
        expect(await worker.runOnce()).to.equal(true);
        expect(await jobOf(post)).to.deep.include({ state: 'queued', lastError: 'Service temporarily unavailable' });
        expect((await postNow(post)).status).to.equal('publishing');
        await runToEnd(post);
        const after = await postNow(post);
        expect(after).to.deep.include({ status: 'failed', attempts: MAX_TRIES });
        expect(after.error).to.deep.equal({
          code: 'publish_failed',
          said: metaSaid('Service temporarily unavailable'),
          metaCode: 2,
          metaSubcode: null,
        });
        expect((await jobOf(post)).state).to.equal('failed');
        expect(world.ig.createImageContainer.callCount).to.equal(MAX_TRIES);
      });

      it('an image Meta could not download (9004/2207052) is retried like a transient failure, then published', async () => {
        const post = await queuedPost(1);
        const downloadFailed = graphFailure(400, { error: { code: 9004, error_subcode: 2207052, message: 'download failed' } }, false);
        world.ig.createImageContainer.onFirstCall().rejects(downloadFailed);
        expect(await worker.runOnce()).to.equal(true);
        expect(await jobOf(post)).to.deep.include({ state: 'queued', lastError: 'download failed' });
        expect((await postNow(post)).status).to.equal('publishing');
        await runToEnd(post);
        expect((await postNow(post)).status).to.equal('published');
        expect(world.ig.createImageContainer.callCount).to.equal(2);
        const { preparedUrl } = (await postNow(post)).media[0];
        expect(world.ig.createImageContainer.secondCall.args[2].imageUrl, 'the URL asked for again').to.equal(`${BASE}${preparedUrl}`);
      });

      it('an unexpected throw is retried like a transient failure, and the post never stays publishing', async () => {
        const post = await queuedPost(1);
        posts.saveMediaProgress = sinon.stub().rejects(new Error('database went away'));
        await runToEnd(post);
        expect(await postNow(post)).to.deep.include({ status: 'failed' });
        expect((await postNow(post)).error!.code).to.equal('publish_failed');
        expect((await jobOf(post)).state).to.equal('failed');
        expect(graphCalls()).to.equal(0);
      });

      it('code 190: failed persona_oauth_expired and the persona marked needs_reconnect', async () => {
        const post = await queuedPost(1);
        world.ig.publishingQuota.rejects(new PublishFailure('token_expired', 'Session has expired', 190, 463));
        await runToEnd(post);
        expect((await postNow(post)).error).to.deep.equal({
          code: 'persona_oauth_expired',
          said: { key: 'post_persona_oauth_expired' },
          metaCode: 190,
          metaSubcode: 463,
        });
        expect((await jobOf(post)).state).to.equal('failed');
        expect((await world.tokens.get(1, world.persona.num))!.needsReconnect).to.equal(true);
        expect(world.ig.publish.callCount).to.equal(0);
      });

      it('permanent: failed with Meta’s message and codes; an image Meta refused (rejected_media) is media_rejected', async () => {
        const post = await queuedPost(1);
        world.ig.createImageContainer
          .onFirstCall()
          .rejects(new PublishFailure('rejected_media', 'Only JPEG images can be published.', 36001, 2207083));
        await runToEnd(post);
        expect((await postNow(post)).error).to.deep.equal({
          code: 'media_rejected',
          said: metaSaid('Only JPEG images can be published.'),
          metaCode: 36001,
          metaSubcode: 2207083,
        });
        const other = await queuedPost(1);
        world.ig.publishingQuota.rejects(new PublishFailure('permanent', 'Application does not have permission', 10));
        await runToEnd(other);
        expect((await postNow(other)).error).to.deep.include({ code: 'publish_failed', metaCode: 10 });
        expect((await jobOf(other)).state).to.equal('failed');
        expect(world.ig.createImageContainer.callCount + world.ig.publishingQuota.callCount).to.equal(3);
      });

      it('a container Meta could not process (ERROR): failed, containers forgotten so a retry makes new ones', async () => {
        const post = await queuedPost(2);
        world.ig.containerStatus.resolves('ERROR');
        await runToEnd(post);
        const after = await postNow(post);
        expect(after).to.deep.include({ status: 'failed', containerId: null });
        expect(after.error!.code).to.equal('container_failed');
        expect(after.media.map((m) => m.containerId)).to.deep.equal([null, null]);
        expect(
          after.media.every((m) => m.preparedUrl !== null),
          'the prepared files are kept',
        ).to.equal(true);
        expect(world.ig.publish.callCount).to.equal(0);
      });

      it('an image whose file is gone: failed media_unavailable, nothing sent to Meta', async () => {
        const post = await queuedPost(1);
        await files.remove(post.media[0].url);
        await runToEnd(post);
        expect((await postNow(post)).error!.code).to.equal('media_unavailable');
        expect(graphCalls()).to.equal(0);
      });

      it('persona not linked: failed persona_not_linked, no Graph call', async () => {
        const post = await queuedPost(1);
        await world.personas.unlinkInstagram(1, { id: world.persona.id });
        await runToEnd(post);
        expect(await postNow(post)).to.deep.include({ status: 'failed' });
        expect((await postNow(post)).error!.code).to.equal('persona_not_linked');
        expect((await jobOf(post)).state).to.equal('failed');
        expect(graphCalls()).to.equal(0);
      });

      it('a user token that expired before the Page token was kept: failed persona_oauth_expired, needs_reconnect', async () => {
        const post = await queuedPost(1);
        const sealed = world.cipher.seal('USER-TOKEN', tokenAssociatedData(1, world.persona.num));
        await world.tokens.save(1, world.persona.num, {
          sealed,
          expiresAt: new Date(T0.getTime() - 1000),
          metaUserId: '1',
          storedAt: T0,
          login: world.login,
        });
        await runToEnd(post);
        expect((await postNow(post)).error!.code).to.equal('persona_oauth_expired');
        expect((await world.tokens.get(1, world.persona.num))!.needsReconnect).to.equal(true);
        expect(graphCalls()).to.equal(0);
      });
    });

    it('the quota used up: the job comes back later (the try not counted), the post stays publishing', async () => {
      const post = await queuedPost(1);
      world.ig.publishingQuota.onFirstCall().resolves({ used: 100, total: 100, windowSeconds: 86_400 });
      expect(await worker.runOnce()).to.equal(true);
      expect(await jobOf(post)).to.deep.include({ state: 'queued', attempts: 0, runAt: new Date(T0.getTime() + 900_000) });
      expect((await postNow(post)).status).to.equal('publishing');
      expect(world.ig.publish.callCount).to.equal(0);
      await runToEnd(post);
      expect((await postNow(post)).status).to.equal('published');
      expect(world.ig.createImageContainer.callCount).to.equal(1);
    });

    it('a container still in progress after the poll budget: later, not a failure', async () => {
      const post = await queuedPost(1);
      world.ig.containerStatus.resolves('IN_PROGRESS');
      expect(await worker.runOnce()).to.equal(true);
      expect(world.ig.containerStatus.callCount).to.equal(OPTIONS.statusPolls);
      expect(await jobOf(post)).to.deep.include({ state: 'queued', attempts: 0, phase: 'status' });
      expect((await postNow(post)).status).to.equal('publishing');
    });

    describe('posts that are no longer to be published: done, no Graph call', () => {
      it('deleted', async () => {
        const post = await queuedPost(1, 'scheduled');
        await posts.delete(post.id, ['scheduled']);
        await world.jobs.enqueue({ kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: 'again', lane: null, runAt: T0 }, T0);
        expect(await worker.runOnce()).to.equal(true);
        expect((await world.jobs.findByDedupeKey('again'))!.state).to.equal('done');
        expect(graphCalls()).to.equal(0);
      });

      it('unscheduled back to draft, or already published', async () => {
        for (const status of ['draft', 'published'] as const) {
          const post = await queuedPost(1, 'scheduled');
          await posts.update(post.id, ['scheduled'], { status }, T0);
          expect(await worker.runOnce()).to.equal(true);
          expect((await jobOf(post)).state).to.equal('done');
          expect((await postNow(post)).status).to.equal(status);
        }
        expect(graphCalls()).to.equal(0);
      });

      it('already failed (the worker died before recording the job): the job ends failed too, so a retry can queue it again', async () => {
        const post = await queuedPost(1);
        const error = postError('publish_failed', metaSaid('refused'), { metaCode: 100, metaSubcode: null });
        await posts.update(post.id, ['publishing'], { status: 'failed', error }, T0);
        expect(await worker.runOnce()).to.equal(true);
        expect(await jobOf(post)).to.deep.include({ state: 'failed', lastError: 'publish_failed: refused' });
        expect(graphCalls()).to.equal(0);
      });
    });
  });
