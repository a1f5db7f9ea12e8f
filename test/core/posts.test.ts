import { expect } from 'chai';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryMediaLibrary } from '../../adapters/in-memory/in-memory-media-library.js';
import { InMemoryMediaStore } from '../../adapters/in-memory/in-memory-media-store.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { InMemoryTransactionRunner } from '../../adapters/in-memory/in-memory-transaction-runner.js';
import {
  checkCaption,
  codePoints,
  postError,
  publishJobKey,
  PUBLISH_POST_JOB,
  PostQueue,
  instantOf,
  scheduleInstant,
  CreatePost,
  DeletePost,
  EditPost,
  PublishPost,
  RetryPost,
  SchedulePost,
  UnschedulePost,
} from '../../core/publishing/index.js';
import { UnnamedFiles } from '../../core/images/index.js';
import { codeOf, rejection } from '../support/rejection.js';

const NOW = new Date('2027-01-10T00:00:00Z');
/** The persona's Instagram link (Facebook Login). */
const LINK = { igUserId: '1784', igUsername: 'star', fbPageId: 'p1', linkedAt: NOW, login: 'facebook' } as const;
const SEALED = { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k' };

describe('caption rules', () => {
  const codeFor = (caption: string) => codeOf(Promise.resolve().then(() => checkCaption(caption)));

  it('counts characters by code point: 2,200 Korean syllables and emoji pass, one more is caption_too_long', async () => {
    const caption = '가나다😀'.repeat(550);
    expect(codePoints(caption)).to.equal(2200);
    expect(caption.length, 'UTF-16 units').to.equal(2750);
    expect(() => checkCaption(caption)).not.to.throw();
    expect(await codeFor(`${caption}!`)).to.equal('caption_too_long');
  });

  it('30 hashtags in any script pass, 31 are too_many_hashtags; a # inside a word is no hashtag', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `#태그_${i}`).join(' ');
    expect(() => checkCaption(tags(30))).not.to.throw();
    expect(await codeFor(tags(31))).to.equal('too_many_hashtags');
    expect(() => checkCaption(`${tags(30)} C#sharp a#b`)).not.to.throw();
  });

  it('20 mentions pass, 21 are too_many_mentions; an e-mail address is no mention', async () => {
    const mentions = (n: number) => Array.from({ length: n }, (_, i) => `@user.${i}`).join(' ');
    expect(() => checkCaption(mentions(20))).not.to.throw();
    expect(await codeFor(mentions(21))).to.equal('too_many_mentions');
    expect(() => checkCaption(`${mentions(20)} me@example.com`)).not.to.throw();
  });
});

