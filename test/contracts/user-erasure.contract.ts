import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { PUBLISH_POST_JOB, publishJobKey, type PostRepository } from '../../core/publishing/index.js';
import type { InstagramTokenStore } from '../../core/instagram/index.js';
import type { JobQueue } from '../../core/jobs/index.js';
import type { PersonaRepository } from '../../core/personas/index.js';
import type { SessionStore, UserRepository } from '../../core/identity/index.js';
import type { TransactionRunner } from '../../core/shared/index.js';

export interface UserErasureFixture {
  users: UserRepository;
  sessions: SessionStore;
  personas: PersonaRepository;
  tokens: InstagramTokenStore;
  posts: PostRepository;
  /** The same backend's queue, holding the posts' jobs. */
  jobs: JobQueue;
  transactions: TransactionRunner;
  teardown(): Promise<void>;
}

const TOKEN = { sealed: { ciphertext: 'c', iv: 'i', tag: 't', keyId: 'k1' }, expiresAt: null, metaUserId: null, storedAt: new Date() };
const LATER = () => new Date(Date.now() + 3_600_000);

/**
 * Deleting one user's rows, store by store (UserDataStore, MediaReferences, UserRepository.delete), on
 * every implementation. `rollsBack`: the runner is a database transaction, and a failure undoes it all.
 */
