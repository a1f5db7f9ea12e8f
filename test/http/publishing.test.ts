import { expect } from 'chai';
import { DateTime } from 'luxon';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { publisherConfig } from '../../composition/features/publishing/module.js';
import { GotInstagramPublisher } from '../../adapters/meta/got-instagram-publisher.js';
import type { Config } from '../../composition/config.js';
import { TOKENS } from '../../composition/tokens.js';
import { realDatabases } from '../support/databases.js';
import { transientGraphError } from '../support/fake-meta-publishing.js';
import { LINK_PATHS, startPublishingApp, type PublishingApp } from '../support/publishing-app.js';
import type { Logger } from 'pino';

/** The publisher's timeout here: a media_publish whose answer is lost times out quickly. */
const PUBLISH_TIMEOUT_MS = 3000;
const MINUTE = 60_000;

/** `clock`'s time plus `minutes`, as the contract's local time in APP_TIMEZONE (Asia/Seoul). */
const seoulTime = (clock: FixedClock, minutes: number) =>
  DateTime.fromJSDate(clock.now()).setZone('Asia/Seoul').plus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");

for (const database of realDatabases())
  for (const login of LINK_PATHS) {
    describe(`publishing end to end on ${database.name}, linked through ${login} login: the app, its worker and the fake Graph API`, function () {
      this.timeout(60_000);
      let world: PublishingApp;
      let clock: FixedClock;
      let personaId: number;

      beforeEach(async () => {
        clock = new FixedClock(new Date());
        world = await startPublishingApp(database, {
          clock,
          login,
          worker: true,
          rebind: (c) =>
            c
              .rebind(TOKENS.InstagramPublisher)
              .toResolvedValue(
                (config: Config, logger: Logger) => new GotInstagramPublisher(publisherConfig(config), logger, PUBLISH_TIMEOUT_MS),
                [TOKENS.Config, TOKENS.Logger],
              ),
        });
        personaId = world.personas[0].id;
      });
      afterEach(() => world.close());

      const publishNow = async (images?: number[]) => {
        const draft = await world.draft(personaId, images);
        await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
        return draft.id as number;
      };
      const schedule = (postId: number, at: string) => world.send('POST', `/api/posts/${postId}/schedule`, { at });

      it('post now → published with its permalink; exactly one media_publish of a container of the prepared JPEG', async () => {
        const post = await world.settled(await publishNow());
        const [live] = world.graph.publishing.published;
        expect(post).to.include({ status: 'published', ig_media_id: live.id, permalink: live.permalink, error: null });
        expect(world.graph.publishCalls()).to.have.length(1);
        const container = world.graph.publishing.containers.get(live.containerId)!;
        expect(container.imageUrl).to.match(new RegExp(`^${world.app.url}/media/.+\\.jpg$`));
        expect(container.caption).to.equal('셀프스타 #첫게시물');
        const other = login === 'facebook' ? world.instagram : world.meta;
        expect(
          other.requests.filter((r) => r.path.startsWith('/v25.0/')),
          'nothing went to the other Graph',
        ).to.deep.equal([]);
        const calls = world.graph.requests.filter((r) => r.path.startsWith('/v25.0/'));
        expect(calls.every((r) => typeof r.query.access_token === 'string')).to.equal(true);
        // appsecret_proof is Facebook Login's (the fake Meta refuses a call without it); the Instagram Graph takes the account's token alone.
        expect(calls.map((r) => 'appsecret_proof' in r.query)).to.deep.equal(calls.map(() => login === 'facebook'));
      });

      it('a carousel of 3 images → published: three items in one CAROUSEL container, one media_publish', async () => {
        const post = await world.settled(await publishNow(world.media));
        expect(post).to.include({ status: 'published' });
        expect(post.permalink).to.be.a('string');
        const [live] = world.graph.publishing.published;
        const carousel = world.graph.publishing.containers.get(live.containerId)!;
        expect(carousel.children).to.have.length(3);
        expect(carousel.children.map((id) => world.graph.publishing.containers.get(id)!.carouselItem)).to.deep.equal([true, true, true]);
        expect(world.graph.publishCalls()).to.have.length(1);
      });

      it('a schedule fires at its time; one in the past is refused 422 schedule_in_past', async () => {
        const { id } = await world.draft(personaId);
        await world.expectError(await schedule(id, seoulTime(clock, -1)), 422, 'schedule_in_past');
        const scheduled = (await world.expectStatus(await schedule(id, seoulTime(clock, 2)), 200)).post;
        expect(scheduled.status).to.equal('scheduled');
        expect(world.graph.publishCalls(), 'not before its time').to.have.length(0);
        clock.advance(3 * MINUTE);
        const post = await world.settled(id);
        expect(post).to.include({ status: 'published', scheduled_at: scheduled.scheduled_at });
        expect(world.graph.publishCalls()).to.have.length(1);
      });

      for (const lost of ['hang', 'reset'] as const) {
        it(`a media_publish whose answer is lost (${lost}) although the post went live → published, one media_publish`, async () => {
          world.graph.publishing.loseNextPublishAnswer = lost;
          const id = await publishNow();
          await world.waitingAfter(id, 1);
          clock.advance(MINUTE); // the back-off
          const post = await world.settled(id);
          expect(post.status).to.equal('published');
          expect(world.graph.publishCalls()).to.have.length(1);
          expect(world.graph.publishing.published).to.have.length(1);
        });
      }

      it('transient errors (making the container, then media_publish) → retried after the back-off and published once', async () => {
        world.graph.publishing.failures.container = [transientGraphError()];
        world.graph.publishing.failures.publish = [transientGraphError()];
        const id = await publishNow();
        for (const attempts of [1, 2]) {
          await world.waitingAfter(id, attempts);
          clock.advance(2 * MINUTE);
        }
        const post = await world.settled(id);
        expect(post).to.include({ status: 'published', attempts: 3 });
        expect(world.graph.publishing.published).to.have.length(1);
        expect(world.graph.publishCalls(), 'the refused one and the one that published').to.have.length(2);
      });

      it('Meta answers 190 → failed with persona_oauth_expired, and the persona’s status needs_reconnect', async () => {
        world.graph.expireTokens();
        const post = await world.settled(await publishNow());
        expect(post.status).to.equal('failed');
        expect(post.error.code).to.equal('persona_oauth_expired');
        expect(world.graph.publishCalls()).to.have.length(0);
        const status = await world.expectStatus(await world.send('GET', `/api/personas/${personaId}/instagram/status`), 200);
        expect(status.instagram.needs_reconnect).to.equal(true);
      });

      it('quota used up → the post waits publishing with no media_publish; once the quota frees, it goes out', async () => {
        world.graph.publishing.quotaUsage = world.graph.publishing.quotaTotal;
        const id = await publishNow();
        await world.waitingAfter(id, 0);
        expect((await world.job(id))!.phase).to.equal('quota');
        expect((await world.post(id)).status).to.equal('publishing');
        expect(world.graph.publishCalls()).to.have.length(0);
        world.graph.publishing.quotaUsage = undefined;
        clock.advance(2 * MINUTE);
        expect((await world.settled(id)).status).to.equal('published');
        expect(world.graph.publishCalls()).to.have.length(1);
      });

      it('a scheduled post deleted never goes out: no container, no media_publish, its job cancelled', async () => {
        const { id } = await world.draft(personaId);
        await world.expectStatus(await schedule(id, seoulTime(clock, 2)), 200);
        await world.expectStatus(await world.send('DELETE', `/api/posts/${id}`), 200);
        clock.advance(3 * MINUTE);
        // A post published after it: once it is out, the worker has been past the deleted one's time.
        const other = await world.settled(await publishNow());
        expect(other.status).to.equal('published');
        expect(world.graph.publishing.containers.size, 'only the other post’s container').to.equal(1);
        expect(world.graph.publishCalls()).to.have.length(1);
        expect((await world.job(id))?.state ?? 'gone').to.be.oneOf(['cancelled', 'gone']);
        await world.expectError(await world.send('GET', `/api/posts/${id}`), 404, 'post_not_found');
      });

      it('another user’s post, persona or media: 404 post_not_found, 404 persona_not_found, 422 media_not_found', async () => {
        const { persistence } = world;
        const strangerId = (
          await persistence.users.upsertIdentity({ provider: 'google', providerUserId: 's', nickname: null, profileImage: null })
        ).id;
        const theirs = await persistence.personas.create(strangerId, 'theirs', {});
        const theirMedia = await persistence.mediaLibrary.add(
          { userId: strangerId, url: '/media/theirs.png', contentType: 'image/png', width: 8, height: 8, bytes: 70, source: 'upload' },
          clock.now(),
        );
        const mine = await world.draft(personaId);
        const asStranger = { cookie: await world.app.sessionCookie(strangerId) };
        const { expectError: refused } = world;
        await refused(await world.send('GET', `/api/posts/${mine.id}`, undefined, asStranger), 404, 'post_not_found');
        await refused(await world.send('POST', `/api/posts/${mine.id}/publish`, undefined, asStranger), 404, 'post_not_found');
        await refused(await world.send('GET', `/api/personas/${theirs.id}/instagram/status`), 404, 'persona_not_found');
        await refused(
          await world.send('POST', `/api/personas/${theirs.id}/posts`, { caption: 'x', media: [world.media[0]] }),
          404,
          'persona_not_found',
        );
        await refused(
          await world.send('POST', `/api/personas/${personaId}/posts`, { caption: 'x', media: [theirMedia.id] }),
          422,
          'media_not_found',
        );
        await refused(await world.send('PATCH', `/api/posts/${mine.id}`, { media: [theirMedia.id] }), 422, 'media_not_found');
        expect(world.graph.publishCalls()).to.have.length(0);
      });
    });
  }
