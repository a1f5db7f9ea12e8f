import { expect } from 'chai';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { addDays, personaInsightsJob, utcDate } from '../../core/insights/index.js';
import { pageTokenAssociatedData, tokenAssociatedData } from '../../core/instagram/index.js';
import { realDatabases } from '../support/databases.js';
import { fakeMetric } from '../support/fake-meta-insights.js';
import { transientGraphError } from '../support/fake-meta-publishing.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { metaNoticePayload, metaSignedRequest } from '../support/meta-signed-request.js';
import { LINK_PATHS, startPublishingApp, type PublishingApp } from '../support/publishing-app.js';
import { until } from '../support/worker-process.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const POST_METRICS = ['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions'];

for (const database of realDatabases()) {
  for (const login of LINK_PATHS) {
    describe(`insights end to end on ${database.name}, linked through ${login === 'facebook' ? 'Facebook' : 'Instagram'} Login: the app, its worker and the fake Graph`, function () {
      this.timeout(60_000);
      let world: PublishingApp;
      let clock: FixedClock;
      let personaId: number;

      const start = async (provider: 'kakao' | 'google' = 'kakao') => {
        clock = new FixedClock(new Date());
        world = await startPublishingApp(database, { clock, worker: true, provider, login });
        personaId = world.personas[0].id;
        // The day's plan ran when the worker started, before the persona was linked: its job, as the plan would queue it.
        await world.persistence.jobs.enqueue(personaInsightsJob(world.userId, personaId, utcDate(clock.now()), clock.now()), clock.now());
        await dayCollected(utcDate(clock.now()));
      };
      afterEach(() => world?.close());

      /**
       * Waits until the persona's insights job of `date` is done, moving the clock on a minute at a time
       * meanwhile: the day's plan waits (a minute at a time) for the day's token check.
       */
      async function dayCollected(date: string) {
        const job = () => world.persistence.jobs.findByDedupeKey(`persona_insights:${personaId}:${date}`);
        await until(async () => {
          if ((await job())?.state === 'done') return true;
          clock.advance(MINUTE);
          return false;
        });
      }
      const publishNow = async () => {
        const draft = await world.draft(personaId);
        await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
        return world.settled(draft.id);
      };
      const insightsOf = (postId: number) => world.send('GET', `/api/posts/${postId}/insights`);
      const mediaCalls = (mediaId: string) =>
        world.graph.insights.calls.filter((call) => call.path === `/v25.0/${mediaId}/insights`).length;
      /** The persona's link made again without the insights permission (its Page token, or its Instagram token). */
      async function relinkWithoutInsights() {
        const persona = world.personas[0];
        const cipher = new AesGcmTokenCipher(world.app.config.tokenEncryptionKey);
        if (login === 'facebook') {
          const token = world.meta.issuePageToken(persona.instagram!.fbPageId!, ['instagram_basic', 'instagram_content_publish']);
          const sealed = cipher.seal(token, pageTokenAssociatedData(world.userId, persona.num));
          await world.persistence.instagramTokens.savePageToken(world.userId, persona.num, sealed);
          return;
        }
        const token = world.instagram.issueToken(['instagram_business_basic', 'instagram_business_content_publish']);
        const sealed = cipher.seal(token, tokenAssociatedData(world.userId, persona.num));
        const stored = (await world.persistence.instagramTokens.get(world.userId, persona.num))!;
        await world.persistence.instagramTokens.save(world.userId, persona.num, { ...stored, sealed });
      }
      /** The deauthorize notice of the app the persona was linked through. */
      function deauthorize() {
        if (login === 'facebook') return world.metaNotice('/oauth/meta/deauthorize');
        const signed = metaSignedRequest(metaNoticePayload(world.instagram.appUserId, new Date(Date.now() + 1000)), 'ig-secret');
        return world.app.fetch('/oauth/instagram-login/deauthorize', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `signed_request=${encodeURIComponent(signed)}`,
        });
      }
      const expectedMetrics = (mediaId: string) => Object.fromEntries(POST_METRICS.map((name) => [name, fakeMetric(mediaId, name)]));

      it('a published post’s insights: Meta asked once per INSIGHTS_REFRESH_MINUTES (concurrent requests share the call), the stored answer between', async () => {
        await start();
        const post = await publishNow();
        const first = (await world.expectStatus(await insightsOf(post.id), 200)).insights;
        expect(first).to.deep.equal({ fetched_at: clock.now().toISOString(), metrics: expectedMetrics(post.ig_media_id) });
        clock.advance(14 * MINUTE);
        expect((await world.expectStatus(await insightsOf(post.id), 200)).insights).to.deep.equal(first);
        expect(mediaCalls(post.ig_media_id)).to.equal(1);
        clock.advance(MINUTE);
        const [a, b] = await Promise.all([insightsOf(post.id), insightsOf(post.id)]);
        const [second, third] = [(await world.expectStatus(a, 200)).insights, (await world.expectStatus(b, 200)).insights];
        expect(second.fetched_at).to.equal(clock.now().toISOString());
        expect(third).to.deep.equal(second);
        expect(mediaCalls(post.ig_media_id), 'one more call for two requests').to.equal(2);
        expect(world.graph.insights.calls.every((call) => !/impressions|plays|video_views/.test(call.query.metric ?? ''))).to.equal(true);
        const proofs = world.graph.insights.calls.map((call) => call.query.appsecret_proof === undefined);
        expect(new Set(proofs), 'appsecret_proof on the Facebook Graph only').to.deep.equal(new Set([login === 'instagram']));
      });

      it('two instances on one database: a stale post is refreshed by one of them, the other serves the stored answer', async () => {
        await start();
        const post = await publishNow();
        const stored = (await world.expectStatus(await insightsOf(post.id), 200)).insights;
        const other = await world.instance({ worker: false });
        clock.advance(15 * MINUTE);
        const path = `/api/posts/${post.id}/insights`;
        const answers = await Promise.all([
          world.send('GET', path),
          other.send('GET', path),
          world.send('GET', path),
          other.send('GET', path),
        ]);
        const bodies = await Promise.all(answers.map(async (res) => (await world.expectStatus(res, 200)).insights));
        expect(mediaCalls(post.ig_media_id), 'one more call for four requests on two instances').to.equal(2);
        const fetchedAt = new Set(bodies.map((body) => body.fetched_at));
        expect([...fetchedAt].every((at) => at === stored.fetched_at || at === clock.now().toISOString())).to.equal(true);
        expect((await world.expectStatus(await other.send('GET', path), 200)).insights.fetched_at, 'then the new answer').to.equal(
          clock.now().toISOString(),
        );
      });

      it('refusals: a draft 409 post_not_published, another user’s 404, no insights permission 403, an expired token 401 and needs_reconnect', async () => {
        await start();
        const draft = await world.draft(personaId);
        await world.expectError(await insightsOf(draft.id), 409, 'post_not_published');
        const post = await publishNow();
        const stranger = await world.signIn({ provider: 'google', providerUserId: 'g-1', nickname: null, profileImage: null });
        const res = await world.app.fetch(`/api/posts/${post.id}/insights`, { headers: { cookie: stranger.cookie } });
        await world.expectError(res, 404, 'post_not_found');
        await relinkWithoutInsights();
        await world.expectError(await insightsOf(post.id), 403, 'insights_permission_missing');
        world.graph.expireTokens();
        await world.expectError(await insightsOf(post.id), 401, 'persona_oauth_expired');
        const status = await world.expectStatus(await world.send('GET', `/api/personas/${personaId}/instagram/status`), 200);
        expect(status.instagram.needs_reconnect).to.equal(true);
      });

      it('a story’s metrics stay readable after Meta stops serving them (its 24 hours)', async () => {
        await start();
        const created = await world.send('POST', `/api/personas/${personaId}/posts`, { kind: 'story', media: [world.media[0]] });
        const draft = (await world.expectStatus(created, 201)).post;
        await world.expectStatus(await world.send('POST', `/api/posts/${draft.id}/publish`), 202);
        const story = await world.settled(draft.id);
        expect(story).to.include({ kind: 'story', status: 'published' });
        const stored = (await world.expectStatus(await insightsOf(story.id), 200)).insights;
        expect(stored.metrics).to.deep.equal(expectedMetrics(story.ig_media_id));
        world.graph.insights.gone.add(story.ig_media_id);
        clock.advance(20 * MINUTE);
        expect((await world.expectStatus(await insightsOf(story.id), 200)).insights, 'Meta refuses: the stored answer').to.deep.equal(
          stored,
        );
        clock.advance(DAY);
        expect((await world.expectStatus(await insightsOf(story.id), 200)).insights, 'ended: the last reading').to.deep.equal(stored);
      });

      it('the daily job: a day later a row is added (the last two days rewritten), the totals, top posts; /metrics counts its runs and failures', async () => {
        await start();
        const today = utcDate(clock.now());
        const igUserId = world.personas[0].instagram!.igUserId;
        const days = async (n: 7 | 28 = 7) =>
          (await world.expectStatus(await world.send('GET', `/api/personas/${personaId}/insights?days=${n}`), 200)).insights;
        const dayRow = (date: string) => ({
          date,
          views: fakeMetric(igUserId, 'views', date),
          reach: fakeMetric(igUserId, 'reach', date),
          follower_count: fakeMetric(igUserId, 'follower_count', date),
        });
        expect((await days()).days).to.deep.equal([dayRow(addDays(today, -2)), dayRow(addDays(today, -1))]);
        const post = await publishNow();
        world.graph.insights.followerCount = false; // from now on the account gets no follower_count: null, not 0
        world.graph.insights.failures.push(transientGraphError());
        clock.advance(DAY - (clock.now().getTime() % DAY));
        await dayCollected(addDays(today, 1));
        const insights = await days();
        expect(insights.days).to.deep.equal([
          dayRow(addDays(today, -2)),
          { ...dayRow(addDays(today, -1)), follower_count: null },
          { ...dayRow(today), follower_count: null },
        ]);
        expect(insights).to.deep.include({ followers_count: fakeMetric(igUserId, 'followers_count'), media_count: 1 });
        expect(insights.top_posts).to.deep.equal([
          {
            post_id: post.id,
            permalink: post.permalink,
            views: fakeMetric(post.ig_media_id, 'views'),
            total_interactions: fakeMetric(post.ig_media_id, 'total_interactions'),
          },
        ]);
        await world.expectError(await world.send('GET', `/api/personas/${personaId}/insights?days=30`), 400, 'invalid_request');
        const samples = parsePrometheusText(await (await world.app.fetch('/metrics')).text());
        expect(sampleValue(samples, 'job_runs_total', { kind: 'persona_insights', outcome: 'done' })).to.equal(2);
        expect(sampleValue(samples, 'job_runs_total', { kind: 'persona_insights', outcome: 'retry' }), 'the refused try').to.equal(1);
      });

      it('the link’s app deauthorize notice (Meta’s or Instagram’s) removes the persona’s insights; deleting the account removes the rest', async () => {
        await start('google');
        const post = await publishNow();
        await world.expectStatus(await insightsOf(post.id), 200);
        const stored = () => world.persistence.insights.listDays(personaId, '2000-01-01', '2100-01-01');
        expect(await stored()).to.have.length(2);
        await world.expectStatus(await deauthorize(), 200);
        expect(await stored()).to.deep.equal([]);
        expect(await world.persistence.insights.findPost(post.id)).to.equal(null);
        const other = world.personas[0];
        await world.persistence.insights.saveDay({
          personaId: other.id,
          userId: world.userId,
          date: '2030-01-01',
          views: 1,
          reach: 1,
          followerCount: null,
          followersCount: null,
          mediaCount: null,
        });
        await world.expectStatus(await world.send('DELETE', '/users/me'), 200);
        expect(await stored()).to.deep.equal([]);
      });
    });
  }
}
