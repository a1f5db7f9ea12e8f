import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import type { OAuthIdentity, UserRepository } from '../../core/identity/index.js';

export interface UserRepositoryFixture {
  repo: UserRepository;
  teardown(): Promise<void>;
}

/** A provider id no other test uses, so suites may share a database. */
function freshId(digits = 12): string {
  let id = String(randomInt(1, 10));
  while (id.length < digits) id += String(randomInt(0, 10));
  return id;
}

function kakao(overrides: Partial<OAuthIdentity> = {}): OAuthIdentity {
  return { provider: 'kakao', providerUserId: freshId(), nickname: 'tester', profileImage: null, ...overrides };
}

/** The UserRepository contract: every implementation (fake, SQLite, MariaDB) passes it. */
export function describeUserRepository(name: string, setup: () => Promise<UserRepositoryFixture>): void {
  describe(`UserRepository contract: ${name}`, () => {
    let fixture: UserRepositoryFixture;
    let repo: UserRepository;

    beforeEach(async () => {
      fixture = await setup();
      repo = fixture.repo;
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('findById of an unknown id is null', async () => {
      expect(await repo.findById(987_654_321)).to.equal(null);
    });

    it('upsertIdentity creates a user with no birthday or gender', async () => {
      const identity = kakao({ nickname: 'first', profileImage: 'https://img.example/a.png' });
      const user = await repo.upsertIdentity(identity);
      expect(user).to.deep.equal({ id: user.id, ...identity, birthday: null, gender: null });
      expect(user.id).to.be.a('number');
      expect(await repo.findById(user.id)).to.deep.equal(user);
    });

    it('upsertIdentity of a known identity refreshes nickname and image, keeping id, birthday and gender', async () => {
      const identity = kakao({ nickname: 'old', profileImage: 'https://img.example/old.png' });
      const created = await repo.upsertIdentity(identity);
      expect(await repo.updateProfile(created.id, { birthday: '1990-12-31', gender: '남성' })).to.equal(true);

      const refreshed = await repo.upsertIdentity({ ...identity, nickname: 'new', profileImage: null });
      const expected = { ...created, nickname: 'new', profileImage: null, birthday: '1990-12-31', gender: '남성' };
      expect(refreshed).to.deep.equal(expected);
      expect(await repo.findById(created.id)).to.deep.equal(expected);
    });

    it('keeps a 19-digit Kakao id exactly (no number rounding)', async () => {
      const providerUserId = `9${freshId(18)}`;
      const user = await repo.upsertIdentity(kakao({ providerUserId }));
      expect((await repo.findById(user.id))?.providerUserId).to.equal(providerUserId);
      expect((await repo.upsertIdentity(kakao({ providerUserId }))).id).to.equal(user.id);
    });

    it('round-trips Korean (and 4-byte) text byte-exact', async () => {
      const nickname = '별빛 스타 🌟 — 한글닉네임';
      const user = await repo.upsertIdentity(kakao({ nickname }));
      const found = await repo.findById(user.id);
      expect(Buffer.from(found?.nickname ?? '', 'utf8').equals(Buffer.from(nickname, 'utf8'))).to.equal(true);
      expect(await repo.updateProfile(user.id, { birthday: '2000-02-29', gender: '여성' })).to.equal(true);
      expect((await repo.findById(user.id))?.gender).to.equal('여성');
    });

    it('treats one provider id under two providers as two users', async () => {
      const providerUserId = freshId();
      const k = await repo.upsertIdentity(kakao({ providerUserId }));
      const g = await repo.upsertIdentity({ ...kakao({ providerUserId }), provider: 'google' });
      expect(g.id).to.not.equal(k.id);
      expect(g.provider).to.equal('google');
      expect((await repo.findById(k.id))?.provider).to.equal('kakao');
    });

    it('8 parallel upserts of one new identity leave one user', async () => {
      const identity = kakao();
      const users = await Promise.all(Array.from({ length: 8 }, (_, i) => repo.upsertIdentity({ ...identity, nickname: `racer ${i}` })));
      const ids = new Set(users.map((u) => u.id));
      expect(ids.size).to.equal(1);
      const [id] = ids;
      const stored = await repo.findById(id);
      expect(stored?.providerUserId).to.equal(identity.providerUserId);
      expect(stored?.nickname).to.match(/^racer [0-7]$/);
      expect((await repo.upsertIdentity(identity)).id).to.equal(id);
    });

    it('updateProfile sets birthday and gender, is repeatable, and is false for an unknown user', async () => {
      const user = await repo.upsertIdentity(kakao());
      const profile = { birthday: '1999-01-02', gender: '여성' } as const;
      expect(await repo.updateProfile(user.id, profile)).to.equal(true);
      expect(await repo.updateProfile(user.id, profile)).to.equal(true);
      expect(await repo.findById(user.id)).to.deep.equal({ ...user, ...profile });
      expect(await repo.updateProfile(987_654_321, profile)).to.equal(false);
    });
  });
}
