import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import type { UserRepository } from '../../core/identity/index.js';
import type { InsightDay, InsightsStore, PostInsight } from '../../core/insights/index.js';
import type { PersonaRepository } from '../../core/personas/index.js';

export interface InsightsStoreFixture {
  store: InsightsStore;
  users: UserRepository;
  personas: PersonaRepository;
  teardown(): Promise<void>;
}

const T = new Date('2030-05-17T08:30:15.123Z');
const hours = (n: number) => new Date(T.getTime() + n * 3_600_000);

/** The InsightsStore contract: every implementation (fake, SQLite, MariaDB) passes it. */
export function describeInsightsStore(name: string, setup: () => Promise<InsightsStoreFixture>): void {
  describe(`InsightsStore contract: ${name}`, () => {
    let f: InsightsStoreFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    /** A user of their own with one persona. */
    async function persona() {
      const user = await f.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: String(randomInt(1e9, 1e10)),
        nickname: null,
        profileImage: null,
      });
      const created = await f.personas.create(user.id, '페르소나', {});
      return { userId: user.id, personaId: created.id };
    }
    let nextPost = randomInt(1e6, 1e8);
    const insight = (owner: { userId: number; personaId: number }, views: number | null, publishedAt = T): PostInsight => ({
      postId: nextPost++,
      ...owner,
      permalink: 'https://www.instagram.com/p/abc/',
      publishedAt,
      fetchedAt: hours(1),
      metrics: { views, reach: 2, likes: 0, comments: null, shares: 4, saved: 5, total_interactions: 2_000_000_000 },
    });
    const day = (owner: { userId: number; personaId: number }, date: string, values: Partial<InsightDay> = {}): InsightDay => ({
      ...owner,
      date,
      views: 10,
      reach: 5,
      followerCount: null,
      followersCount: null,
      mediaCount: null,
      ...values,
    });

    it('stores a post’s metrics (null and 0 kept apart, times to the millisecond) and replaces them', async () => {
      const owner = await persona();
      const first = insight(owner, 0);
      await f.store.savePost(first);
      expect(await f.store.findPost(first.postId)).to.deep.equal(first);
      const again = { ...first, fetchedAt: hours(2), permalink: null, metrics: { ...first.metrics, views: 99, comments: 1 } };
      await f.store.savePost(again);
      expect(await f.store.findPost(first.postId)).to.deep.equal(again);
      expect(await f.store.findPost(nextPost + 1000)).to.equal(null);
    });

    it('claims a stale row’s refresh for one caller until the claim lapses or the answer is saved', async () => {
      const owner = await persona();
      const row = insight(owner, 1); // fetched at hours(1)
      expect(await f.store.claimRefresh(row.postId, hours(2), hours(2), 60_000), 'no row: nothing to claim').to.equal(false);
      await f.store.savePost(row);
      expect(await f.store.claimRefresh(row.postId, hours(0.5), hours(2), 60_000), 'fresh').to.equal(false);
      const now = hours(2);
      expect(await f.store.claimRefresh(row.postId, hours(1), now, 60_000), 'stale: fetched at that instant').to.equal(true);
      expect(await f.store.claimRefresh(row.postId, hours(1.5), now, 60_000), 'held').to.equal(false);
      expect(await f.store.claimRefresh(row.postId, hours(1.5), new Date(now.getTime() + 59_999), 60_000), 'still held').to.equal(false);
      expect(await f.store.claimRefresh(row.postId, hours(1.5), new Date(now.getTime() + 60_000), 60_000), 'lapsed').to.equal(true);
      await f.store.savePost({ ...row, fetchedAt: hours(1.2) });
      expect(
        await f.store.claimRefresh(row.postId, hours(1.5), new Date(now.getTime() + 60_001), 60_000),
        'saved: claimable again',
      ).to.equal(true);
      expect(await f.store.findPost(row.postId)).to.deep.equal({ ...row, fetchedAt: hours(1.2) });
    });

    it('top posts: the persona’s published since the date, most views first, nulls last, then newest', async () => {
      const owner = await persona();
      const other = await persona();
      const [a, b, c, d, old] = [
        insight(owner, 5),
        insight(owner, 50),
        insight(owner, null, hours(3)),
        insight(owner, 5, hours(2)),
        insight(owner, 500, hours(-48)),
      ];
      for (const row of [a, b, c, d, old, insight(other, 1000)]) await f.store.savePost(row);
      const top = await f.store.topPosts(owner.personaId, hours(-1), 10);
      expect(top.map((row) => row.postId)).to.deep.equal([b.postId, d.postId, a.postId, c.postId]);
      expect((await f.store.topPosts(owner.personaId, hours(-1), 2)).map((row) => row.postId)).to.deep.equal([b.postId, d.postId]);
    });

    it('days: one row per persona and date, replaced; listed oldest first within the dates; the latest known totals', async () => {
      const owner = await persona();
      const other = await persona();
      await f.store.saveDay(day(owner, '2030-05-16', { followersCount: 120, mediaCount: 7 }));
      await f.store.saveDay(day(owner, '2030-05-14'));
      await f.store.saveDay(day(owner, '2030-05-17'));
      await f.store.saveDay(day(owner, '2030-05-10', { followersCount: 100, mediaCount: 5 }));
      await f.store.saveDay(day(other, '2030-05-16', { followersCount: 1 }));
      await f.store.saveDay(day(owner, '2030-05-14', { views: 77, followerCount: 0 }));
      const days = await f.store.listDays(owner.personaId, '2030-05-11', '2030-05-16');
      expect(days).to.deep.equal([
        day(owner, '2030-05-14', { views: 77, followerCount: 0 }),
        day(owner, '2030-05-16', { followersCount: 120, mediaCount: 7 }),
      ]);
      expect(await f.store.latestCounts(owner.personaId)).to.deep.equal(day(owner, '2030-05-16', { followersCount: 120, mediaCount: 7 }));
      expect(await f.store.latestCounts((await persona()).personaId)).to.equal(null);
    });

    it('deletes by persona (Meta’s notices) and by user (account deletion), leaving the others’', async () => {
      const [one, two, kept] = [await persona(), await persona(), await persona()];
      const rows = [insight(one, 1), insight(two, 2), insight(kept, 3)];
      for (const row of rows) await f.store.savePost(row);
      for (const owner of [one, two, kept]) await f.store.saveDay(day(owner, '2030-05-16'));
      await f.store.deleteByPersonas([one.personaId]);
      await f.store.deleteByPersonas([]);
      expect(await f.store.findPost(rows[0].postId)).to.equal(null);
      expect(await f.store.listDays(one.personaId, '2030-01-01', '2030-12-31')).to.deep.equal([]);
      expect(await f.store.deleteUserData(two.userId)).to.deep.equal([]);
      expect(await f.store.findPost(rows[1].postId)).to.equal(null);
      expect(await f.store.listDays(two.personaId, '2030-01-01', '2030-12-31')).to.deep.equal([]);
      expect(await f.store.findPost(rows[2].postId)).to.deep.equal(rows[2]);
      expect(await f.store.listDays(kept.personaId, '2030-01-01', '2030-12-31')).to.have.length(1);
    });
  });
}
