import { expect } from 'chai';
import { DateTime } from 'luxon';
import sharp from 'sharp';
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

/**
 * The story cases the Instagram Login path runs too (it runs every case for a feed post; Facebook Login runs every
 * case for both kinds): a story differs only in its container, and the rest of the job is the same on either path.
 */
const STORY_ON_INSTAGRAM = new Set(['post now', 'lost answer', 'container error']);

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
        return queued(draft.id as number);
      };
      const queued = async (postId: number) => {
        await world.expectStatus(await world.send('POST', `/api/posts/${postId}/publish`), 202);
        return postId;
      };
      const schedule = (postId: number, at: string) => world.send('POST', `/api/posts/${postId}/schedule`, { at });

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

      // Everything a feed post goes through, a story goes through the same way: only its container differs.
      for (const kind of ['feed', 'story'] as const) {
        const draft = () => world.draftOf(kind, personaId);
        const publishDraft = async () => queued((await draft()).id);
        /** `it`, unless this is a story on the Instagram Login path and the case is not among STORY_ON_INSTAGRAM. */
        const kindCase = (name: string, title: string, body: () => Promise<void>) => {
          if (kind === 'feed' || login === 'facebook' || STORY_ON_INSTAGRAM.has(name)) it(title, body);
        };

        kindCase(
          'post now',
          `${kind}: post now → published with its permalink; exactly one media_publish of a container of the prepared JPEG`,
          async () => {
            const post = await world.settled(await publishDraft());
            const [live] = world.graph.publishing.published;
            expect(post).to.include({ kind, status: 'published', ig_media_id: live.id, permalink: live.permalink, error: null });
            expect(world.graph.publishCalls()).to.have.length(1);
            expect(world.graph.publishing.containers.size, 'one container').to.equal(1);
            const container = world.graph.publishing.containers.get(live.containerId)!;
            expect(container.imageUrl).to.match(new RegExp(`^${world.app.url}/media/.+\\.jpg$`));
            const prepared = await sharp(Buffer.from(await (await fetch(container.imageUrl!)).arrayBuffer())).metadata();
            if (kind === 'story') {
              // The fake took it only as media_type=STORIES with a 9:16 JPEG and no caption.
              expect(container).to.include({ story: true, carouselItem: false });
              expect([container.caption, container.altText], 'no caption, and its alt text not sent').to.deep.equal([undefined, undefined]);
              expect(prepared, 'the square image padded to the story frame').to.include({ format: 'jpeg', width: 1080, height: 1920 });
              expect(live.story).to.equal(true);
            } else {
              expect(container).to.include({ story: false, caption: '셀프스타 #첫게시물' });
              expect(prepared).to.include({ format: 'jpeg', width: 1080, height: 1080 });
            }
            const other = login === 'facebook' ? world.instagram : world.meta;
            expect(
              other.requests.filter((r) => r.path.startsWith('/v25.0/')),
              'nothing went to the other Graph',
            ).to.deep.equal([]);
            const calls = world.graph.requests.filter((r) => r.path.startsWith('/v25.0/'));
            expect(calls.every((r) => typeof r.query.access_token === 'string')).to.equal(true);
            // appsecret_proof is Facebook Login's (the fake Meta refuses a call without it); the Instagram Graph takes the account's token alone.
            expect(calls.map((r) => 'appsecret_proof' in r.query)).to.deep.equal(calls.map(() => login === 'facebook'));
          },
        );

        kindCase('schedule', `${kind}: a schedule fires at its time; one in the past is refused 422 schedule_in_past`, async () => {
          const { id } = await draft();
          await world.expectError(await schedule(id, seoulTime(clock, -1)), 422, 'schedule_in_past');
          const scheduled = (await world.expectStatus(await schedule(id, seoulTime(clock, 2)), 200)).post;
          expect(scheduled.status).to.equal('scheduled');
          expect(world.graph.publishCalls(), 'not before its time').to.have.length(0);
          clock.advance(3 * MINUTE);
          const post = await world.settled(id);
          expect(post).to.include({ kind, status: 'published', scheduled_at: scheduled.scheduled_at });
          expect(world.graph.publishCalls()).to.have.length(1);
        });

        for (const lost of ['hang', 'reset'] as const) {
          kindCase(
            'lost answer',
            `${kind}: a media_publish whose answer is lost (${lost}) although the post went live → published, one media_publish`,
            async () => {
              world.graph.publishing.loseNextPublishAnswer = lost;
              const id = await publishDraft();
              await world.waitingAfter(id, 1);
              clock.advance(MINUTE); // the back-off
              const post = await world.settled(id);
              expect(post.status).to.equal('published');
              expect(world.graph.publishCalls()).to.have.length(1);
              expect(world.graph.publishing.published).to.have.length(1);
            },
          );
        }

        kindCase(
          'transient',
          `${kind}: transient errors (making the container, then media_publish) → retried after the back-off and published once`,
          async () => {
            world.graph.publishing.failures.container = [transientGraphError()];
            world.graph.publishing.failures.publish = [transientGraphError()];
            const id = await publishDraft();
            for (const attempts of [1, 2]) {
              await world.waitingAfter(id, attempts);
              clock.advance(2 * MINUTE);
            }
            const post = await world.settled(id);
            expect(post).to.include({ status: 'published', attempts: 3 });
            expect(world.graph.publishing.published).to.have.length(1);
            expect(world.graph.publishCalls(), 'the refused one and the one that published').to.have.length(2);
          },
        );

        kindCase(
          'container error',
          `${kind}: a container Meta could not process → failed container_failed; POST retry → published once, from a new container`,
          async () => {
            world.graph.publishing.nextContainerEnds = 'ERROR';
            const id = await publishDraft();
            const failed = await world.settled(id);
            expect(failed).to.include({ status: 'failed' });
            expect(failed.error.code).to.equal('container_failed');
            expect(world.graph.publishCalls()).to.have.length(0);
            await world.expectStatus(await world.send('POST', `/api/posts/${id}/retry`), 202);
            const post = await world.settled(id);
            expect(post).to.include({ kind, status: 'published', error: null });
            expect(world.graph.publishing.containers.size, 'the failed container and a new one').to.equal(2);
            expect(world.graph.publishCalls()).to.have.length(1);
            expect(world.graph.publishing.published).to.have.length(1);
          },
        );

        kindCase(
          '190',
          `${kind}: Meta answers 190 → failed with persona_oauth_expired, and the persona’s status needs_reconnect`,
          async () => {
            world.graph.expireTokens();
            const post = await world.settled(await publishDraft());
            expect(post.status).to.equal('failed');
            expect(post.error.code).to.equal('persona_oauth_expired');
            expect(world.graph.publishCalls()).to.have.length(0);
            const status = await world.expectStatus(await world.send('GET', `/api/personas/${personaId}/instagram/status`), 200);
            expect(status.instagram.needs_reconnect).to.equal(true);
          },
        );

        kindCase(
          'quota',
          `${kind}: quota used up → the post waits publishing with no media_publish; once the quota frees, it goes out`,
          async () => {
            world.graph.publishing.quotaUsage = world.graph.publishing.quotaTotal;
            const id = await publishDraft();
            await world.waitingAfter(id, 0);
            expect((await world.job(id))!.phase).to.equal('quota');
            expect((await world.post(id)).status).to.equal('publishing');
            expect(world.graph.publishCalls()).to.have.length(0);
            world.graph.publishing.quotaUsage = undefined;
            clock.advance(2 * MINUTE);
            expect((await world.settled(id)).status).to.equal('published');
            expect(world.graph.publishCalls()).to.have.length(1);
          },
        );

        kindCase(
          'deleted',
          `${kind}: a scheduled post deleted never goes out: no container, no media_publish, its job cancelled`,
          async () => {
            const { id } = await draft();
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
          },
        );
      }

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
