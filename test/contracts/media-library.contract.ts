import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import type { MediaLibrary, NewMedia } from '../../core/ports/media-library.js';
import type { UserRepository } from '../../core/ports/user-repository.js';

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
      expect(await f.library.listByUser(alice)).to.deep.equal([added]);
    });

    it("lists a user's media newest first (equal times: the later row first), and never another user's", async () => {
      const [alice, bob] = [await user(), await user()];
      const old = await f.library.add(media(alice, file('old')), at(-1));
      const first = await f.library.add(media(alice, file('same1')), T);
      const second = await f.library.add(media(alice, file('same2')), T);
      const newest = await f.library.add(media(alice, file('new')), at(1));
      await f.library.add(media(bob, file('bob')), at(5));
      expect((await f.library.listByUser(alice)).map((m) => m.id)).to.deep.equal([newest.id, second.id, first.id, old.id]);
      expect((await f.library.listByUser(bob)).map((m) => m.url)).to.deep.equal([file('bob')]);
      expect(await f.library.listByUser(bob + alice + 1000)).to.deep.equal([]);
    });

    it("deleteUserData deletes only the user's rows and answers the files they named; again, nothing", async () => {
      const [alice, bob] = [await user(), await user()];
      await f.library.add(media(alice, file('a')), T);
      await f.library.add(media(alice, file('shared')), T);
      await f.library.add(media(bob, file('shared')), T);
      expect((await f.library.deleteUserData(alice)).sort()).to.deep.equal([file('a'), file('shared')].sort());
      expect(await f.library.listByUser(alice)).to.deep.equal([]);
      expect(await f.library.listByUser(bob)).to.have.length(1);
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