describe('schedule time: a wall-clock time in an IANA zone', () => {
  it('reads a time in Asia/Seoul (no daylight saving) as UTC+9', () => {
    expect(instantOf('2027-05-01T10:00', 'Asia/Seoul').toISOString()).to.equal('2027-05-01T01:00:00.000Z');
    expect(instantOf('2027-03-14T02:30', 'Asia/Seoul').toISOString()).to.equal('2027-03-13T17:30:00.000Z');
  });

  it('refuses a time America/New_York skips in the spring (validation_failed at /at), never shifting it', async () => {
    const error = await rejection(Promise.resolve().then(() => instantOf('2027-03-14T02:30', 'America/New_York')));
    expect(error.code).to.equal('validation_failed');
    expect(error.details).to.have.length(1);
    expect(error.details![0]).to.have.deep.property('field', ['at']);
    expect(error.details![0].message).to.deep.equal({
      key: 'schedule_time_skipped',
      params: { localAt: '2027-03-14T02:30', timeZone: 'America/New_York' },
    });
    expect(instantOf('2027-03-14T03:30', 'America/New_York').toISOString(), 'just after the gap (EDT)').to.equal(
      '2027-03-14T07:30:00.000Z',
    );
    expect(instantOf('2027-03-14T01:59', 'America/New_York').toISOString(), 'just before it (EST)').to.equal('2027-03-14T06:59:00.000Z');
  });

  it('reads a time America/New_York passes twice in the autumn as the earlier instant (EDT)', () => {
    expect(instantOf('2027-11-07T01:30', 'America/New_York').toISOString()).to.equal('2027-11-07T05:30:00.000Z');
    expect(instantOf('2027-11-07T02:30', 'America/New_York').toISOString(), 'after the overlap (EST)').to.equal('2027-11-07T07:30:00.000Z');
  });

  it('invalid_time_zone for a zone that is not IANA; validation_failed for a date that does not exist', async () => {
    expect(await codeOf(Promise.resolve().then(() => instantOf('2027-05-01T10:00', 'Mars/Olympus_Mons')))).to.equal('invalid_time_zone');
    expect(await codeOf(Promise.resolve().then(() => instantOf('2027-05-01T10:00', '+09:00')))).to.equal('invalid_time_zone');
    for (const at of ['2027-02-30T10:00', '2027-05-01T24:00', '2027-05-01 10:00', '2027-05-01T10:00:00']) {
      expect(await codeOf(Promise.resolve().then(() => instantOf(at, 'Asia/Seoul'))), at).to.equal('validation_failed');
    }
  });

  it('schedule_in_past at or before now, schedule_too_far beyond 365 days', async () => {
    const at = (localAt: string) => Promise.resolve().then(() => scheduleInstant(localAt, 'UTC', NOW));
    expect(await codeOf(at('2027-01-10T00:00'))).to.equal('schedule_in_past');
    expect((await at('2027-01-10T00:01')).toISOString()).to.equal('2027-01-10T00:01:00.000Z');
    expect((await at('2028-01-10T00:00')).toISOString(), '365 days ahead').to.equal('2028-01-10T00:00:00.000Z');
    expect(await codeOf(at('2028-01-10T00:01'))).to.equal('schedule_too_far');
  });
});

