import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryInsightsStore } from '../../adapters/in-memory/in-memory-insights-store.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import {
  CaptureStoryInsights,
  CollectPersonaInsights,
  GetPersonaInsights,
  GetPostInsights,
  InsightsFailure,
  InsightsFetch,
  InsightsTokens,
  PERSONA_INSIGHTS_JOB,
  PLAN_INSIGHTS_JOB,
  PlanDailyInsights,
  STORY_INSIGHTS_JOB,
  type InsightsGraph,
  type PostMetrics,
} from '../../core/insights/index.js';
import { CHECK_TOKENS_JOB } from '../../core/instagram/index.js';
import type { Post } from '../../core/publishing/index.js';
import { DomainError } from '../../core/shared/index.js';
import { publishingWorld, PAGE_TOKEN, T0 } from '../support/publishing-world.js';

const REFRESH_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const metricsOf = (views: number): PostMetrics => ({
  views,
  reach: views - 1,
  likes: 3,
  comments: 2,
  shares: 1,
  saved: null,
  total_interactions: 6,
});

async function insightsWorld() {
  const world = await publishingWorld();
  const posts = new InMemoryPostRepository(world.jobs);
  const store = new InMemoryInsightsStore();
  let views = 100;
  const graph = {
    mediaInsights: sinon.stub().callsFake(async () => metricsOf(views++)),
    accountDay: sinon
      .stub()
      .callsFake(async (_token, _ig, date: string) => ({ views: 1000 + Number(date.slice(8)), reach: 500, follower_count: null })),
    accountCounts: sinon.stub().resolves({ followersCount: 42, mediaCount: 7 }),
  } satisfies Record<keyof InsightsGraph, sinon.SinonStub>;
  const fetcher = new InsightsFetch(graph, store, world.tokens, world.clock);
  const tokens = new InsightsTokens(world.pageTokens, world.tokens, world.clock);
  const getPost = new GetPostInsights(posts, world.personas, store, tokens, fetcher, world.clock, world.logs, REFRESH_MS);
  const getPersona = new GetPersonaInsights(world.personas, store, world.clock);
  const collect = new CollectPersonaInsights(world.personas, posts, store, tokens, fetcher, world.jobs, world.clock, world.logs);
  const plan = new PlanDailyInsights(world.personas, world.jobs, world.clock);
  const capture = new CaptureStoryInsights(posts, world.personas, tokens, fetcher, world.logs);

  /** A post of the world's persona, published `ago` ms before now. */
  async function published(ago = 0, personaId = world.persona.id, kind: 'feed' | 'story' = 'feed'): Promise<Post> {
    const post = await posts.create(
      { userId: 1, personaId, kind, caption: kind === 'story' ? '' : 'c', altText: null, media: [{ mediaId: 1, url: '/media/a.png' }] },
      T0,
    );
    const at = new Date(world.clock.now().getTime() - ago);
    const change = {
      status: 'published',
      igMediaId: `1790${post.id}`,
      permalink: `https://www.instagram.com/p/${post.id}/`,
      publishedAt: at,
    } as const;
    return (await posts.update(post.id, ['draft'], change, at))!;
  }
  return { ...world, posts, store, graph, getPost, getPersona, collect, plan, capture, published };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe('GetPostInsights', () => {
  let w: Awaited<ReturnType<typeof insightsWorld>>;
  beforeEach(async () => {
    w = await insightsWorld();
  });

  it('asks Meta once per refresh window with the Page token; in between the stored answer, with its fetched_at', async () => {
    const post = await w.published();
    const first = await w.getPost.execute(1, post.id);
    expect(first).to.deep.include({ postId: post.id, fetchedAt: T0, permalink: post.permalink });
    expect(first.metrics).to.deep.equal(metricsOf(100));
    expect(w.graph.mediaInsights.firstCall.args).to.deep.equal([{ value: PAGE_TOKEN, login: 'facebook' }, post.igMediaId]);
    w.clock.advance(REFRESH_MS - 1);
    expect((await w.getPost.execute(1, post.id)).fetchedAt).to.deep.equal(T0);
    expect(w.graph.mediaInsights.callCount).to.equal(1);
    w.clock.advance(1);
    const second = await w.getPost.execute(1, post.id);
    expect(second.metrics.views).to.equal(101);
    expect(second.fetchedAt).to.deep.equal(w.clock.now());
    expect(w.graph.mediaInsights.callCount).to.equal(2);
  });

  it('two concurrent requests for a stale post make one Meta call and get the same answer', async () => {
    const post = await w.published();
    let answer!: (metrics: PostMetrics) => void;
    w.graph.mediaInsights.callsFake(() => new Promise<PostMetrics>((resolve) => (answer = resolve)));
    const both = Promise.all([w.getPost.execute(1, post.id), w.getPost.execute(1, post.id)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer(metricsOf(7));
    const [a, b] = await both;
    expect(w.graph.mediaInsights.callCount).to.equal(1);
    expect(a).to.deep.equal(b);
    expect((await w.store.findPost(post.id))!.metrics.views).to.equal(7);
  });

  it('404 post_not_found for another user’s post, 409 post_not_published for a draft', async () => {
    const post = await w.published();
    expect(await codeOf(w.getPost.execute(2, post.id))).to.equal('post_not_found');
    const draft = await w.posts.create(
      { userId: 1, personaId: w.persona.id, caption: 'c', altText: null, media: [{ mediaId: 1, url: '/m' }] },
      T0,
    );
    expect(await codeOf(w.getPost.execute(1, draft.id))).to.equal('post_not_published');
    expect(w.graph.mediaInsights.callCount).to.equal(0);
  });

  it('190 → 401 persona_oauth_expired and needs_reconnect; a missing permission → 403 insights_permission_missing', async () => {
    const post = await w.published();
    w.graph.mediaInsights.rejects(new InsightsFailure('permission_missing', '(#10) Application does not have permission', 10));
    expect(await codeOf(w.getPost.execute(1, post.id))).to.equal('insights_permission_missing');
    w.graph.mediaInsights.rejects(new InsightsFailure('token_expired', 'Session has expired', 190));
    expect(await codeOf(w.getPost.execute(1, post.id))).to.equal('persona_oauth_expired');
    expect((await w.tokens.get(1, w.persona.num))!.needsReconnect).to.equal(true);
    expect(await codeOf(w.getPost.execute(1, post.id)), 'then without a Graph call').to.equal('persona_oauth_expired');
    expect(w.graph.mediaInsights.callCount).to.equal(2);
  });

  it('Meta down or the object gone (a story past 24 h): the stored answer; none stored: 502 upstream_unavailable', async () => {
    const post = await w.published();
    w.graph.mediaInsights.onFirstCall().rejects(new InsightsFailure('unavailable', 'HTTP 500'));
    expect(await codeOf(w.getPost.execute(1, post.id))).to.equal('upstream_unavailable');
    const stored = await w.getPost.execute(1, post.id);
    w.clock.advance(DAY_MS);
    w.graph.mediaInsights.rejects(new InsightsFailure('not_found', 'does not exist', 100));
    expect(await w.getPost.execute(1, post.id)).to.deep.equal(stored);
  });

  it('a rate limit (4, 17, 32, 613) backs off: no Meta call for five minutes; 429 rate_limited without a stored answer', async () => {
    const post = await w.published();
    w.graph.mediaInsights.rejects(new InsightsFailure('rate_limited', 'Application request limit reached', 4));
    const error = await w.getPost.execute(1, post.id).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DomainError).and.include({ code: 'rate_limited', retryAfterSeconds: 300 });
    expect(await codeOf(w.getPost.execute(1, post.id))).to.equal('rate_limited');
    expect(w.graph.mediaInsights.callCount).to.equal(1);
    w.clock.advance(5 * 60_000);
    w.graph.mediaInsights.callsFake(async () => metricsOf(5));
    expect((await w.getPost.execute(1, post.id)).metrics.views).to.equal(5);
  });
});

describe('the daily insights jobs (plan_insights, persona_insights)', () => {
  let w: Awaited<ReturnType<typeof insightsWorld>>;
  beforeEach(async () => {
    w = await insightsWorld();
  });

  it('the plan is queued once a day, waits for the day’s token check, then queues one job per linked persona (deduplicated)', async () => {
    const other = await w.linkedPersona('17841400000000102', 'OTHER-PAGE-TOKEN');
    await w.personas.create(1, 'not linked', {});
    const first = await w.plan.scheduleToday();
    expect((await w.plan.scheduleToday()).id).to.equal(first.id);
    expect(first).to.deep.include({ kind: PLAN_INSIGHTS_JOB, reference: '2030-05-17', dedupeKey: 'plan_insights:2030-05-17' });
    await w.jobs.enqueue(
      { kind: CHECK_TOKENS_JOB, reference: '2030-05-17', dedupeKey: 'check_tokens:2030-05-17', lane: null, runAt: T0 },
      T0,
    );
    const worker = w.workerFor({ [PLAN_INSIGHTS_JOB]: w.plan.handle });
    expect(await worker.runOnce()).to.equal(true);
    expect((await w.jobs.findByDedupeKey('plan_insights:2030-05-17'))!.state, 'waits for the token check').to.equal('queued');
    expect(await w.jobs.findByDedupeKey(`persona_insights:${w.persona.id}:2030-05-17`)).to.equal(null);
    const check = (await w.jobs.claim('checker', [CHECK_TOKENS_JOB], w.clock.now(), 60_000))!;
    await w.jobs.complete({ jobId: check.id, owner: 'checker' }, w.clock.now());
    w.clock.advance(60_000);
    expect(await worker.runOnce()).to.equal(true);
    for (const persona of [w.persona, other]) {
      const job = (await w.jobs.findByDedupeKey(`persona_insights:${persona.id}:2030-05-17`))!;
      expect(job).to.deep.include({ kind: PERSONA_INSIGHTS_JOB, reference: `1:${persona.id}:2030-05-17`, state: 'queued' });
    }
    expect((await w.jobs.findByDedupeKey('plan_insights:2030-05-18'))!.runAt).to.deep.equal(new Date('2030-05-18T00:00:00Z'));
  });

  it('stores the two days before its day (follower_count null stays null), the totals, and recent posts’ metrics', async () => {
    const recent = await w.published(DAY_MS / 2);
    const old = await w.published(8 * DAY_MS);
    const worker = w.workerFor({ [PERSONA_INSIGHTS_JOB]: w.collect.handle });
    await w.jobs.enqueue(
      { kind: PERSONA_INSIGHTS_JOB, reference: `1:${w.persona.id}:2030-05-17`, dedupeKey: 'x', lane: null, runAt: T0 },
      T0,
    );
    expect(await worker.runOnce()).to.equal(true);
    const days = await w.store.listDays(w.persona.id, '2030-05-01', '2030-05-31');
    expect(
      days.map(({ date, views, reach, followerCount, followersCount, mediaCount }) => ({
        date,
        views,
        reach,
        followerCount,
        followersCount,
        mediaCount,
      })),
    ).to.deep.equal([
      { date: '2030-05-15', views: 1015, reach: 500, followerCount: null, followersCount: null, mediaCount: null },
      { date: '2030-05-16', views: 1016, reach: 500, followerCount: null, followersCount: 42, mediaCount: 7 },
    ]);
    expect(await w.store.findPost(recent.id)).to.not.equal(null);
    expect(await w.store.findPost(old.id), 'older than a week: not asked').to.equal(null);
    const insights = await w.getPersona.execute(1, w.persona.id, 7);
    expect(insights).to.deep.include({ followersCount: 42, mediaCount: 7 });
    expect(insights.topPosts.map((p) => p.postId)).to.deep.equal([recent.id]);
  });

  it('a story Meta no longer serves keeps its stored metrics; 190 marks needs_reconnect and ends the job; a rate limit retries it', async () => {
    const story = await w.published(DAY_MS / 2);
    await w.getPost.execute(1, story.id);
    w.graph.mediaInsights.rejects(new InsightsFailure('not_found', 'gone', 100));
    const job = (day: string) => ({
      kind: PERSONA_INSIGHTS_JOB,
      reference: `1:${w.persona.id}:${day}`,
      dedupeKey: day,
      lane: null,
      runAt: T0,
    });
    const worker = w.workerFor({ [PERSONA_INSIGHTS_JOB]: w.collect.handle });
    await w.jobs.enqueue(job('2030-05-17'), T0);
    await worker.runOnce();
    expect((await w.jobs.findByDedupeKey('2030-05-17'))!.state).to.equal('done');
    expect((await w.store.findPost(story.id))!.metrics.views).to.equal(100);
    w.graph.accountCounts.rejects(new InsightsFailure('rate_limited', 'limit', 17));
    await w.jobs.enqueue(job('2030-05-18'), T0);
    await worker.runOnce();
    expect((await w.jobs.findByDedupeKey('2030-05-18'))!).to.deep.include({ state: 'queued', attempts: 1 });
    w.graph.accountCounts.rejects(new InsightsFailure('token_expired', 'expired', 190));
    w.clock.advance(10 * 60_000);
    await w.jobs.enqueue(job('2030-05-19'), T0);
    await worker.runOnce();
    expect((await w.jobs.findByDedupeKey('2030-05-19'))!.state).to.equal('done');
    expect((await w.tokens.get(1, w.persona.num))!.needsReconnect).to.equal(true);
  });
});

describe('a story’s insights (story_insights)', () => {
  it('the daily job queues a last reading half an hour before the story ends; after its 24 hours the stored reading is final', async () => {
    const w = await insightsWorld();
    const story = await w.published(2 * 3_600_000, w.persona.id, 'story');
    const feed = await w.published(2 * 3_600_000);
    const worker = w.workerFor({ [PERSONA_INSIGHTS_JOB]: w.collect.handle, [STORY_INSIGHTS_JOB]: w.capture.handle });
    await w.jobs.enqueue(
      { kind: PERSONA_INSIGHTS_JOB, reference: `1:${w.persona.id}:2030-05-17`, dedupeKey: 'd', lane: null, runAt: T0 },
      T0,
    );
    expect(await worker.runOnce()).to.equal(true);
    const last = (await w.jobs.findByDedupeKey(`story_insights:${story.id}`))!;
    expect(last).to.deep.include({ kind: STORY_INSIGHTS_JOB, reference: `1:${story.id}`, state: 'queued' });
    expect(last.runAt).to.deep.equal(new Date(story.publishedAt!.getTime() + 23.5 * 3_600_000));
    expect(await w.jobs.findByDedupeKey(`story_insights:${feed.id}`), 'feed posts get none').to.equal(null);
    const first = (await w.store.findPost(story.id))!.metrics.views;
    w.clock.advance(last.runAt.getTime() - T0.getTime());
    expect(await worker.runOnce()).to.equal(true);
    const final = (await w.store.findPost(story.id))!;
    expect(final.metrics.views).to.be.greaterThan(first!);
    expect(final.fetchedAt).to.deep.equal(w.clock.now());
    w.clock.advance(3_600_000); // the story has ended
    const calls = w.graph.mediaInsights.callCount;
    expect(await w.getPost.execute(1, story.id)).to.deep.equal(final);
    expect(w.graph.mediaInsights.callCount, 'no Meta call for an ended story').to.equal(calls);
  });
});

describe('GetPersonaInsights', () => {
  it('answers from the store alone: the window’s days, the latest totals, top posts by views; 409 persona_not_linked', async () => {
    const w = await insightsWorld();
    const [a, b] = [await w.published(DAY_MS), await w.published(2 * DAY_MS)];
    const tooOld = await w.published(10 * DAY_MS);
    const metrics = { ...metricsOf(0) };
    for (const [post, views] of [
      [a, 5],
      [b, 50],
      [tooOld, 500],
    ] as const) {
      await w.store.savePost({
        postId: post.id,
        userId: 1,
        personaId: w.persona.id,
        permalink: post.permalink,
        publishedAt: post.publishedAt!,
        fetchedAt: T0,
        metrics: { ...metrics, views },
      });
    }
    const day = (date: string, views: number, followersCount: number | null = null) =>
      w.store.saveDay({
        personaId: w.persona.id,
        userId: 1,
        date,
        views,
        reach: 1,
        followerCount: null,
        followersCount,
        mediaCount: followersCount && 3,
      });
    await day('2030-05-09', 9, 90); // outside 7 days
    await day('2030-05-11', 11);
    await day('2030-05-16', 16, 160);
    const insights = await w.getPersona.execute(1, w.persona.id, 7);
    expect(insights.days.map((d) => d.date)).to.deep.equal(['2030-05-11', '2030-05-16']);
    expect(insights).to.deep.include({ followersCount: 160, mediaCount: 3 });
    expect(insights.topPosts.map((p) => p.postId)).to.deep.equal([b.id, a.id]);
    expect((await w.getPersona.execute(1, w.persona.id, 28)).topPosts.map((p) => p.postId)).to.deep.equal([tooOld.id, b.id, a.id]);
    expect(w.graph.mediaInsights.callCount + w.graph.accountDay.callCount + w.graph.accountCounts.callCount).to.equal(0);
    const unlinked = await w.personas.create(1, 'unlinked', {});
    expect(await codeOf(w.getPersona.execute(1, unlinked.id, 7))).to.equal('persona_not_linked');
    expect(await codeOf(w.getPersona.execute(2, w.persona.id, 7))).to.equal('persona_not_found');
  });
});
