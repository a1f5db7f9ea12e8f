import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryInstagramTokenStore } from '../../adapters/in-memory/in-memory-instagram-token-store.js';
import { InMemoryJobQueue } from '../../adapters/in-memory/in-memory-job-queue.js';
import { InMemoryPersonaRepository } from '../../adapters/in-memory/in-memory-persona-repository.js';
import { InMemoryPostRepository } from '../../adapters/in-memory/in-memory-post-repository.js';
import { ListPosts, POSTS_PAGE } from '../../core/publishing/index.js';
import { codeOf } from '../support/rejection.js';

const T0 = Date.parse('2027-01-10T00:00:00Z');

describe('ListPosts', () => {
  let personas: InMemoryPersonaRepository;
  let posts: InMemoryPostRepository;
  let list: ListPosts;

  beforeEach(() => {
    personas = new InMemoryPersonaRepository(new InMemoryInstagramTokenStore());
    posts = new InMemoryPostRepository(new InMemoryJobQueue());
    list = new ListPosts(personas, posts);
  });

  async function personaWithPosts(userId: number, count: number) {
    const { id: personaId } = await personas.create(userId, 'p', {});
    for (let n = 0; n < count; n++) {
      await posts.create(
        { userId, personaId, caption: `${n}`, altText: null, media: [{ mediaId: 1, url: '/media/a.png' }] },
        new Date(T0 + n),
      );
    }
    return personaId;
  }

  it('answers a page of the caller’s persona, POSTS_PAGE.defaultLimit posts by default, with the key of the next', async () => {
    const personaId = await personaWithPosts(1, 25);
    const first = await list.execute(1, personaId);
    expect(first.items).to.have.length(POSTS_PAGE.defaultLimit);
    expect(first.next).to.deep.equal({ createdAt: first.items[19].createdAt, id: first.items[19].id });
    const rest = await list.execute(1, personaId, { limit: 10, before: first.next! });
    expect(rest.items.map((post) => post.caption)).to.deep.equal(['4', '3', '2', '1', '0']);
    expect(rest.next).to.equal(null);
  });

  it('persona_not_found for another user’s persona or none, whatever the cursor; an empty page for the caller’s own', async () => {
    const theirs = await personaWithPosts(2, 3);
    const key = { createdAt: new Date(T0 + 100), id: 1000 };
    for (const personaId of [theirs, theirs + 1000]) {
      expect(await codeOf(list.execute(1, personaId))).to.equal('persona_not_found');
      expect(await codeOf(list.execute(1, personaId, { before: key, status: 'draft' }))).to.equal('persona_not_found');
    }
    const mine = await personaWithPosts(1, 0);
    expect(await list.execute(1, mine)).to.deep.equal({ items: [], next: null });
    expect(await list.execute(1, await personaWithPosts(1, 2), { before: { createdAt: new Date(T0), id: 1 } })).to.deep.equal({
      items: [],
      next: null,
    });
  });

  it('reads the persona only when the page is empty: a page with posts proves it is the caller’s', async () => {
    const personaId = await personaWithPosts(1, 2);
    const read = sinon.spy(personas, 'findOwned');
    expect((await list.execute(1, personaId)).items).to.have.length(2);
    expect(read.called).to.equal(false);
    expect((await list.execute(1, personaId, { status: 'published' })).items).to.deep.equal([]);
    expect(read.calledOnceWith(1, { id: personaId })).to.equal(true);
  });
});