describe('post use cases', () => {
  let clock: FixedClock;
  let tokens: InMemoryInstagramTokenStore;
  let personas: InMemoryPersonaRepository;
  let library: InMemoryMediaLibrary;
  let jobs: InMemoryJobQueue;
  let posts: InMemoryPostRepository;
  let queue: PostQueue;
  let media: InMemoryMediaStore;
  let files: UnnamedFiles;
  let userId: number;
  let personaId: number;
  let mediaIds: number[];

  beforeEach(async () => {
    clock = new FixedClock(NOW);
    tokens = new InMemoryInstagramTokenStore();
    personas = new InMemoryPersonaRepository(tokens);
    library = new InMemoryMediaLibrary();
    jobs = new InMemoryJobQueue();
    posts = new InMemoryPostRepository(jobs);
    queue = new PostQueue(posts, personas, tokens, jobs, new InMemoryTransactionRunner(), clock);
    media = new InMemoryMediaStore();
    files = new UnnamedFiles([personas, library, posts], media);
    userId = 7;
    const persona = await personas.create(userId, '페르소나', {});
    personaId = persona.id;
    await personas.linkInstagram(userId, personaId, LINK);
    mediaIds = [];
    for (const name of ['a', 'b', 'c']) {
      const media = await library.add(
        { userId, url: `/media/${name}.png`, contentType: 'image/png', width: 1, height: 1, bytes: 1, source: 'upload' },
        NOW,
      );
      mediaIds.push(media.id);
    }
  });

  const create = (media = mediaIds.slice(0, 2), caption = '안녕 #셀프스타') =>
    new CreatePost(personas, library, posts, clock).execute(userId, personaId, { caption, media, altText: null });
  const publish = (postId: number, idempotencyKey: string | null = null) =>
    new PublishPost(posts, queue).execute({ userId, postId, idempotencyKey });
  const schedule = (postId: number, at: string, timeZone?: string) =>
    new SchedulePost(posts, queue, clock, 'Asia/Seoul').execute({ userId, postId, at, timeZone });

  it('creates a draft with the images in the order given; media_not_found for another user’s image or none', async () => {
    const post = await create([mediaIds[2], mediaIds[0]]);
    expect(post).to.include({ status: 'draft', userId, personaId });
    expect(post.media.map((m) => m.url)).to.deep.equal(['/media/c.png', '/media/a.png']);
    const theirs = await library.add(
      { userId: 8, url: '/media/x.png', contentType: 'image/png', width: 1, height: 1, bytes: 1, source: 'ai' },
      NOW,
    );
    expect(await codeOf(create([mediaIds[0], theirs.id]))).to.equal('media_not_found');
    expect(await codeOf(create([999]))).to.equal('media_not_found');
    expect(await codeOf(create([mediaIds[0], mediaIds[0]])), 'an image twice').to.equal('validation_failed');
    expect(await codeOf(create([])), 'no image').to.equal('validation_failed');
  });

  it('a story: one image, no caption, checked before any media is read; the rule holds for every edit; the kind never changes', async () => {
    const story = (content: { caption?: string; media?: number[] }) =>
      new CreatePost(personas, library, posts, clock).execute(userId, personaId, {
        kind: 'story',
        caption: content.caption ?? '',
        media: content.media ?? [mediaIds[0]],
        altText: null,
      });
    const made = await story({});
    expect(made).to.include({ kind: 'story', caption: '', status: 'draft' });
    expect((await create()).kind, 'a feed post unless told').to.equal('feed');
    const invalid = async (promise: Promise<unknown>) => {
      const error = await rejection(promise);
      expect(error).to.include({ code: 'story_invalid' });
      return error.said.key;
    };
    expect(await invalid(story({ media: mediaIds.slice(0, 2) }))).to.equal('story_one_image');
    expect(await invalid(story({ caption: '안녕' }))).to.equal('story_no_caption');
    expect(await invalid(story({ caption: '안녕', media: [999, 998] })), 'before the media are looked up').to.equal('story_one_image');
    expect(await codeOf(story({ media: [999] })), 'one image, not the caller’s').to.equal('media_not_found');
    expect(await invalid(story({ media: [] })), 'none is not one either').to.equal('story_one_image');

    const edit = (change: { caption?: string; media?: number[] }) =>
      new EditPost(library, posts, clock, files).execute(userId, made.id, change);
    expect(await invalid(edit({ caption: '#셀카' }))).to.equal('story_no_caption');
    expect(await invalid(edit({ media: [mediaIds[0], mediaIds[1]] }))).to.equal('story_one_image');
    const edited = await edit({ media: [mediaIds[2]], caption: '' });
    expect(edited).to.include({ kind: 'story', caption: '' });
    expect(edited.media.map((m) => m.mediaId)).to.deep.equal([mediaIds[2]]);
    expect((await posts.findById(made.id))!.kind).to.equal('story');
  });

  it('publishes now: publishing, error and containers forgotten, one job in the account’s lane, due now', async () => {
    const post = await create();
    await posts.saveMediaProgress(post.id, 0, { containerId: 'old-container', preparedUrl: '/media/a.png.jpg' });
    await posts.update(post.id, ['draft'], { status: 'failed', error: postError('publish_failed'), containerId: 'c' }, NOW);
    const published = await publish(post.id);
    expect(published).to.include({ status: 'publishing', error: null, containerId: null });
    expect(published.media.map((m) => m.containerId)).to.deep.equal([null, null]);
    const job = await jobs.findByDedupeKey(publishJobKey(post.id));
    expect(job).to.include({ kind: PUBLISH_POST_JOB, reference: String(post.id), lane: 'ig:1784', state: 'queued' });
    expect(job!.runAt).to.deep.equal(NOW);
    expect(await codeOf(publish(post.id)), 'already publishing').to.equal('post_not_publishable');
  });

  it('publishing a scheduled post moves its queued job to now', async () => {
    const post = await create();
    await schedule(post.id, '2027-02-01T09:00');
    expect((await jobs.findByDedupeKey(publishJobKey(post.id)))!.runAt.toISOString()).to.equal('2027-02-01T00:00:00.000Z');
    const published = await publish(post.id);
    expect(published).to.include({ status: 'publishing', scheduledAt: null, localAt: null, timeZone: null });
    expect((await jobs.findByDedupeKey(publishJobKey(post.id)))!.runAt).to.deep.equal(NOW);
  });

  it('an Idempotency-Key repeat answers the post as it is now; another key is refused', async () => {
    const post = await create();
    const first = await publish(post.id, 'key-1');
    expect(first.publishKey).to.equal('key-1');
    const repeat = await publish(post.id, 'key-1');
    expect(repeat).to.deep.equal(first);
    expect(await codeOf(publish(post.id, 'key-2'))).to.equal('post_not_publishable');
  });

  it('persona_not_linked without a link; persona_oauth_expired for an expired token or one Meta refused; no token row may try', async () => {
    const post = await create();
    await personas.unlinkInstagram(userId, { id: personaId });
    expect(await codeOf(publish(post.id))).to.equal('persona_not_linked');
    expect(await codeOf(schedule(post.id, '2027-02-01T09:00'))).to.equal('persona_not_linked');
    await personas.linkInstagram(userId, personaId, LINK);
    const persona = (await personas.findOwned(userId, { id: personaId }))!;
    await tokens.save(userId, persona.num, { sealed: SEALED, expiresAt: NOW, metaUserId: null, storedAt: NOW });
    expect(await codeOf(publish(post.id)), 'expired').to.equal('persona_oauth_expired');
    await tokens.save(userId, persona.num, { sealed: SEALED, expiresAt: new Date(NOW.getTime() + 1000), metaUserId: null, storedAt: NOW });
    await tokens.markNeedsReconnect(userId, persona.num);
    expect(await codeOf(publish(post.id)), 'needs reconnect').to.equal('persona_oauth_expired');
    expect((await posts.findById(post.id))!.status, 'nothing changed').to.equal('draft');
    await tokens.delete(userId, persona.num);
    expect((await publish(post.id)).status).to.equal('publishing');
  });

  it('schedules at the UTC instant of the wall-clock time (APP_TIMEZONE by default), rescheduling moves the job', async () => {
    const post = await create();
    const scheduled = await schedule(post.id, '2027-02-01T09:00');
    expect(scheduled).to.include({ status: 'scheduled', localAt: '2027-02-01T09:00', timeZone: 'Asia/Seoul' });
    expect(scheduled.scheduledAt!.toISOString()).to.equal('2027-02-01T00:00:00.000Z');
    const moved = await schedule(post.id, '2027-11-07T01:30', 'America/New_York');
    expect(moved.scheduledAt!.toISOString()).to.equal('2027-11-07T05:30:00.000Z');
    const job = (await jobs.findByDedupeKey(publishJobKey(post.id)))!;
    expect(job).to.include({ state: 'queued', id: 1 });
    expect(job.runAt).to.deep.equal(moved.scheduledAt);
    expect(await codeOf(schedule(post.id, '2027-03-14T02:30', 'America/New_York')), 'in the gap').to.equal('validation_failed');
    expect((await posts.findById(post.id))!.scheduledAt, 'unchanged').to.deep.equal(moved.scheduledAt);
  });

  it('edits a scheduled post keeping its status and job; refuses a publishing one (post_not_editable)', async () => {
    const post = await create();
    await schedule(post.id, '2027-02-01T09:00');
    const edited = await new EditPost(library, posts, clock, files).execute(userId, post.id, { caption: '새 캡션', media: [mediaIds[2]] });
    expect(edited).to.include({ status: 'scheduled', caption: '새 캡션' });
    expect(edited.media.map((m) => m.mediaId)).to.deep.equal([mediaIds[2]]);
    expect((await jobs.findByDedupeKey(publishJobKey(post.id)))!.state).to.equal('queued');
    await publish(post.id);
    expect(await codeOf(new EditPost(library, posts, clock, files).execute(userId, post.id, { caption: 'x' }))).to.equal(
      'post_not_editable',
    );
  });

  it('unschedules to draft with the job cancelled; a draft is answered unchanged; deleting cancels the job', async () => {
    const unschedule = (postId: number) => new UnschedulePost(posts, queue).execute(userId, postId);
    const post = await create();
    await schedule(post.id, '2027-02-01T09:00');
    expect(await unschedule(post.id)).to.include({ status: 'draft', scheduledAt: null, localAt: null, timeZone: null });
    expect((await jobs.findByDedupeKey(publishJobKey(post.id)))!.state).to.equal('cancelled');
    expect((await unschedule(post.id)).status).to.equal('draft');
    await schedule(post.id, '2027-02-01T09:00');
    expect((await jobs.findByDedupeKey(publishJobKey(post.id)))!.state, 'queued again').to.equal('queued');
    await new DeletePost(posts, queue, files).execute(userId, post.id);
    expect(await posts.findById(post.id)).to.equal(null);
    const other = await create();
    await publish(other.id);
    expect(await codeOf(unschedule(other.id))).to.equal('post_not_editable');
    expect(await codeOf(new DeletePost(posts, queue, files).execute(userId, other.id))).to.equal('post_not_editable');
  });

  it('deleting or editing a post removes the JPEGs prepared for it, unless another post names them', async () => {
    const prepared = async (postId: number, bytes: number[], position = 0) => {
      const url = await media.save(new Uint8Array(bytes), 'jpg');
      expect(await posts.saveMediaProgress(postId, position, { preparedUrl: url })).to.equal(true);
      return url;
    };
    const [deleted, shared, edited] = [await create(), await create(), await create()];
    const own = await prepared(deleted.id, [1]);
    const both = await prepared(shared.id, [2]);
    await prepared(deleted.id, [2], 1); // the same bytes as shared's: the same file
    const old = await prepared(edited.id, [3]);

    await new DeletePost(posts, queue, files).execute(userId, deleted.id);
    expect(await media.read(own), 'its own JPEG').to.equal(null);
    expect(await media.read(both), 'still named by the other post').not.to.equal(null);
    await new EditPost(library, posts, clock, files).execute(userId, edited.id, { caption: '캡션만' });
    expect(await media.read(old), 'any edit remakes the post: its JPEG goes').to.equal(null);
    expect(await media.read(both), 'the other post’s stays').not.to.equal(null);
  });

  it('refuses to move a post whose job a worker holds, changing nothing', async () => {
    const post = await create();
    await schedule(post.id, '2027-01-10T09:01');
    clock.advance(60 * 60 * 1000);
    await jobs.claim('worker-1', [PUBLISH_POST_JOB], clock.now(), 60_000);
    expect(await codeOf(new DeletePost(posts, queue, files).execute(userId, post.id))).to.equal('post_not_editable');
  });

  it('retries a failed post now (its failed job queued again); anything else is post_not_publishable', async () => {
    const retry = (postId: number) => new RetryPost(posts, queue).execute(userId, postId);
    const post = await create();
    expect(await codeOf(retry(post.id)), 'a draft').to.equal('post_not_publishable');
    await publish(post.id);
    const lease = await jobs.claim('worker-1', [PUBLISH_POST_JOB], NOW, 60_000);
    await jobs.fail({ jobId: lease!.id, owner: 'worker-1' }, 'failed', 'refused', NOW);
    await posts.update(post.id, ['publishing'], { status: 'failed', error: postError('publish_failed') }, NOW);
    clock.advance(1000);
    const retried = await retry(post.id);
    expect(retried).to.include({ status: 'publishing', error: null });
    const job = (await jobs.findByDedupeKey(publishJobKey(post.id)))!;
    expect(job).to.include({ state: 'queued', attempts: 0 });
    expect(job.runAt).to.deep.equal(clock.now());
  });

  it('another user’s post is post_not_found everywhere', async () => {
    const post = await create();
    const stranger = 99;
    expect(await codeOf(new PublishPost(posts, queue).execute({ userId: stranger, postId: post.id, idempotencyKey: null }))).to.equal(
      'post_not_found',
    );
    expect(await codeOf(new DeletePost(posts, queue, files).execute(stranger, post.id))).to.equal('post_not_found');
    expect(await codeOf(new EditPost(library, posts, clock, files).execute(stranger, post.id, { caption: 'x' }))).to.equal(
      'post_not_found',
    );
    expect((await posts.findById(post.id))!.status).to.equal('draft');
  });
});
