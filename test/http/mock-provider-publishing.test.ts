import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { openPersistence } from '../../composition/persistence.js';
import { Browser } from '../support/browser.js';
import { solidImage } from '../support/images.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const ZONE = 'Asia/Seoul';
const PERMALINK = /^https:\/\/www\.instagram\.com\/p\/mock\d+\/$/;
const STORY_PERMALINK = /^https:\/\/www\.instagram\.com\/stories\/mock_\d+\/\d+\/$/;

/**
 * The whole publishing flow with MOCK_PROVIDERS=1 and no Meta app, over HTTP only, as docs/publishing.md's walkthrough
 * does it with curl: sign in, consent, a persona, an AI image and an upload, linking through the mock Meta,
 * a post published now, one scheduled a minute ahead, and the persona's Instagram status. The app's own job
 * worker publishes, on a SQLite file. The clock stands still, so the scheduled post is due only when moved past.
 */
describe('HTTP publishing with MOCK_PROVIDERS=1 (no Meta app)', () => {
  let app: TestApp;
  let clock: FixedClock;
  const browser = new Browser();

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfstar-mock-publishing-'));
    clock = new FixedClock(new Date());
    app = await startTestApp({
      clock,
      worker: true,
      persistence: await openPersistence({ mysql: null, sqlitePath: join(dir, 'db.sqlite') }),
      env: {
        MOCK_PROVIDERS: '1',
        FRONTEND_URL: FRONTEND,
        MEDIA_ROOT: join(dir, 'media'),
        WORKER_POLL_MS: '10',
        PUBLISH_STATUS_POLL_MS: '10',
      },
    });
  });
  after(() => app.close());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const res = await browser.fetch(app.url + path, {
      method,
      headers: { ...json, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const get = (path: string) => call('GET', path);
  const post = (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers);

  /** GET /api/posts/:id until its status is none of `statuses` (the worker's doing; mocha's timeout bounds the wait). */
  async function pollWhile(postId: number, ...statuses: string[]) {
    for (;;) {
      const { body } = await get(`/api/posts/${postId}`);
      if (!statuses.includes(body.post.status)) return body.post;
      await new Promise((tick) => setTimeout(tick, 10));
    }
  }

  let personaId: number;
  let mediaIds: number[];
  let postNow: number;
  let postScheduled: number;

  it('signs in as the demo user and gives the profile consent', async () => {
    const hops = await browser.follow(`${app.url}/auth/kakao/login`, FRONTEND);
    expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/`);
    expect((await get('/auth/me')).body.user).to.include({ nickname: '데모 사용자', needs_consent: true });
    const consent = await call('PUT', '/users/me/profile', { birthday: '1995-04-12', gender: '여성' });
    expect(consent.status).to.equal(200);
    expect((await get('/auth/me')).body.user.needs_consent).to.equal(false);
  });

  it('creates a persona, draws its portrait with the mock AI and uploads a second image', async () => {
    const created = await post('/api/personas', { name: '민지' });
    expect(created.status).to.equal(201);
    personaId = created.body.persona.id;

    const drawn = await post('/api/images', { name: '민지', gender: '여성', options: ['casual'], persona_id: personaId });
    expect(drawn.body).to.include({ ok: true, source: 'ai' });
    const res = await browser.fetch(`${app.url}/api/media`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(await solidImage(300, 200)),
    });
    expect(res.status).to.equal(201);

    const { media } = (await get('/api/media')).body;
    expect(media.map((m: { url: string }) => m.url)).to.include(drawn.body.url);
    mediaIds = media.map((m: { id: number }) => m.id);
    expect(mediaIds).to.have.length(2);
  });

  it('links the persona to an Instagram account through the mock Meta', async () => {
    const hops = await browser.follow(`${app.url}/oauth/instagram/start?persona_id=${personaId}`, FRONTEND);
    expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/mypage?ig=connected`);
    const { accounts } = (await get(`/oauth/instagram/accounts?persona_id=${personaId}`)).body;
    expect(accounts.map((a: { ig_username: string }) => a.ig_username)).to.deep.equal(['selfstar.demo', '셀프스타_데모']);
    const linked = await post('/oauth/instagram/link', { persona_id: personaId, ig_user_id: accounts[0].ig_user_id });
    expect(linked.body.persona.instagram).to.include({ ig_user_id: accounts[0].ig_user_id, ig_username: 'selfstar.demo' });
  });

  it('publishes a post now: 202 publishing, then published with a permalink', async () => {
    const draft = await post(`/api/personas/${personaId}/posts`, { caption: '첫 게시물 #selfstar', media: [mediaIds[0]] });
    expect(draft.status).to.equal(201);
    expect(draft.body.post.status).to.equal('draft');
    postNow = draft.body.post.id;

    const accepted = await post(`/api/posts/${postNow}/publish`, undefined, { 'Idempotency-Key': 'first-post' });
    expect(accepted.status).to.equal(202);
    expect(accepted.body.post.status).to.equal('publishing');

    const done = await pollWhile(postNow, 'publishing');
    expect(done).to.include({ status: 'published', error: null, attempts: 1 });
    expect(done.permalink).to.match(PERMALINK);
    expect(done.ig_media_id).to.match(/^\d+$/);
    const repeated = await post(`/api/posts/${postNow}/publish`, undefined, { 'Idempotency-Key': 'first-post' });
    expect(repeated.status).to.equal(202);
    expect(repeated.body.post).to.include({ status: 'published', permalink: done.permalink });
  });

  it('schedules a carousel a minute ahead in local time, and it goes out once that time comes', async () => {
    const draft = await post(`/api/personas/${personaId}/posts`, { caption: '예약 게시물', media: mediaIds, alt_text: '미소 짓는 민지' });
    postScheduled = draft.body.post.id;
    const at = DateTime.fromJSDate(clock.now(), { zone: ZONE }).plus({ minutes: 2 }).startOf('minute');
    const localAt = at.toFormat("yyyy-MM-dd'T'HH:mm");

    const scheduled = await post(`/api/posts/${postScheduled}/schedule`, { at: localAt, time_zone: ZONE });
    expect(scheduled.status).to.equal(200);
    expect(scheduled.body.post).to.include({
      status: 'scheduled',
      local_at: localAt,
      time_zone: ZONE,
      scheduled_at: at.toUTC().toISO(),
    });
    const status = (await get(`/api/personas/${personaId}/instagram/status`)).body.instagram;
    expect(status.next_scheduled_at).to.equal(at.toUTC().toISO());
    expect((await get(`/api/posts/${postScheduled}`)).body.post.status).to.equal('scheduled');

    clock.advance(at.toMillis() - clock.now().getTime() + 1000);
    const done = await pollWhile(postScheduled, 'scheduled', 'publishing');
    expect(done).to.include({ status: 'published', error: null });
    expect(done.permalink).to.match(PERMALINK);
  });

  it("answers the persona's Instagram status and lists its posts, newest first", async () => {
    const { body } = await get(`/api/personas/${personaId}/instagram/status`);
    expect(body.instagram).to.deep.include({
      linked: true,
      ig_username: 'selfstar.demo',
      needs_reconnect: false,
      quota: { used: 2, total: 100, window_seconds: 86_400 },
      next_scheduled_at: null,
    });
    expect(body.instagram.token_expires_at).to.be.a('string');
    const { posts } = (await get(`/api/personas/${personaId}/posts?status=published`)).body;
    expect(posts.map((p: { id: number }) => p.id)).to.deep.equal([postScheduled, postNow]);
  });

  it('publishes a story (its one image, no caption) and lists it by kind', async () => {
    const draft = await post(`/api/personas/${personaId}/posts`, { kind: 'story', media: [mediaIds[1]] });
    expect(draft.status).to.equal(201);
    expect(draft.body.post).to.include({ kind: 'story', caption: '' });
    const story = draft.body.post.id;
    expect((await post(`/api/posts/${story}/publish`)).status).to.equal(202);
    const done = await pollWhile(story, 'publishing');
    expect(done).to.include({ kind: 'story', status: 'published', error: null });
    expect(done.permalink).to.match(STORY_PERMALINK);
    const { posts } = (await get(`/api/personas/${personaId}/posts?kind=story`)).body;
    expect(posts.map((p: { id: number }) => p.id)).to.deep.equal([story]);
    const refused = await post(`/api/personas/${personaId}/posts`, { kind: 'story', caption: '캡션', media: [mediaIds[0]] });
    expect(refused.status).to.equal(422);
    expect(refused.body.error).to.equal('story_invalid');
  });

  it('answers the published post’s insights from the mock Meta (the same numbers on every read), and the persona’s from the database', async () => {
    const first = await get(`/api/posts/${postNow}/insights`);
    expect(first.status).to.equal(200);
    const { metrics } = first.body.insights;
    expect(Object.keys(metrics)).to.deep.equal(['views', 'reach', 'likes', 'comments', 'shares', 'saved', 'total_interactions']);
    expect(Object.values(metrics).every((value) => Number.isInteger(value))).to.equal(true);
    clock.advance(16 * 60_000);
    expect((await get(`/api/posts/${postNow}/insights`)).body.insights.metrics).to.deep.equal(metrics);
    const persona = await get(`/api/personas/${personaId}/insights?days=7`);
    expect(persona.status).to.equal(200);
    expect(persona.body.insights.top_posts.map((p: { post_id: number }) => p.post_id)).to.include(postNow);
  });

  it('offers the second link path too: a persona linked through the mock Instagram Login publishes a feed post and a story with no Facebook Page', async () => {
    const solo = (await post('/api/personas', { name: '솔로' })).body.persona.id;
    const hops = await browser.follow(`${app.url}/oauth/instagram-login/start?persona_id=${solo}`, FRONTEND);
    expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/mypage?ig=connected`);
    const { persona } = (await get(`/api/personas/${solo}`)).body;
    expect(persona.instagram).to.include({ ig_username: 'selfstar.solo', fb_page_id: null, login: 'instagram' });
    const draft = await post(`/api/personas/${solo}/posts`, { caption: '페이지 없이', media: [mediaIds[0]] });
    expect((await post(`/api/posts/${draft.body.post.id}/publish`)).status).to.equal(202);
    const done = await pollWhile(draft.body.post.id, 'publishing');
    expect(done).to.include({ status: 'published', error: null });
    expect(done.permalink).to.match(PERMALINK);
    const story = (await post(`/api/personas/${solo}/posts`, { kind: 'story', media: [mediaIds[1]] })).body.post.id;
    expect((await post(`/api/posts/${story}/publish`)).status).to.equal(202);
    const published = await pollWhile(story, 'publishing');
    expect(published).to.include({ kind: 'story', status: 'published', error: null });
    expect(published.permalink).to.match(STORY_PERMALINK);
    const status = (await get(`/api/personas/${solo}/instagram/status`)).body.instagram;
    expect(status).to.deep.include({ linked: true, ig_username: 'selfstar.solo', quota: { used: 2, total: 100, window_seconds: 86_400 } });
    const insights = await get(`/api/posts/${draft.body.post.id}/insights`);
    expect(insights.status, 'insights through Instagram Login too').to.equal(200);
    expect(Object.values(insights.body.insights.metrics).every((value) => Number.isInteger(value))).to.equal(true);
  });
});
