import { expect } from 'chai';
import { AesGcmTokenCipher } from '../../adapters/crypto/aes-gcm-token-cipher.js';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { pageTokenAssociatedData } from '../../core/instagram/index.js';
import { message } from '../../core/shared/index.js';
import { metaSaid, postError, publishJobKey } from '../../core/publishing/index.js';
import type { Persistence } from '../../composition/persistence.js';
import { startFakeMeta, type FakeMeta } from '../support/fake-meta-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { uploadRow } from '../support/media-rows.js';

const FRONTEND = 'http://localhost:5174';
const NOW = new Date('2027-01-10T00:00:00Z');
const IG = { pageId: '104000000000001', igUserId: '17841400000000101', username: 'selfstar.studio' };
const POST_KEYS = [
  'alt_text',
  'attempts',
  'caption',
  'created_at',
  'error',
  'id',
  'ig_media_id',
  'kind',
  'local_at',
  'media',
  'permalink',
  'persona_id',
  'published_at',
  'scheduled_at',
  'status',
  'time_zone',
  'updated_at',
];

describe('HTTP posts: create, edit, publish, schedule, retry, and the persona’s Instagram status', () => {
  let meta: FakeMeta;
  let app: TestApp;
  let persistence: Persistence;
  let clock: FixedClock;
  let cookie: string;
  let userId: number;
  let personaId: number;
  let personaNum: number;
  let mediaIds: number[];

  beforeEach(async () => {
    meta = await startFakeMeta({ appId: 'meta-app', appSecret: 'meta-secret' });
    clock = new FixedClock(NOW);
    app = await startTestApp({
      clock,
      env: { META_APP_ID: 'meta-app', META_APP_SECRET: 'meta-secret', META_GRAPH_BASE_URL: `${meta.url}/v25.0`, FRONTEND_URL: FRONTEND },
    });
    persistence = app.persistence;
    userId = (await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null })).id;
    cookie = await app.sessionCookie(userId);
    const persona = await persistence.personas.create(userId, '인스타 페르소나', {});
    personaId = persona.id;
    personaNum = persona.num;
    await persistence.personas.linkInstagram(userId, personaId, {
      igUserId: IG.igUserId,
      igUsername: IG.username,
      fbPageId: IG.pageId,
      linkedAt: NOW,
      login: 'facebook',
    });
    mediaIds = await addMedia(userId, 3);
  });
  afterEach(async () => {
    await app.close();
    await meta.close();
  });

  async function addMedia(owner: number, count: number): Promise<number[]> {
    const ids = [];
    for (let i = 0; i < count; i++) {
      ids.push((await persistence.mediaLibrary.add(uploadRow(owner, i), NOW)).id);
    }
    return ids;
  }

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.fetch(path, {
      method,
      headers: { cookie, origin: FRONTEND, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  async function expectError(res: Response, status: number, error: string) {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).to.equal(status);
    expect(body).to.include({ ok: false, error });
    return body;
  }
  async function created(body: Record<string, unknown> = {}) {
    const res = await send('POST', `/api/personas/${personaId}/posts`, {
      caption: '첫 게시물 #셀프스타',
      media: mediaIds.slice(0, 2),
      ...body,
    });
    expect(res.status).to.equal(201);
    return (await res.json()).post;
  }
  const jobOf = (postId: number) => persistence.jobs.findByDedupeKey(publishJobKey(postId));

  it('creates a draft (201, the contract’s post object) and lists the persona’s posts newest first, by status', async () => {
    const res = await send('POST', `/api/personas/${personaId}/posts`, {
      caption: '안녕',
      media: [mediaIds[2], mediaIds[0]],
      alt_text: '바다',
    });
    expect(res.status).to.equal(201);
    const { ok, post } = await res.json();
    expect(ok).to.equal(true);
    expect(Object.keys(post).sort()).to.deep.equal(POST_KEYS);
    expect(post).to.deep.include({
      persona_id: personaId,
      kind: 'feed',
      status: 'draft',
      caption: '안녕',
      alt_text: '바다',
      scheduled_at: null,
      local_at: null,
      time_zone: null,
      ig_media_id: null,
      permalink: null,
      error: null,
      attempts: 0,
      published_at: null,
      created_at: NOW.toISOString(),
    });
    expect(post.media).to.deep.equal([
      { media_id: mediaIds[2], url: `/media/${userId}-2.png` },
      { media_id: mediaIds[0], url: `/media/${userId}-0.png` },
    ]);
    clock.advance(1000);
    const second = await created();
    await send('POST', `/api/posts/${second.id}/schedule`, { at: '2027-02-01T09:00' });
    const all = await (await send('GET', `/api/personas/${personaId}/posts`)).json();
    expect(all.next_cursor, 'one page').to.equal(null);
    expect(all.posts.map((p: { id: number }) => p.id)).to.deep.equal([second.id, post.id]);
    const drafts = await (await send('GET', `/api/personas/${personaId}/posts?status=draft`)).json();
    expect(drafts.posts.map((p: { id: number }) => p.id)).to.deep.equal([post.id]);
    expect((await (await send('GET', `/api/posts/${post.id}`)).json()).post).to.deep.equal(post);
    await expectError(await send('GET', `/api/personas/${personaId}/posts?status=lost`), 400, 'invalid_request');
  });

  it('422 for what Instagram would refuse: caption_too_long, too_many_hashtags, too_many_mentions, media_not_found, validation_failed', async () => {
    const create = (body: Record<string, unknown>) =>
      send('POST', `/api/personas/${personaId}/posts`, { caption: 'x', media: [mediaIds[0]], ...body });
    const korean = '셀카😀'.repeat(733) + '가'; // 2,200 code points, 2,933 UTF-16 units
    expect([...korean].length).to.equal(2200);
    expect(korean.length).to.be.greaterThan(2200);
    const accepted = await create({ caption: korean });
    expect(accepted.status, 'counted by code point').to.equal(201);
    expect((await accepted.json()).post.caption).to.equal(korean);
    await expectError(await create({ caption: `${korean}!` }), 422, 'caption_too_long');
    await expectError(await create({ caption: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' ') }), 422, 'too_many_hashtags');
    await expectError(await create({ caption: Array.from({ length: 21 }, (_, i) => `@u${i}`).join(' ') }), 422, 'too_many_mentions');
    const [theirs] = await addMedia(userId + 1000, 1);
    await expectError(await create({ media: [mediaIds[0], theirs] }), 422, 'media_not_found');
    await expectError(await create({ media: [] }), 422, 'validation_failed');
    await expectError(await create({ media: Array.from({ length: 11 }, (_, i) => i + 1) }), 422, 'validation_failed');
    await expectError(await create({ media: [mediaIds[0], mediaIds[0]] }), 422, 'validation_failed');
    await expectError(await create({ alt_text: '가'.repeat(1001) }), 422, 'validation_failed');
    await expectError(await create({ extra: 1 }), 422, 'validation_failed');
    expect((await create({ alt_text: '😀'.repeat(1000) })).status, '1,000 code points of alt text').to.equal(201);
  });

  it('a story: one image and no caption (left out or empty), listed by kind; anything else is 422 story_invalid, in the reader’s language', async () => {
    const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      send('POST', `/api/personas/${personaId}/posts`, { kind: 'story', media: [mediaIds[0]], ...body }, headers);
    const res = await create({});
    expect(res.status).to.equal(201);
    const { post: story } = await res.json();
    expect(story).to.deep.include({ kind: 'story', caption: '', status: 'draft' });
    expect(story.media).to.deep.equal([{ media_id: mediaIds[0], url: `/media/${userId}-0.png` }]);
    clock.advance(1000);
    const emptyCaption = await create({ caption: '', media: [mediaIds[1]] });
    expect(emptyCaption.status, 'an empty caption is none').to.equal(201);
    const second = (await emptyCaption.json()).post;
    clock.advance(1000);
    const feed = await created();
    expect(feed.kind, 'a feed post unless told').to.equal('feed');

    const twoImages = await expectError(await create({ media: mediaIds.slice(0, 2) }), 422, 'story_invalid');
    expect(twoImages.message).to.equal('A story has exactly one image.');
    const captioned = await expectError(await create({ caption: '안녕' }, { 'accept-language': 'ko' }), 422, 'story_invalid');
    expect(captioned.message).to.equal('스토리에는 캡션을 쓸 수 없어요.');
    await expectError(await create({ caption: ' ' }), 422, 'story_invalid');
    await expectError(await create({ kind: 'reel' }), 422, 'validation_failed');
    await expectError(await create({ kind: 'feed' }), 422, 'validation_failed'); // a feed post needs its caption
    await expectError(await create({ media: [] }), 422, 'validation_failed');

    const list = async (query: string) =>
      ((await (await send('GET', `/api/personas/${personaId}/posts?${query}`)).json()).posts as { id: number }[]).map((p) => p.id);
    expect(await list('kind=story')).to.deep.equal([second.id, story.id]);
    expect(await list('kind=feed')).to.deep.equal([feed.id]);
    expect(await list('kind=story&status=draft&limit=1')).to.deep.equal([second.id]);
    expect(await list('kind=story&status=failed')).to.deep.equal([]);
    const page = await (await send('GET', `/api/personas/${personaId}/posts?kind=story&limit=1`)).json();
    const next = await (await send('GET', `/api/personas/${personaId}/posts?kind=story&limit=1&before=${page.next_cursor}`)).json();
    expect(
      next.posts.map((p: { id: number }) => p.id),
      'the next page keeps the kind',
    ).to.deep.equal([story.id]);
    await expectError(await send('GET', `/api/personas/${personaId}/posts?kind=reel`), 400, 'invalid_request');
  });

  it('PATCH on a story keeps the rule: its one image may be replaced by another; a caption or more images is 422 story_invalid', async () => {
    const res = await send('POST', `/api/personas/${personaId}/posts`, { kind: 'story', media: [mediaIds[0]] });
    const { post: story } = await res.json();
    const edited = await send('PATCH', `/api/posts/${story.id}`, { media: [mediaIds[2]], alt_text: '바다' });
    expect(edited.status).to.equal(200);
    expect((await edited.json()).post).to.deep.include({
      kind: 'story',
      media: [{ media_id: mediaIds[2], url: `/media/${userId}-2.png` }],
    });
    expect((await send('PATCH', `/api/posts/${story.id}`, { caption: '' })).status, 'still no caption').to.equal(200);
    await expectError(await send('PATCH', `/api/posts/${story.id}`, { caption: '캡션' }), 422, 'story_invalid');
    await expectError(await send('PATCH', `/api/posts/${story.id}`, { media: mediaIds.slice(0, 2) }), 422, 'story_invalid');
    await expectError(await send('PATCH', `/api/posts/${story.id}`, { kind: 'feed' }), 422, 'validation_failed'); // fixed at creation
    const after = (await (await send('GET', `/api/posts/${story.id}`)).json()).post;
    expect(after).to.deep.include({ kind: 'story', caption: '', alt_text: '바다' });
    expect(after.media).to.have.length(1);
    const feed = await created();
    expect((await send('PATCH', `/api/posts/${feed.id}`, { caption: '' })).status, 'a feed post may drop its caption').to.equal(200);
  });

  it('404 persona_not_found for another user’s persona; 404 post_not_found for another user’s post on every route', async () => {
    const other = (await persistence.users.upsertIdentity({ provider: 'google', providerUserId: 'o', nickname: null, profileImage: null }))
      .id;
    const theirPersona = await persistence.personas.create(other, 'theirs', {});
    await expectError(
      await send('POST', `/api/personas/${theirPersona.id}/posts`, { caption: 'x', media: [mediaIds[0]] }),
      404,
      'persona_not_found',
    );
    await expectError(await send('GET', `/api/personas/${theirPersona.id}/posts`), 404, 'persona_not_found');
    await expectError(await send('GET', `/api/personas/${theirPersona.id}/instagram/status`), 404, 'persona_not_found');
    await expectError(await send('GET', `/api/personas/abc/posts`), 404, 'persona_not_found');
    const post = await created();
    const strangerCookie = await app.sessionCookie(other);
    const asStranger = (method: string, path: string, body?: unknown) => send(method, path, body, { cookie: strangerCookie });
    for (const [method, path, body] of [
      ['GET', `/api/posts/${post.id}`],
      ['PATCH', `/api/posts/${post.id}`, { caption: 'mine now' }],
      ['DELETE', `/api/posts/${post.id}`],
      ['POST', `/api/posts/${post.id}/publish`],
      ['POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' }],
      ['DELETE', `/api/posts/${post.id}/schedule`],
      ['POST', `/api/posts/${post.id}/retry`],
    ] as const) {
      await expectError(await asStranger(method, path, body), 404, 'post_not_found');
    }
    await expectError(await send('GET', '/api/posts/999999'), 404, 'post_not_found');
    expect((await (await send('GET', `/api/posts/${post.id}`)).json()).post).to.deep.equal(post);
    expect((await app.fetch(`/api/posts/${post.id}`)).status, 'no session').to.equal(401);
  });

  it('PATCH changes caption, images (replaced) and alt text; a scheduled post keeps its status and job; 409 once publishing', async () => {
    const post = await created();
    await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' });
    const before = await jobOf(post.id);
    const res = await send('PATCH', `/api/posts/${post.id}`, { caption: '고친 캡션', media: [mediaIds[2]], alt_text: null });
    expect(res.status).to.equal(200);
    const { post: edited } = await res.json();
    expect(edited).to.deep.include({ status: 'scheduled', caption: '고친 캡션', alt_text: null, scheduled_at: '2027-02-01T00:00:00.000Z' });
    expect(edited.media).to.deep.equal([{ media_id: mediaIds[2], url: `/media/${userId}-2.png` }]);
    expect(await jobOf(post.id)).to.deep.equal(before);
    await expectError(await send('PATCH', `/api/posts/${post.id}`, { caption: '#a '.repeat(31) }), 422, 'too_many_hashtags');
    await expectError(await send('PATCH', `/api/posts/${post.id}`, { media: [999] }), 422, 'media_not_found');
    expect((await send('POST', `/api/posts/${post.id}/publish`)).status).to.equal(202);
    await expectError(await send('PATCH', `/api/posts/${post.id}`, { caption: 'late' }), 409, 'post_not_editable');
    await expectError(await send('DELETE', `/api/posts/${post.id}`), 409, 'post_not_editable');
  });

  it('DELETE removes a scheduled post and cancels its job atomically; a draft goes too', async () => {
    const post = await created();
    await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' });
    expect((await jobOf(post.id))!.state).to.equal('queued');
    const res = await send('DELETE', `/api/posts/${post.id}`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ ok: true });
    expect((await jobOf(post.id))?.state ?? 'gone', 'no job left to run').to.be.oneOf(['cancelled', 'gone']);
    await expectError(await send('GET', `/api/posts/${post.id}`), 404, 'post_not_found');
    const draft = await created();
    expect((await send('DELETE', `/api/posts/${draft.id}`)).status).to.equal(200);
  });

  it('publish: 202 publishing with the job queued now in the account’s lane; 409 post_not_publishable after; Idempotency-Key repeats answer 202', async () => {
    const post = await created();
    const res = await send('POST', `/api/posts/${post.id}/publish`, undefined, { 'idempotency-key': 'req-1' });
    expect(res.status).to.equal(202);
    const { post: publishing } = await res.json();
    expect(publishing).to.include({ status: 'publishing', error: null, scheduled_at: null });
    const job = (await jobOf(post.id))!;
    expect(job).to.include({ kind: 'publish_post', reference: String(post.id), lane: `ig:${IG.igUserId}`, state: 'queued' });
    expect(job.runAt.toISOString()).to.equal(NOW.toISOString());
    const repeat = await send('POST', `/api/posts/${post.id}/publish`, undefined, { 'idempotency-key': 'req-1' });
    expect(repeat.status).to.equal(202);
    expect((await repeat.json()).post).to.deep.equal(publishing);
    await expectError(
      await send('POST', `/api/posts/${post.id}/publish`, undefined, { 'idempotency-key': 'req-2' }),
      409,
      'post_not_publishable',
    );
    await expectError(await send('POST', `/api/posts/${post.id}/publish`), 409, 'post_not_publishable');
    await expectError(await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' }), 409, 'post_not_publishable');
    await expectError(
      await send('POST', `/api/posts/${post.id}/publish`, undefined, { 'idempotency-key': 'x'.repeat(256) }),
      400,
      'invalid_request',
    );
  });

  it('publish and schedule: 409 persona_not_linked, 401 persona_oauth_expired (expired token, or Meta refused it)', async () => {
    const post = await created();
    const token = { sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' }, metaUserId: null, storedAt: NOW };
    await persistence.instagramTokens.save(userId, personaNum, { ...token, expiresAt: NOW });
    await expectError(await send('POST', `/api/posts/${post.id}/publish`), 401, 'persona_oauth_expired');
    await expectError(await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' }), 401, 'persona_oauth_expired');
    await persistence.instagramTokens.save(userId, personaNum, { ...token, expiresAt: new Date(NOW.getTime() + 86_400_000) });
    await persistence.instagramTokens.markNeedsReconnect(userId, personaNum);
    await expectError(await send('POST', `/api/posts/${post.id}/publish`), 401, 'persona_oauth_expired');
    await persistence.personas.unlinkInstagram(userId, { id: personaId });
    await expectError(await send('POST', `/api/posts/${post.id}/publish`), 409, 'persona_not_linked');
    await expectError(await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' }), 409, 'persona_not_linked');
    expect(await jobOf(post.id), 'nothing queued').to.equal(null);
    expect((await (await send('GET', `/api/posts/${post.id}`)).json()).post.status).to.equal('draft');
  });

  it('schedule: the UTC instant of a local time (APP_TIMEZONE by default); rescheduling moves the job; the 422s', async () => {
    const post = await created();
    const schedule = (body: Record<string, unknown>) => send('POST', `/api/posts/${post.id}/schedule`, body);
    const res = await schedule({ at: '2027-02-01T09:00' });
    expect(res.status).to.equal(200);
    expect((await res.json()).post).to.include({
      status: 'scheduled',
      scheduled_at: '2027-02-01T00:00:00.000Z',
      local_at: '2027-02-01T09:00',
      time_zone: 'Asia/Seoul',
    });
    const moved = await (await schedule({ at: '2027-11-07T01:30', time_zone: 'America/New_York' })).json();
    expect(moved.post).to.include({ scheduled_at: '2027-11-07T05:30:00.000Z', time_zone: 'America/New_York' });
    expect((await jobOf(post.id))!.runAt.toISOString(), 'the job moved with it').to.equal('2027-11-07T05:30:00.000Z');
    const gap = await expectError(await schedule({ at: '2027-03-14T02:30', time_zone: 'America/New_York' }), 422, 'validation_failed');
    expect(gap.details[0].path).to.equal('/at');
    expect(gap.details[0].message).to.include('skip');
    await expectError(await schedule({ at: '2027-01-10T09:00' }), 422, 'schedule_in_past');
    await expectError(await schedule({ at: '2028-01-11T09:00' }), 422, 'schedule_too_far');
    await expectError(await schedule({ at: '2027-02-01T09:00', time_zone: 'Mars/Olympus_Mons' }), 422, 'invalid_time_zone');
    await expectError(await schedule({ at: '2027-02-01 09:00' }), 422, 'validation_failed');
    expect((await jobOf(post.id))!.runAt.toISOString(), 'refusals moved nothing').to.equal('2027-11-07T05:30:00.000Z');
    const status = await (await send('GET', `/api/personas/${personaId}/instagram/status`)).json();
    expect(status.instagram.next_scheduled_at).to.equal('2027-11-07T05:30:00.000Z');
  });

  it('DELETE schedule: scheduled → draft with the job cancelled; a draft is 200 unchanged; 409 post_not_editable once publishing', async () => {
    const post = await created();
    await send('POST', `/api/posts/${post.id}/schedule`, { at: '2027-02-01T09:00' });
    const res = await send('DELETE', `/api/posts/${post.id}/schedule`);
    expect(res.status).to.equal(200);
    expect((await res.json()).post).to.include({ status: 'draft', scheduled_at: null, local_at: null, time_zone: null });
    expect((await jobOf(post.id))!.state).to.equal('cancelled');
    const again = await send('DELETE', `/api/posts/${post.id}/schedule`);
    expect(again.status).to.equal(200);
    expect((await again.json()).post.status).to.equal('draft');
    await send('POST', `/api/posts/${post.id}/publish`);
    expect((await jobOf(post.id))!.state, 'the cancelled job queued again').to.equal('queued');
    await expectError(await send('DELETE', `/api/posts/${post.id}/schedule`), 409, 'post_not_editable');
  });

  it('retry: a failed post is queued again now → 202; anything else is 409 post_not_publishable', async () => {
    const post = await created();
    await expectError(await send('POST', `/api/posts/${post.id}/retry`), 409, 'post_not_publishable');
    await send('POST', `/api/posts/${post.id}/publish`);
    const job = (await persistence.jobs.claim('worker', ['publish_post'], NOW, 60_000))!;
    await persistence.jobs.fail({ jobId: job.id, owner: 'worker' }, 'failed', 'refused', NOW);
    const error = postError('media_rejected', metaSaid('The image is too small.'), { metaCode: 36003, metaSubcode: 2207009 });
    await persistence.posts.update(post.id, ['publishing'], { status: 'failed', error }, NOW);
    const failed = (await (await send('GET', `/api/posts/${post.id}`)).json()).post;
    expect(failed.error).to.deep.equal({
      code: 'media_rejected',
      message: 'The image is too small.',
      meta_code: 36003,
      meta_subcode: 2207009,
    });
    clock.advance(5000);
    const res = await send('POST', `/api/posts/${post.id}/retry`);
    expect(res.status).to.equal(202);
    expect((await res.json()).post).to.include({ status: 'publishing', error: null });
    expect(await jobOf(post.id)).to.include({ state: 'queued', attempts: 0 });
    expect((await jobOf(post.id))!.runAt.toISOString()).to.equal(clock.now().toISOString());
    await expectError(await send('POST', `/api/posts/${post.id}/retry`), 409, 'post_not_publishable');
  });

  it('a failed post’s error is stored by key and worded in the reader’s language when read (GET and the list)', async () => {
    const post = await created();
    await send('POST', `/api/posts/${post.id}/publish`);
    const error = postError('media_unavailable', message('post_media_gone'));
    await persistence.posts.update(post.id, ['publishing'], { status: 'failed', error }, NOW);
    const read = async (language?: string) => {
      const headers = language ? { 'accept-language': language } : undefined;
      const one = await send('GET', `/api/posts/${post.id}`, undefined, headers);
      const listed = (await (await send('GET', `/api/personas/${personaId}/posts`, undefined, headers)).json()).posts[0].error;
      expect(one.headers.get('vary')).to.match(/accept-language/i);
      const { error } = (await one.json()).post;
      expect(listed, 'the list words it alike').to.deep.equal(error);
      return error;
    };
    const english = {
      code: 'media_unavailable',
      message: 'An image of this post is no longer in the media library.',
      meta_code: null,
      meta_subcode: null,
    };
    expect(await read()).to.deep.equal(english);
    expect(await read('en-US,en;q=0.9')).to.deep.equal(english);
    expect(await read('ko-KR,ko;q=0.9,en;q=0.5')).to.deep.equal({
      ...english,
      message: '이 게시물의 이미지가 미디어 보관함에 더 이상 없어요.',
    });
  });

  it('instagram status: the link, the token, Meta’s quota (null when Meta fails), the next scheduled post; unlinked: not linked, no reconnect, nulls', async () => {
    const expiresAt = new Date('2027-03-01T00:00:00Z');
    await persistence.instagramTokens.save(userId, personaNum, {
      sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' },
      expiresAt,
      metaUserId: null,
      storedAt: NOW,
    });
    const cipher = new AesGcmTokenCipher(app.config.tokenEncryptionKey);
    const seal = (token: string) => cipher.seal(token, pageTokenAssociatedData(userId, personaNum));
    await persistence.instagramTokens.savePageToken(userId, personaNum, seal(meta.issuePageToken(IG.pageId)));
    const status = async () => {
      const res = await send('GET', `/api/personas/${personaId}/instagram/status`);
      expect(res.status).to.equal(200);
      return (await res.json()).instagram;
    };
    expect(await status()).to.deep.equal({
      linked: true,
      ig_username: IG.username,
      needs_reconnect: false,
      token_expires_at: expiresAt.toISOString(),
      quota: { used: 0, total: 100, window_seconds: 86_400 },
      next_scheduled_at: null,
    });
    await persistence.instagramTokens.savePageToken(userId, personaNum, seal('a-page-token-meta-refuses'));
    await persistence.instagramTokens.markNeedsReconnect(userId, personaNum);
    expect(await status()).to.include({ quota: null, needs_reconnect: true });
    await persistence.personas.unlinkInstagram(userId, { id: personaId });
    expect(await status()).to.deep.equal({
      linked: false,
      ig_username: null,
      needs_reconnect: false,
      token_expires_at: null,
      quota: null,
      next_scheduled_at: null,
    });
  });
});
