import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import { message } from '../../core/shared/index.js';
import {
  metaSaid,
  postError,
  TRANSITIONS,
  PUBLISH_POST_JOB,
  publishJobKey,
  type NewPost,
  type Post,
  type PostChange,
  type PostListQuery,
  type PostStatus,
  type PostRepository,
} from '../../core/publishing/index.js';
import type { JobQueue } from '../../core/jobs/index.js';
import type { PageKey, TransactionRunner } from '../../core/shared/index.js';
import type { PersonaRepository } from '../../core/personas/index.js';
import type { UserRepository } from '../../core/identity/index.js';

const EDITABLE = TRANSITIONS.edit.from;

export interface PostRepositoryFixture {
  posts: PostRepository;
  /** The same backend's queue: erasing posts deletes their jobs. */
  jobs: JobQueue;
  /** To create the owners (posts reference ss_user and ss_persona). */
  users: UserRepository;
  personas: PersonaRepository;
  transactions: TransactionRunner;
  /** Database backends: writes an error as rows did before error_key (an English sentence in error_message). */
  legacyError?(postId: number, code: string, sentence: string | null): Promise<unknown>;
  teardown(): Promise<void>;
}

const T0 = new Date('2031-03-01T09:00:00.123Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const file = (ext: string) => `/media/${randomBytes(8).toString('hex')}.${ext}`;
const CAPTION = '오늘의 셀카 🤳✨ #서울 @friend\n두 번째 줄 👩‍👩‍👧';

/**
 * The PostRepository contract: every implementation (fake, SQLite, MariaDB) passes it. `rollsBack`: the
 * transaction runner is a database transaction, and a failure undoes what the repository did inside it.
 */
export function describePostRepository(name: string, setup: () => Promise<PostRepositoryFixture>, options: { rollsBack: boolean }): void {
  describe(`PostRepository contract: ${name}`, () => {
    let f: PostRepositoryFixture;
    let posts: PostRepository;

    beforeEach(async () => {
      f = await setup();
      posts = f.posts;
    });
    afterEach(async () => {
      await f.teardown();
    });

    async function persona() {
      const identity = { provider: 'google', providerUserId: String(randomInt(1e9, 1e10)), nickname: null, profileImage: null } as const;
      const user = await f.users.upsertIdentity(identity);
      const { id } = await f.personas.create(user.id, 'p', {});
      return { userId: user.id, personaId: id };
    }

    function draft(owner: { userId: number; personaId: number }, images = 2, caption = 'caption'): NewPost {
      const media = Array.from({ length: images }, () => ({ mediaId: randomInt(1, 1e6), url: file('png') }));
      return { ...owner, caption, altText: null, media };
    }

    /** A post with its job queued and its first image prepared; answers the post and the prepared file. */
    async function postWithJob(owner: { userId: number; personaId: number }) {
      const post = await posts.create(draft(owner), T0);
      const prepared = file('jpg');
      await posts.saveMediaProgress(post.id, 0, { preparedUrl: prepared });
      const job = { kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: publishJobKey(post.id), lane: null, runAt: T0 };
      await f.jobs.enqueue(job, T0);
      return { post, prepared };
    }

    async function expectGone({ post, prepared }: Awaited<ReturnType<typeof postWithJob>>) {
      expect(await posts.findById(post.id)).to.equal(null);
      expect(await posts.referenced([prepared]), 'its media rows').to.deep.equal([]);
      expect(await f.jobs.findByDedupeKey(publishJobKey(post.id)), 'its job').to.equal(null);
    }

    async function expectKept({ post, prepared }: Awaited<ReturnType<typeof postWithJob>>) {
      expect((await posts.findById(post.id))?.media[0].preparedUrl).to.equal(prepared);
      expect(await f.jobs.findByDedupeKey(publishJobKey(post.id))).to.not.equal(null);
    }

    it('create stores a draft with its images in order and nothing published yet; findById and findOwned read it back', async () => {
      const owner = await persona();
      const input = draft(owner, 3, CAPTION);
      const post = await posts.create({ ...input, altText: '대체 텍스트 🌸' }, T0);
      const expected: Post = {
        id: post.id,
        ...owner,
        kind: 'feed',
        status: 'draft',
        caption: CAPTION,
        altText: '대체 텍스트 🌸',
        media: input.media.map((m) => ({ ...m, preparedUrl: null, containerId: null })),
        scheduledAt: null,
        localAt: null,
        timeZone: null,
        containerId: null,
        igMediaId: null,
        permalink: null,
        error: null,
        attempts: 0,
        publishKey: null,
        createdAt: T0,
        updatedAt: T0,
        publishedAt: null,
      };
      expect(post).to.deep.equal(expected);
      expect(await posts.findById(post.id), 'Korean and emoji round-trip').to.deep.equal(expected);
      expect(await posts.findOwned(owner.userId, post.id)).to.deep.equal(expected);
    });

    it("findOwned never answers another user's post; a missing post is null", async () => {
      const [alice, bob] = [await persona(), await persona()];
      const post = await posts.create(draft(alice), T0);
      expect(await posts.findOwned(bob.userId, post.id)).to.equal(null);
      expect(await posts.findOwned(alice.userId, post.id + 1000)).to.equal(null);
      expect(await posts.findById(post.id + 1000)).to.equal(null);
    });

    const ids = (list: Post[]) => list.map((p) => p.id);
    /** Every page of the list, read `limit` at a time; each page but the last is full and names the next. */
    async function allPages(
      owner: { userId: number; personaId: number },
      limit: number,
      filter: PostStatus | Pick<PostListQuery, 'status' | 'kind'> = {},
    ) {
      const { status, kind } = typeof filter === 'string' ? { status: filter, kind: undefined } : filter;
      const pages: Post[][] = [];
      let before: PageKey | undefined;
      for (;;) {
        const page = await posts.listByPersona(owner.userId, owner.personaId, { status, kind, limit, before });
        pages.push(page.items);
        if (page.next === null) return pages;
        expect(page.items, 'a page that names a next one is full').to.have.length(limit);
        expect(page.next).to.deep.equal({ createdAt: page.items[limit - 1].createdAt, id: page.items[limit - 1].id });
        before = page.next;
        expect(pages.length, 'pages end').to.be.below(50);
      }
    }

    it("listByPersona: that persona's posts of that user, newest first (equal times: the later row first), optionally of one status", async () => {
      const owner = await persona();
      const otherPersona = { userId: owner.userId, personaId: (await f.personas.create(owner.userId, 'q', {})).id };
      const first = await posts.create(draft(owner), at(0));
      const tieA = await posts.create(draft(owner), at(5));
      const tieB = await posts.create(draft(owner), at(5));
      const last = await posts.create(draft(owner), at(7));
      await posts.create(draft(otherPersona), at(9));
      await posts.update(first.id, ['draft'], { status: 'scheduled' }, at(10));
      const list = async (status?: PostStatus, who = owner) => posts.listByPersona(who.userId, owner.personaId, { status, limit: 100 });
      expect(await list()).to.deep.include({ next: null });
      expect(ids((await list()).items)).to.deep.equal([last.id, tieB.id, tieA.id, first.id]);
      expect(ids((await list('draft')).items)).to.deep.equal([last.id, tieB.id, tieA.id]);
      expect(ids((await list('scheduled')).items)).to.deep.equal([first.id]);
      expect(await list('published')).to.deep.equal({ items: [], next: null });
      const stranger = await persona();
      expect(await list(undefined, stranger), "another user's persona").to.deep.equal({ items: [], next: null });
      expect((await list()).items[0]).to.deep.equal(await posts.findById(last.id));
    });

    it('a listed post is the post as findById reads it, every field and any text (control characters, quotes, Korean, emoji)', async () => {
      const owner = await persona();
      const controls = Array.from({ length: 31 }, (_, n) => String.fromCharCode(n + 1)).join('');
      const text = `${controls}\u007f "quoted" \\back\\slash\\ /slash \u2028\u2029 ${CAPTION} {"json":[1]} </script>`;
      const plain = await posts.create(draft(owner, 3, text), at(1));
      const full = await posts.create({ ...draft(owner, 10, ''), altText: text }, at(2));
      await posts.saveMediaProgress(full.id, 9, { preparedUrl: file('jpg'), containerId: '17900000000000009' });
      const change: PostChange = {
        status: 'failed',
        scheduledAt: at(3_600_000),
        localAt: '2031-03-01T19:00',
        timeZone: 'Asia/Seoul',
        containerId: '17900000000000001',
        igMediaId: '17800000000000002',
        permalink: 'https://www.instagram.com/p/C0ffee/',
        error: postError('media_rejected', metaSaid(text), { metaCode: 2207050, metaSubcode: -1 }),
        attempts: 5,
        publishKey: `key ${text}`,
        publishedAt: at(7),
      };
      await posts.update(full.id, ['draft'], change, at(9));
      const listed = (await posts.listByPersona(owner.userId, owner.personaId, { limit: 10 })).items;
      expect(listed).to.deep.equal([(await posts.findById(full.id))!, (await posts.findById(plain.id))!]);
      expect(listed[1].caption).to.equal(text);
      expect(listed[0].media.map((m) => m.mediaId)).to.deep.equal(full.media.map((m) => m.mediaId));
    });

    it('listByPersona pages: `limit` posts a page, the next from the last key, null after the last page (none left empty)', async () => {
      const owner = await persona();
      const made: Post[] = [];
      for (const ms of [0, 10, 10, 10, 20, 30, 30]) made.push(await posts.create(draft(owner, 1), at(ms)));
      const newestFirst = ids([...made].reverse());
      const pages = await allPages(owner, 3);
      expect(pages.map(ids)).to.deep.equal([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
      expect((await allPages(owner, 7)).map(ids), 'exactly one full page').to.deep.equal([newestFirst]);
      expect((await allPages(owner, 1)).map(ids)).to.deep.equal(newestFirst.map((id) => [id]));
      expect(pages.flat()).to.deep.equal((await posts.listByPersona(owner.userId, owner.personaId, { limit: 100 })).items);
      expect(pages.flat()[0].media, 'each post with its images').to.deep.equal(made[6].media);
    });

    it('listByPersona pages of one status: only that status, in order, across pages', async () => {
      const owner = await persona();
      const drafts: number[] = [];
      for (let n = 0; n < 9; n++) {
        const post = await posts.create(draft(owner, 1), at(n * 1000));
        if (n % 3 === 1) await posts.update(post.id, ['draft'], { status: 'failed' }, at(n * 1000));
        else drafts.unshift(post.id);
      }
      expect((await allPages(owner, 4, 'draft')).map(ids)).to.deep.equal([drafts.slice(0, 4), drafts.slice(4)]);
      expect((await allPages(owner, 2, 'failed')).flat().map((p) => p.status)).to.deep.equal(['failed', 'failed', 'failed']);
    });

    it('a story is stored as one and reads back as one; a post made without a kind is a feed post', async () => {
      const owner = await persona();
      const story = await posts.create({ ...draft(owner, 1, ''), kind: 'story' }, at(1));
      const feed = await posts.create({ ...draft(owner, 1), kind: 'feed' }, at(2));
      expect(story.kind).to.equal('story');
      expect((await posts.findById(story.id))?.kind).to.equal('story');
      expect((await posts.findById(feed.id))?.kind).to.equal('feed');
      const moved = await posts.update(story.id, ['draft'], { status: 'scheduled', scheduledAt: at(5) }, at(3));
      expect(moved?.kind, 'an update keeps the kind').to.equal('story');
      const listed = (await posts.listByPersona(owner.userId, owner.personaId, { limit: 10 })).items;
      expect(listed.map((p) => p.kind)).to.deep.equal(['feed', 'story']);
    });

    it('listByPersona pages of one kind, and of one kind and status: only those, in order, across pages', async () => {
      const owner = await persona();
      const other = { userId: owner.userId, personaId: (await f.personas.create(owner.userId, 'q', {})).id };
      const stories: Post[] = [];
      const feed: number[] = [];
      for (let n = 0; n < 12; n++) {
        const kind = n % 3 === 0 ? 'feed' : 'story';
        const post = await posts.create({ ...draft(owner, 1, kind === 'story' ? '' : 'c'), kind }, at(n * 1000));
        await posts.create({ ...draft(other, 1, ''), kind: 'story' }, at(n * 1000));
        if (kind === 'feed') feed.unshift(post.id);
        else stories.unshift(n % 2 === 0 ? (await posts.update(post.id, ['draft'], { status: 'failed' }, at(n)))! : post);
      }
      const storyIds = ids(stories);
      expect((await allPages(owner, 3, { kind: 'story' })).map(ids)).to.deep.equal([0, 3, 6].map((n) => storyIds.slice(n, n + 3)));
      expect((await allPages(owner, 3, { kind: 'feed' })).map(ids)).to.deep.equal([feed.slice(0, 3), feed.slice(3)]);
      const failedStories = ids(stories.filter((p) => p.status === 'failed'));
      expect(failedStories).to.have.length(4);
      expect((await allPages(owner, 3, { kind: 'story', status: 'failed' })).map(ids)).to.deep.equal([
        failedStories.slice(0, 3),
        failedStories.slice(3),
      ]);
      expect((await allPages(owner, 5, { kind: 'feed', status: 'failed' })).flat()).to.deep.equal([]);
      const draftStories = (await allPages(owner, 2, { kind: 'story', status: 'draft' })).flat();
      expect(draftStories.map((p) => [p.kind, p.status])).to.deep.equal(Array(4).fill(['story', 'draft']));
    });

    it('posts added between two page reads shift or repeat nothing in the later pages; a deleted key still pages', async () => {
      const owner = await persona();
      const made: Post[] = [];
      for (let n = 0; n < 6; n++) made.push(await posts.create(draft(owner, 1), at(n * 1000)));
      const first = await posts.listByPersona(owner.userId, owner.personaId, { limit: 2 });
      expect(ids(first.items)).to.deep.equal([made[5].id, made[4].id]);
      // newer posts, one in the very millisecond of the page's last post (a higher id: it sorts before it)
      const added = [await posts.create(draft(owner, 1), at(9000)), await posts.create(draft(owner, 1), at(4000))];
      const second = await posts.listByPersona(owner.userId, owner.personaId, { limit: 2, before: first.next! });
      expect(ids(second.items)).to.deep.equal([made[3].id, made[2].id]);
      expect(await posts.delete(made[2].id, ['draft'])).to.equal(true);
      const third = await posts.listByPersona(owner.userId, owner.personaId, { limit: 2, before: second.next! });
      expect(third).to.deep.equal({ items: [(await posts.findById(made[1].id))!, (await posts.findById(made[0].id))!], next: null });
      const fresh = await posts.listByPersona(owner.userId, owner.personaId, { limit: 3 });
      expect(ids(fresh.items), 'a new first page shows them').to.deep.equal([added[0].id, made[5].id, added[1].id]);
    });

    it("listByPersona never pages into another user's or persona's posts, whatever the key", async () => {
      const [alice, bob] = [await persona(), await persona()];
      const alice2 = { userId: alice.userId, personaId: (await f.personas.create(alice.userId, 'q', {})).id };
      for (let n = 0; n < 4; n++) {
        await posts.create(draft(alice, 1), at(n * 10));
        await posts.create(draft(alice2, 1), at(n * 10 + 1));
        await posts.create(draft(bob, 1), at(n * 10 + 2));
      }
      const pages = await allPages(alice, 3);
      expect(pages.flat().every((p) => p.userId === alice.userId && p.personaId === alice.personaId)).to.equal(true);
      expect(pages.flat()).to.have.length(4);
      const key = (await posts.listByPersona(alice.userId, alice.personaId, { limit: 1 })).next!;
      expect(await posts.listByPersona(bob.userId, alice.personaId, { limit: 10, before: key })).to.deep.equal({ items: [], next: null });
      const bobs = await posts.listByPersona(bob.userId, bob.personaId, { limit: 10, before: key });
      expect(bobs.items.map((p) => p.personaId)).to.deep.equal([bob.personaId, bob.personaId, bob.personaId]);
    });

    it('update applies every field when the status is one of `from`, and answers the post after', async () => {
      const post = await posts.create(draft(await persona()), T0);
      const change: PostChange = {
        status: 'failed',
        caption: `${CAPTION} (수정)`,
        altText: 'alt',
        scheduledAt: at(3_600_000),
        localAt: '2031-03-01T19:00',
        timeZone: 'Asia/Seoul',
        containerId: '17900000000000001',
        igMediaId: '17800000000000002',
        permalink: 'https://www.instagram.com/p/C0ffee/',
        error: postError('publish_failed', metaSaid('권한이 없습니다'), { metaCode: 10, metaSubcode: 2207050 }),
        attempts: 3,
        publishKey: 'key-1',
        publishedAt: at(7),
      };
      const updated = await posts.update(post.id, EDITABLE, change, at(60_000));
      const expected = { ...post, ...change, updatedAt: at(60_000) };
      expect(updated).to.deep.equal(expected);
      expect(await posts.findById(post.id)).to.deep.equal(expected);
      const cleared = await posts.update(post.id, ['failed'], { error: null, scheduledAt: null }, at(70_000));
      expect(cleared).to.deep.include({ error: null, scheduledAt: null, caption: change.caption, updatedAt: at(70_000) });
      const partial = await posts.update(post.id, ['failed'], { error: postError('media_unavailable') }, at(80_000));
      expect(partial?.error).to.deep.equal({
        code: 'media_unavailable',
        said: { key: 'post_media_unavailable' },
        metaCode: null,
        metaSubcode: null,
      });
    });

    it('update from another status answers null and changes nothing; so does a missing post', async () => {
      const post = await posts.create(draft(await persona()), T0);
      const publishing = await posts.update(post.id, ['draft'], { status: 'publishing' }, at(1));
      const media = [{ mediaId: 1, url: file('png') }];
      expect(await posts.update(post.id, EDITABLE, { status: 'draft', caption: 'no', media }, at(2))).to.equal(null);
      expect(await posts.update(post.id, [], { caption: 'no' }, at(2))).to.equal(null);
      expect(await posts.findById(post.id)).to.deep.equal(publishing);
      expect(await posts.update(post.id + 1000, EDITABLE, { caption: 'no' }, at(2))).to.equal(null);
    });

    it('of concurrent updates from one status exactly one wins', async () => {
      const post = await posts.create(draft(await persona()), T0);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => posts.update(post.id, ['draft'], { status: 'publishing', caption: `winner ${i}` }, at(i + 1))),
      );
      const winners = results.filter((r): r is Post => r !== null);
      expect(winners).to.have.length(1);
      expect(await posts.findById(post.id)).to.deep.equal(winners[0]);
    });

    it('a move decided on a stale read loses: the compare-and-set names the status the caller read', async () => {
      const post = await posts.create(draft(await persona()), T0);
      // Two callers read the draft; the first publishes it, the second edits and then deletes what it read.
      const read = (await posts.findById(post.id))!;
      const published = await posts.update(post.id, [read.status], { status: 'publishing' }, at(1));
      expect(published?.status).to.equal('publishing');
      expect(await posts.update(post.id, [read.status], { caption: 'stale edit' }, at(2)), 'the stale edit').to.equal(null);
      expect(await posts.delete(post.id, [read.status]), 'the stale delete').to.equal(false);
      expect(await posts.findById(post.id)).to.deep.equal(published);
    });

    it('an error stored by key and values reads back as stored; rows from before keep reading sensibly (where there are such rows)', async () => {
      const owner = await persona();
      const post = await posts.create(draft(owner), T0);
      const error = postError('media_unavailable', message('post_media_gone'), { metaCode: null, metaSubcode: 1 });
      expect((await posts.update(post.id, ['draft'], { status: 'failed', error }, at(1)))!.error).to.deep.equal(error);
      if (!f.legacyError) return; // the memory store has no rows from before
      const legacy = async (code: string, sentence: string | null) => {
        await f.legacyError!(post.id, code, sentence);
        const read = (await posts.findById(post.id))!.error;
        expect((await posts.listByPersona(owner.userId, owner.personaId, { limit: 1 })).items[0].error, 'listed').to.deep.equal(read);
        return read!.said;
      };
      // Our sentences become their keys (worded in the reader's language), anything else was Meta's words.
      expect(
        await legacy('persona_oauth_expired', 'Instagram no longer accepts this persona’s authorization: link it again.'),
      ).to.deep.equal({
        key: 'post_persona_oauth_expired',
      });
      expect(await legacy('publish_failed', 'Publishing failed; try again later.')).to.deep.equal({
        key: 'post_publish_failed_unexpectedly',
      });
      expect(await legacy('media_rejected', 'Only JPEG images can be published.')).to.deep.equal(
        metaSaid('Only JPEG images can be published.'),
      );
      expect(await legacy('container_failed', null)).to.deep.equal({ key: 'post_container_failed' });
    });

    it('saveMediaProgress records what the worker made per image; false when the post or image is gone', async () => {
      const post = await posts.create(draft(await persona(), 2), T0);
      const prepared = file('jpg');
      expect(await posts.saveMediaProgress(post.id, 1, { preparedUrl: prepared })).to.equal(true);
      expect(await posts.saveMediaProgress(post.id, 1, { containerId: '1790001' })).to.equal(true);
      expect(await posts.saveMediaProgress(post.id, 2, { containerId: 'x' })).to.equal(false);
      expect(await posts.saveMediaProgress(post.id + 1000, 0, { containerId: 'x' })).to.equal(false);
      const media = (await posts.findById(post.id))!.media;
      expect(media[0]).to.deep.equal({ ...post.media[0] });
      expect(media[1]).to.deep.equal({ ...post.media[1], preparedUrl: prepared, containerId: '1790001' });
      expect(await posts.findById(post.id)).to.deep.include({ updatedAt: T0 });
    });

    it('update with media replaces the list in order, forgetting the progress; without media the list stays', async () => {
      const post = await posts.create(draft(await persona(), 2), T0);
      await posts.saveMediaProgress(post.id, 0, { preparedUrl: file('jpg'), containerId: '1' });
      const kept = await posts.update(post.id, ['draft'], { caption: 'c' }, at(1));
      expect(kept?.media).to.deep.equal((await posts.findById(post.id))?.media);
      expect(kept?.media[0].containerId).to.equal('1');
      const media = [3, 1, 2].map((mediaId) => ({ mediaId, url: file('png') }));
      const replaced = await posts.update(post.id, ['draft'], { media }, at(2));
      const expected = media.map((m) => ({ ...m, preparedUrl: null, containerId: null }));
      expect(replaced?.media).to.deep.equal(expected);
      expect((await posts.findById(post.id))?.media).to.deep.equal(expected);
    });

    it("nextScheduledAt: the earliest of the persona's scheduled posts, else null", async () => {
      const owner = await persona();
      const other = await persona();
      expect(await posts.nextScheduledAt(owner.personaId)).to.equal(null);
      const schedule = async (who: typeof owner, when: Date, status: 'scheduled' | 'failed' = 'scheduled') => {
        const post = await posts.create(draft(who), T0);
        await posts.update(post.id, ['draft'], { status, scheduledAt: when }, T0);
      };
      await schedule(owner, at(50_000));
      await schedule(owner, at(20_000));
      await schedule(owner, at(10_000), 'failed');
      await schedule(other, at(1_000));
      await posts.create(draft(owner), T0);
      expect(await posts.nextScheduledAt(owner.personaId)).to.deep.equal(at(20_000));
      expect(await posts.nextScheduledAt(other.personaId)).to.deep.equal(at(1_000));
    });

    it('delete removes the post, its media rows and its job only from the given statuses', async () => {
      const owner = await persona();
      const editable = await postWithJob(owner);
      const busy = await postWithJob(owner);
      await posts.update(busy.post.id, ['draft'], { status: 'publishing' }, at(1));
      expect(await posts.delete(busy.post.id, EDITABLE)).to.equal(false);
      expect(await posts.delete(busy.post.id, [])).to.equal(false);
      expect(await posts.findById(busy.post.id)).to.deep.include({ status: 'publishing' });
      await expectKept(busy);
      expect(await posts.delete(editable.post.id, EDITABLE)).to.equal(true);
      await expectGone(editable);
      expect(await posts.referenced([editable.prepared, busy.prepared])).to.deep.equal([busy.prepared]);
      expect(await posts.delete(editable.post.id, EDITABLE), 'already gone').to.equal(false);
    });

    it("deleteUserData deletes the user's posts, their media rows and their jobs, naming the prepared files; no one else's", async () => {
      const alice = await persona();
      const alicePersona2 = { userId: alice.userId, personaId: (await f.personas.create(alice.userId, 'q', {})).id };
      const bob = await persona();
      const [a1, a2, b1] = [await postWithJob(alice), await postWithJob(alicePersona2), await postWithJob(bob)];
      expect((await posts.deleteUserData(alice.userId)).sort()).to.deep.equal([a1.prepared, a2.prepared].sort());
      await expectGone(a1);
      await expectGone(a2);
      await expectKept(b1);
      expect(await posts.deleteUserData(alice.userId), 'idempotent').to.deep.equal([]);
    });

    it("deleteByPersonas deletes those personas' posts, media rows and jobs, naming the prepared files; no other persona's", async () => {
      const [p1, p2, p3] = [await persona(), await persona(), await persona()];
      const [a, b, c] = [await postWithJob(p1), await postWithJob(p2), await postWithJob(p3)];
      expect((await posts.deleteByPersonas([p1.personaId, p2.personaId])).sort()).to.deep.equal([a.prepared, b.prepared].sort());
      await expectGone(a);
      await expectGone(b);
      await expectKept(c);
      expect(await posts.deleteByPersonas([])).to.deep.equal([]);
      expect(await posts.deleteByPersonas([p1.personaId])).to.deep.equal([]);
    });

    it('referenced answers the prepared files some post of any user still names (not the media library URLs)', async () => {
      const [alice, bob] = [await persona(), await persona()];
      const a = await postWithJob(alice);
      const b = await postWithJob(bob);
      await posts.saveMediaProgress(b.post.id, 1, { preparedUrl: a.prepared });
      const unknown = file('jpg');
      expect((await posts.referenced([a.prepared, b.prepared, unknown, a.post.media[0].url])).sort()).to.deep.equal(
        [a.prepared, b.prepared].sort(),
      );
      await posts.deleteUserData(alice.userId);
      expect(await posts.referenced([a.prepared]), "bob's post still names it").to.deep.equal([a.prepared]);
      expect(await posts.referenced([])).to.deep.equal([]);
    });

    if (options.rollsBack) {
      it("update and delete join the caller's transaction: its rollback undoes them", async () => {
        const owner = await persona();
        const post = await posts.create(draft(owner), T0);
        const other = await posts.create(draft(owner), T0);
        const failed = await f.transactions
          .inTransaction(async () => {
            expect(
              await posts.update(post.id, ['draft'], { status: 'scheduled', media: [{ mediaId: 9, url: file('png') }] }, at(1)),
            ).to.not.equal(null);
            expect(await posts.delete(other.id, ['draft'])).to.equal(true);
            throw new Error('the last step failed');
          })
          .catch((error: Error) => error.message);
        expect(failed).to.equal('the last step failed');
        expect(await posts.findById(post.id)).to.deep.equal(post);
        expect(await posts.findById(other.id)).to.deep.equal(other);
      });
    }
  });
}
