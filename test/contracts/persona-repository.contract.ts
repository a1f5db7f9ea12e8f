import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import { DomainError } from '../../core/shared/index.js';
import type { InstagramLink, Persona, PersonaRepository } from '../../core/personas/index.js';
import type { InstagramTokenStore, StoredToken } from '../../core/instagram/index.js';
import type { UserRepository } from '../../core/identity/index.js';

export interface PersonaRepositoryFixture {
  personas: PersonaRepository;
  /** The token store the repository's unlinkInstagram deletes from. */
  tokens: InstagramTokenStore;
  /** To create the owners (personas reference ss_user). */
  users: UserRepository;
  teardown(): Promise<void>;
}

/** Ids no other test uses, so suites may share a database. */
const freshDigits = (n: number) => Array.from({ length: n }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('');
const T = new Date('2030-05-17T08:30:15.000Z');

function link(overrides: Partial<InstagramLink> = {}): InstagramLink {
  return {
    igUserId: `1784${freshDigits(13)}`,
    igUsername: 'star.gazer',
    fbPageId: freshDigits(15),
    linkedAt: T,
    login: 'facebook',
    ...overrides,
  };
}

function storedLink(l: InstagramLink): Record<string, unknown> {
  return { ig_user_id: l.igUserId, ig_username: l.igUsername, fb_page_id: l.fbPageId, linked_at: l.linkedAt.toISOString(), login: l.login };
}

function token(metaUserId: string | null = null, storedAt = T): StoredToken {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  return {
    sealed: { ciphertext: b64(200), iv: b64(12), tag: b64(16), keyId: 'k1' },
    expiresAt: T,
    metaUserId,
    storedAt,
    needsReconnect: false,
    login: 'facebook',
  };
}

/** The PersonaRepository contract: every implementation (fake, SQLite, MariaDB) passes it. */
export function describePersonaRepository(name: string, setup: () => Promise<PersonaRepositoryFixture>): void {
  describe(`PersonaRepository contract: ${name}`, () => {
    let fixture: PersonaRepositoryFixture;
    let repo: PersonaRepository;
    let alice: number;
    let bob: number;

    const owner = async () =>
      (await fixture.users.upsertIdentity({ provider: 'kakao', providerUserId: freshDigits(12), nickname: 'owner', profileImage: null }))
        .id;

    beforeEach(async () => {
      fixture = await setup();
      repo = fixture.personas;
      [alice, bob] = [await owner(), await owner()];
    });
    afterEach(async () => {
      await fixture.teardown();
    });

    it('create numbers each user’s personas 1, 2, 3 independently', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const b1 = await repo.create(bob, 'b1', {});
      const a2 = await repo.create(alice, 'a2', {});
      const a3 = await repo.create(alice, 'a3', { x: 1 });
      expect([a1.num, a2.num, a3.num, b1.num]).to.deep.equal([1, 2, 3, 1]);
      expect(new Set([a1.id, a2.id, a3.id, b1.id]).size).to.equal(4);
      expect(a3).to.deep.equal({ id: a3.id, userId: alice, num: 3, name: 'a3', parameters: { x: 1 }, imageUrl: null, instagram: null });
      expect(await repo.findOwned(alice, { id: a3.id })).to.deep.equal(a3);
    });

    it('10 parallel creates by one user get exactly the nums 1..10', async () => {
      const created = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.create(alice, `p${i}`, { i })));
      expect(created.map((p) => p.num).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const listed = await repo.listByUser(alice);
      expect(listed.map((p) => p.num)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const p of created) expect(listed[p.num - 1]).to.deep.equal(p);
      expect((await repo.create(alice, 'next', {})).num).to.equal(11);
    });

    it('40 parallel creates by one user all succeed with nums 1..40 (retries back off)', async () => {
      const created = await Promise.all(Array.from({ length: 40 }, (_, i) => repo.create(alice, `p${i}`, {})));
      expect(created.map((p) => p.num).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('round-trips a Korean name and nested parameters byte-exact', async () => {
      const name = '별빛 스타 🌟 — 페르소나';
      const parameters = { 성별: '여성', style: { tags: ['시크', 'cute', 3, null, true], depth: { n: 1.5 } }, empty: {} };
      const created = await repo.create(alice, name, parameters);
      const found = await repo.findOwned(alice, { id: created.id });
      expect(found?.parameters).to.deep.equal(parameters);
      expect(Buffer.from(found?.name ?? '', 'utf8').equals(Buffer.from(name, 'utf8'))).to.equal(true);
      expect(created.parameters).to.deep.equal(parameters);
    });

    it('findOwned by id and by num; null for another user’s persona, either way', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const a2 = await repo.create(alice, 'a2', {});
      const b1 = await repo.create(bob, 'b1', {});
      expect(await repo.findOwned(alice, { id: a2.id })).to.deep.equal(a2);
      expect(await repo.findOwned(alice, { num: 2 })).to.deep.equal(a2);
      expect(await repo.findOwned(alice, { num: 1 })).to.deep.equal(a1);
      expect(await repo.findOwned(bob, { num: 1 })).to.deep.equal(b1);
      expect(await repo.findOwned(bob, { id: a1.id })).to.equal(null);
      expect(await repo.findOwned(bob, { num: 2 })).to.equal(null);
      expect(await repo.findOwned(alice, { id: 987_654_321 })).to.equal(null);
      expect(await repo.findOwned(alice, { num: 99 })).to.equal(null);
    });

    it('listByUser: the user’s personas by num, nobody else’s', async () => {
      expect(await repo.listByUser(alice)).to.deep.equal([]);
      const a1 = await repo.create(alice, 'a1', {});
      await repo.create(bob, 'b1', {});
      const a2 = await repo.create(alice, 'a2', {});
      expect(await repo.listByUser(alice)).to.deep.equal([a1, a2]);
      expect((await repo.listByUser(bob)).map((p) => p.name)).to.deep.equal(['b1']);
    });

    it('setImageUrl sets the user’s persona image; false for another user’s or an unknown persona', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      expect(await repo.setImageUrl(alice, a1.id, '/media/abc.png')).to.equal(true);
      expect(await repo.setImageUrl(alice, a1.id, '/media/abc.png')).to.equal(true);
      expect((await repo.findOwned(alice, { id: a1.id }))?.imageUrl).to.equal('/media/abc.png');
      expect(await repo.setImageUrl(bob, a1.id, '/media/evil.png')).to.equal(false);
      expect(await repo.setImageUrl(alice, 987_654_321, '/media/x.png')).to.equal(false);
      expect((await repo.findOwned(alice, { id: a1.id }))?.imageUrl).to.equal('/media/abc.png');
    });

    it('linkInstagram stores the link in the columns and parameters.instagram, keeping other keys', async () => {
      const parameters = { style: { tags: ['시크'] }, mood: '맑음' };
      const a1 = await repo.create(alice, 'a1', parameters);
      const l = link({ igUsername: '별빛_스타' });
      expect(await repo.linkInstagram(alice, a1.id, l)).to.equal(true);
      const expected: Persona = { ...a1, instagram: l, parameters: { ...parameters, instagram: storedLink(l) } };
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(expected);
      expect(await repo.listByUser(alice)).to.deep.equal([expected]);
    });

    it('linkInstagram keeps null username and page id, and the link time to the whole second', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const l = link({ igUsername: null, fbPageId: null, linkedAt: new Date('2030-05-17T08:30:15.999Z') });
      expect(await repo.linkInstagram(alice, a1.id, l)).to.equal(true);
      const found = await repo.findOwned(alice, { id: a1.id });
      const stored = { ...l, linkedAt: T };
      expect(found?.instagram).to.deep.equal(stored);
      expect(found?.parameters).to.deep.equal({ instagram: storedLink(stored) });
    });

    it('linkInstagram is false for another user’s persona, which stays unchanged', async () => {
      const a1 = await repo.create(alice, 'a1', { k: 'v' });
      expect(await repo.linkInstagram(bob, a1.id, link())).to.equal(false);
      expect(await repo.linkInstagram(bob, 987_654_321, link())).to.equal(false);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(a1);
    });

    it('linking an account that another persona has is ig_account_already_linked; neither persona changes', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const a2 = await repo.create(alice, 'a2', { keep: true });
      const b1 = await repo.create(bob, 'b1', {});
      const l = link();
      await repo.linkInstagram(alice, a1.id, l);
      const linked = await repo.findOwned(alice, { id: a1.id });
      for (const [user, persona] of [
        [alice, a2],
        [bob, b1],
      ] as const) {
        const error = await repo.linkInstagram(user, persona.id, { ...link(), igUserId: l.igUserId }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(DomainError);
        expect(error).to.include({ kind: 'conflict', code: 'ig_account_already_linked' });
        expect(await repo.findOwned(user, { id: persona.id })).to.deep.equal(persona);
      }
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(linked);
    });

    it('relinking the same persona works: same account again, or another account (freeing the first)', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const a2 = await repo.create(alice, 'a2', {});
      const first = link();
      expect(await repo.linkInstagram(alice, a1.id, first)).to.equal(true);
      const again = { ...first, igUsername: 'renamed', linkedAt: new Date(T.getTime() + 60_000) };
      expect(await repo.linkInstagram(alice, a1.id, again)).to.equal(true);
      expect((await repo.findOwned(alice, { id: a1.id }))?.instagram).to.deep.equal(again);
      const second = link();
      expect(await repo.linkInstagram(alice, a1.id, second)).to.equal(true);
      expect((await repo.findOwned(alice, { id: a1.id }))?.parameters).to.deep.equal({ instagram: storedLink(second) });
      expect(await repo.linkInstagram(alice, a2.id, first)).to.equal(true);
    });

    it('unlinkInstagram clears the columns and parameters.instagram and deletes the token; idempotent', async () => {
      const a1 = await repo.create(alice, 'a1', { mood: '맑음' });
      const a2 = await repo.create(alice, 'a2', {});
      const l = link();
      await repo.linkInstagram(alice, a1.id, l);
      const [t1, t2] = [token(), token()];
      await fixture.tokens.save(alice, a1.num, t1);
      await fixture.tokens.save(alice, a2.num, t2);

      expect(await repo.unlinkInstagram(alice, { id: a1.id })).to.equal(true);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(a1);
      expect(await fixture.tokens.get(alice, a1.num)).to.equal(null);
      expect(await fixture.tokens.get(alice, a2.num)).to.deep.equal(t2);
      expect(await repo.unlinkInstagram(alice, { id: a1.id })).to.equal(true);
      expect(await repo.unlinkInstagram(alice, { num: a2.num }), 'named by num').to.equal(true);
      expect(await fixture.tokens.get(alice, a2.num)).to.equal(null);
      // the account is free again
      expect(await repo.linkInstagram(alice, a2.id, l)).to.equal(true);
    });

    it('unlinkInstagram of another user’s persona is false and touches neither user’s link nor token', async () => {
      const a1 = await repo.create(alice, 'a1', {});
      const b1 = await repo.create(bob, 'b1', {});
      await repo.linkInstagram(alice, a1.id, link());
      const linked = await repo.findOwned(alice, { id: a1.id });
      const [ta, tb] = [token(), token()];
      await fixture.tokens.save(alice, a1.num, ta);
      await fixture.tokens.save(bob, b1.num, tb);
      expect(a1.num).to.equal(b1.num);

      expect(await repo.unlinkInstagram(bob, { id: a1.id })).to.equal(false);
      expect(await repo.unlinkInstagram(bob, { id: 987_654_321 })).to.equal(false);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(linked);
      expect(await fixture.tokens.get(alice, a1.num)).to.deep.equal(ta);
      expect(await fixture.tokens.get(bob, b1.num)).to.deep.equal(tb);
    });

    it('unlinkMetaUser clears the link and deletes the token of every persona of that Meta user, whoever owns it, and nothing else', async () => {
      const [meta, other] = [freshDigits(17), freshDigits(17)];
      const a1 = await repo.create(alice, 'a1', { mood: '맑음' });
      const a2 = await repo.create(alice, 'a2', {});
      const a3 = await repo.create(alice, 'a3', {});
      const b1 = await repo.create(bob, 'b1', {});
      for (const persona of [a1, a3, b1]) await repo.linkInstagram(persona.userId, persona.id, link());
      await fixture.tokens.save(alice, a1.num, token(meta));
      await fixture.tokens.save(alice, a2.num, token(meta)); // connected, never linked
      await fixture.tokens.save(bob, b1.num, token(meta)); // the same Facebook user behind two app users
      const kept = token(other);
      await fixture.tokens.save(alice, a3.num, kept);
      const a3Linked = await repo.findOwned(alice, { id: a3.id });

      expect(await repo.unlinkMetaUser(meta, T), 'stored at that very second counts').to.deep.equal([a1.id, a2.id, b1.id]);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(a1);
      expect(await repo.findOwned(bob, { id: b1.id })).to.deep.equal(b1);
      for (const [user, num] of [
        [alice, a1.num],
        [alice, a2.num],
        [bob, b1.num],
      ])
        expect(await fixture.tokens.get(user, num)).to.equal(null);
      expect(await repo.findOwned(alice, { id: a3.id })).to.deep.equal(a3Linked);
      expect(await fixture.tokens.get(alice, a3.num)).to.deep.equal(kept);
      expect(await repo.unlinkMetaUser(meta, T), 'again: nothing left').to.deep.equal([]);
      expect(await repo.unlinkMetaUser(freshDigits(17), T), 'an unknown Meta user').to.deep.equal([]);
    });

    it('unlinkMetaUser removes only the tokens (and links) issued by the named app to that user', async () => {
      const meta = freshDigits(17);
      const a1 = await repo.create(alice, 'a1', {});
      const a2 = await repo.create(alice, 'a2', {});
      await repo.linkInstagram(alice, a1.id, link());
      await repo.linkInstagram(alice, a2.id, link({ fbPageId: null, login: 'instagram' }));
      await fixture.tokens.save(alice, a1.num, token(meta));
      await fixture.tokens.save(alice, a2.num, { ...token(meta), login: 'instagram' });
      const [fromFacebook, fromInstagram] = [await repo.findOwned(alice, { id: a1.id }), await repo.findOwned(alice, { id: a2.id })];
      expect(fromInstagram?.instagram?.login).to.equal('instagram');
      expect(fromInstagram?.parameters.instagram).to.include({ login: 'instagram', fb_page_id: null });

      expect(await repo.unlinkMetaUser(meta, T, 'instagram')).to.deep.equal([a2.id]);
      expect((await repo.findOwned(alice, { id: a2.id }))?.instagram).to.equal(null);
      expect(await fixture.tokens.get(alice, a2.num)).to.equal(null);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(fromFacebook);
      expect(await repo.unlinkMetaUser(meta, T), 'Facebook Login by default').to.deep.equal([a1.id]);
      expect(await fixture.tokens.get(alice, a1.num)).to.equal(null);
    });

    it('unlinkMetaUser keeps a token stored after the given time, and its link', async () => {
      const meta = freshDigits(17);
      const a1 = await repo.create(alice, 'a1', {});
      await repo.linkInstagram(alice, a1.id, link());
      const linked = await repo.findOwned(alice, { id: a1.id });
      const t = token(meta, new Date(T.getTime() + 1000));
      await fixture.tokens.save(alice, a1.num, t);
      expect(await repo.unlinkMetaUser(meta, new Date(T.getTime() + 999))).to.deep.equal([]);
      expect(await repo.findOwned(alice, { id: a1.id })).to.deep.equal(linked);
      expect(await fixture.tokens.get(alice, a1.num)).to.deep.equal(t);
    });
  });
}