export function describeUserErasure(name: string, setup: () => Promise<UserErasureFixture>, options: { rollsBack: boolean }): void {
  describe(`user data deletion contract: ${name}`, () => {
    let f: UserErasureFixture;

    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    /**
     * A user with two sessions, two personas (one with an image, one with a token and a post whose job is
     * queued and whose image is prepared as `<image>.jpg`) and the file names given.
     */
    async function userWithData(image: string) {
      const providerUserId = String(randomInt(1e9, 1e10));
      const user = await f.users.upsertIdentity({ provider: 'kakao', providerUserId, nickname: 'n', profileImage: null });
      const sessionIds = [`s-${providerUserId}-1`, `s-${providerUserId}-2`];
      for (const id of sessionIds) await f.sessions.set(id, { userId: user.id, authAt: Date.now() }, LATER());
      const pictured = await f.personas.create(user.id, 'with image', {});
      await f.personas.setImageUrl(user.id, pictured.id, image);
      const linked = await f.personas.create(user.id, 'with token', {});
      await f.tokens.save(user.id, linked.num, TOKEN);
      const post = await f.posts.create(
        { userId: user.id, personaId: linked.id, caption: '게시물 📸', altText: null, media: [{ mediaId: 1, url: image }] },
        new Date(),
      );
      await f.posts.saveMediaProgress(post.id, 0, { preparedUrl: `${image}.jpg` });
      const job = { kind: PUBLISH_POST_JOB, reference: String(post.id), dedupeKey: publishJobKey(post.id), lane: null, runAt: new Date() };
      await f.jobs.enqueue(job, new Date());
      return { user, sessionIds, tokenNum: linked.num, postId: post.id, prepared: `${image}.jpg` };
    }

    async function deleteAll(userId: number): Promise<string[]> {
      const named: string[] = [];
      for (const store of [f.sessions, f.tokens, f.posts, f.personas]) named.push(...(await store.deleteUserData(userId)));
      await f.users.delete(userId);
      return named;
    }

    async function expectIntact(data: Awaited<ReturnType<typeof userWithData>>) {
      expect(await f.users.findById(data.user.id)).to.deep.equal(data.user);
      for (const id of data.sessionIds) expect((await f.sessions.get(id, new Date()))?.user?.id).to.equal(data.user.id);
      expect(await f.personas.listByUser(data.user.id)).to.have.length(2);
      expect(await f.tokens.get(data.user.id, data.tokenNum)).to.not.equal(null);
      expect((await f.posts.findById(data.postId))?.media[0].preparedUrl).to.equal(data.prepared);
      expect(await f.jobs.findByDedupeKey(publishJobKey(data.postId))).to.not.equal(null);
    }

    it('findByIdentity finds a user by provider and provider id, and nobody else', async () => {
      const { user } = await userWithData('/media/a.png');
      expect(await f.users.findByIdentity('kakao', user.providerUserId)).to.deep.equal(user);
      expect(await f.users.findByIdentity('google', user.providerUserId)).to.equal(null);
      expect(await f.users.findByIdentity('kakao', '1')).to.equal(null);
    });

    it("deletes every row of one user's (sessions on all devices, personas, tokens, posts with their media and jobs, the user) and answers the images they named", async () => {
      const alice = await userWithData('/media/alice.png');
      const bob = await userWithData('/media/bob.png');
      expect(await deleteAll(alice.user.id)).to.deep.equal(['/media/alice.png.jpg', '/media/alice.png']);
      expect(await f.users.findById(alice.user.id)).to.equal(null);
      for (const id of alice.sessionIds) expect(await f.sessions.get(id, new Date())).to.equal(null);
      expect(await f.personas.listByUser(alice.user.id)).to.deep.equal([]);
      expect(await f.tokens.get(alice.user.id, alice.tokenNum)).to.equal(null);
      expect(await f.posts.findById(alice.postId)).to.equal(null);
      expect(await f.posts.referenced([alice.prepared]), 'its media rows').to.deep.equal([]);
      expect(await f.jobs.findByDedupeKey(publishJobKey(alice.postId))).to.equal(null);
      await expectIntact(bob);
    });

    it('is idempotent: a second deletion finds nothing, and deleting the user row again is false', async () => {
      const { user } = await userWithData('/media/a.png');
      await deleteAll(user.id);
      expect(await deleteAll(user.id)).to.deep.equal([]);
      expect(await f.users.delete(user.id)).to.equal(false);
    });

    it('referenced answers which images some remaining persona or post, of any user, still names', async () => {
      const alice = await userWithData('/media/shared.png');
      await userWithData('/media/shared.png');
      const named = await deleteAll(alice.user.id);
      expect(named).to.deep.equal(['/media/shared.png.jpg', '/media/shared.png']);
      expect(await f.personas.referenced(['/media/shared.png', '/media/gone.png'])).to.deep.equal(['/media/shared.png']);
      expect(await f.personas.referenced([])).to.deep.equal([]);
      expect(await f.posts.referenced(['/media/shared.png.jpg', '/media/gone.png.jpg'])).to.deep.equal(['/media/shared.png.jpg']);
    });

    it('inTransaction commits the work and answers its result', async () => {
      const alice = await userWithData('/media/a.png');
      expect(await f.transactions.inTransaction(() => deleteAll(alice.user.id))).to.deep.equal(['/media/a.png.jpg', '/media/a.png']);
      expect(await f.users.findById(alice.user.id)).to.equal(null);
    });

    /** What a Meta notice deletes (DeauthorizeMetaUser): the Meta user's links and tokens, and those personas' posts. */
    async function unlinkMetaUserWithPosts(data: Awaited<ReturnType<typeof userWithData>>): Promise<string[]> {
      const metaUserId = String(randomInt(1e9, 1e10));
      await f.tokens.save(data.user.id, data.tokenNum, { ...TOKEN, metaUserId });
      return f.transactions.inTransaction(async () => f.posts.deleteByPersonas(await f.personas.unlinkMetaUser(metaUserId, new Date())));
    }

    it("a Meta notice's unlink and the deletion of those personas' posts, media rows and jobs commit together", async () => {
      const alice = await userWithData('/media/a.png');
      const bob = await userWithData('/media/b.png');
      expect(await unlinkMetaUserWithPosts(alice)).to.deep.equal([alice.prepared]);
      expect(await f.tokens.get(alice.user.id, alice.tokenNum)).to.equal(null);
      expect(await f.posts.findById(alice.postId)).to.equal(null);
      expect(await f.posts.referenced([alice.prepared])).to.deep.equal([]);
      expect(await f.jobs.findByDedupeKey(publishJobKey(alice.postId))).to.equal(null);
      await expectIntact(bob);
    });

    if (options.rollsBack) {
      it("a Meta notice's unlink joins the caller's transaction: a failure after it undoes the unlink and the posts' deletion", async () => {
        const alice = await userWithData('/media/a.png');
        const failed = await f.transactions
          .inTransaction(async () => {
            await unlinkMetaUserWithPosts(alice);
            throw new Error('the last step failed');
          })
          .catch((error: Error) => error.message);
        expect(failed).to.equal('the last step failed');
        await expectIntact(alice);
      });

      it('inTransaction rolls every store back when the work fails half-way: nothing is deleted', async () => {
        const alice = await userWithData('/media/a.png');
        const failed = await f.transactions
          .inTransaction(async () => {
            await deleteAll(alice.user.id);
            throw new Error('the last step failed');
          })
          .catch((error: Error) => error.message);
        expect(failed).to.equal('the last step failed');
        await expectIntact(alice);
      });
    }
  });
}
