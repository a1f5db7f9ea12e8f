import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import type { Media, MediaLibrary, NewMedia } from '../../core/images/index.js';
import type { PageKey } from '../../core/shared/index.js';
import type { UserRepository } from '../../core/identity/index.js';

export interface MediaLibraryFixture {
  library: MediaLibrary;
  users: UserRepository;
  teardown(): Promise<void>;
}

const T = new Date('2030-05-17T08:30:15.250Z');
const at = (ms: number) => new Date(T.getTime() + ms);
const file = (name: string) => `/media/${name.padEnd(64, '0')}.png`;

/** The MediaLibrary contract, on every implementation. */
export function describeMediaLibrary(name: string, setup: () => Promise<MediaLibraryFixture>): void {
  describe(`MediaLibrary contract: ${name}`, () => {
    let f: MediaLibraryFixture;

    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    async function user(): Promise<number> {
      const providerUserId = String(randomInt(1e9, 1e10));
      return (await f.users.upsertIdentity({ provider: 'kakao', providerUserId, nickname: 'n', profileImage: null })).id;
    }

    const media = (userId: number, url: string, source: NewMedia['source'] = 'upload'): NewMedia => ({
      userId,
      url,
      contentType: 'image/png',
      width: 1080,
      height: 1350,
      bytes: 123_456,
      source,
    });

    it('adds a row and lists it back as added, the time to the millisecond', async () => {
      const alice = await user();
      const added = await f.library.add(media(alice, file('a'), 'ai'), T);
      expect(added.id).to.be.a('number');
      expect(added).to.deep.equal({ ...media(alice, file('a'), 'ai'), id: added.id, createdAt: T });
      expect(await f.library.listByUser(alice, { limit: 50 })).to.deep.equal({ items: [added], next: null });
    });

    const list = async (userId: number, limit = 50, before?: PageKey) => f.library.listByUser(userId, { limit, before });
    const ids = (media: Media[]) => media.map((m) => m.id);
    /** Every page, read `limit` at a time; each page but the last is full and names the next. */
    async function allPages(userId: number, limit: number): Promise<Media[][]> {
      const pages: Media[][] = [];
      let before: PageKey | undefined;
      for (;;) {
        const page = await list(userId, limit, before);
        pages.push(page.items);
        if (page.next === null) return pages;
        expect(page.items, 'a page that names a next one is full').to.have.length(limit);
        expect(page.next).to.deep.equal({ createdAt: page.items[limit - 1].createdAt, id: page.items[limit - 1].id });
        before = page.next;
        expect(pages.length, 'pages end').to.be.below(50);
      }
    }

    it("lists a user's media newest first (equal times: the later row first), and never another user's", async () => {
      const [alice, bob] = [await user(), await user()];
      const old = await f.library.add(media(alice, file('old')), at(-1));
      const first = await f.library.add(media(alice, file('same1')), T);
      const second = await f.library.add(media(alice, file('same2')), T);
      const newest = await f.library.add(media(alice, file('new')), at(1));
      await f.library.add(media(bob, file('bob')), at(5));
      expect(ids((await list(alice)).items)).to.deep.equal([newest.id, second.id, first.id, old.id]);
      expect((await list(bob)).items.map((m) => m.url)).to.deep.equal([file('bob')]);
      expect(await list(bob + alice + 1000)).to.deep.equal({ items: [], next: null });
    });

    it('pages: `limit` rows a page, the next from the last key, null after the last page (none left empty)', async () => {
      const alice = await user();
      const added: Media[] = [];
      for (const [n, ms] of [0, 7, 7, 7, 9, 12, 12].entries()) added.push(await f.library.add(media(alice, file(`m${n}`)), at(ms)));
      const newestFirst = ids([...added].reverse());
      expect((await allPages(alice, 3)).map(ids)).to.deep.equal([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
      expect((await allPages(alice, 7)).map(ids), 'exactly one full page').to.deep.equal([newestFirst]);
      expect((await allPages(alice, 1)).map(ids)).to.deep.equal(newestFirst.map((id) => [id]));
      expect((await allPages(alice, 2)).flat()).to.deep.equal((await list(alice)).items);
    });

    it("rows added between two page reads shift or repeat nothing in the later pages; another user's never appear", async () => {
      const [alice, bob] = [await user(), await user()];
      const made: Media[] = [];
      for (let n = 0; n < 5; n++) {
        made.push(await f.library.add(media(alice, file(`a${n}`)), at(n * 1000)));
        await f.library.add(media(bob, file(`b${n}`)), at(n * 1000 + 500));
      }
      const first = await list(alice, 2);
      expect(ids(first.items)).to.deep.equal([made[4].id, made[3].id]);
      // newer rows, one in the very millisecond of the page's last row (a higher id: it sorts before it)
      const later = [
        await f.library.add(media(alice, file('later')), at(60_000)),
        await f.library.add(media(alice, file('tie')), at(3000)),
      ];
      const second = await list(alice, 2, first.next!);
      expect(ids(second.items)).to.deep.equal([made[2].id, made[1].id]);
      expect(await list(alice, 2, second.next!)).to.deep.equal({ items: [made[0]], next: null });
      expect(ids((await list(alice, 3)).items)).to.deep.equal([later[0].id, made[4].id, later[1].id]);
      expect((await list(bob, 10, first.next!)).items.map((m) => m.userId)).to.deep.equal([bob, bob, bob]);
    });

    it("deleteUserData deletes only the user's rows and answers the files they named; again, nothing", async () => {
      const [alice, bob] = [await user(), await user()];
      await f.library.add(media(alice, file('a')), T);
      await f.library.add(media(alice, file('shared')), T);
      await f.library.add(media(bob, file('shared')), T);
      expect((await f.library.deleteUserData(alice)).sort()).to.deep.equal([file('a'), file('shared')].sort());
      expect((await list(alice)).items).to.deep.equal([]);
      expect((await list(bob)).items).to.have.length(1);
      expect(await f.library.deleteUserData(alice)).to.deep.equal([]);
    });

    it('referenced answers the files some row, of any user, still names', async () => {
      const [alice, bob] = [await user(), await user()];
      await f.library.add(media(alice, file('a')), T);
      await f.library.add(media(bob, file('b')), T);
      await f.library.add(media(bob, file('b')), T);
      expect((await f.library.referenced([file('a'), file('b'), file('gone')])).sort()).to.include.members([file('a'), file('b')]);
      expect(await f.library.referenced([file('gone')])).to.deep.equal([]);
      expect(await f.library.referenced([])).to.deep.equal([]);
    });
  });
}
