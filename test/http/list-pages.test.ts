import { expect } from 'chai';
import type { Persistence } from '../../composition/persistence.js';
import { realDatabases } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { uploadRow } from '../support/media-rows.js';

const T0 = Date.parse('2031-05-01T09:00:00.000Z');

interface Listed {
  id: number;
  created_at: string;
}

for (const database of [...realDatabases(), { name: 'in memory', open: null }]) {
  describe(`HTTP list pages: GET /api/personas/:id/posts and GET /api/media (${database.name})`, () => {
    let app: TestApp;
    let persistence: Persistence;
    let userId: number;
    let cookie: string;
    let personaId: number;
    /** Rows are created in this order, two to a millisecond (the pages cross ties): the later, the newer. */
    let created: number;
    const nextTime = () => new Date(T0 + Math.floor(created++ / 2) * 1000);

    beforeEach(async () => {
      app = await startTestApp(database.open ? { persistence: (await database.open()).persistence } : {});
      persistence = app.persistence;
      userId = (await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null })).id;
      cookie = await app.sessionCookie(userId);
      personaId = (await persistence.personas.create(userId, '페이지', {})).id;
      created = 0;
    });
    afterEach(async () => {
      await app.close();
    });

    const get = async (path: string, as = cookie) => {
      const res = await app.fetch(path, { headers: { cookie: as } });
      return { status: res.status, body: await res.json() };
    };
    const ids = (items: Listed[]) => items.map((item) => item.id);

    /** `count` new posts of the persona, the newest first. */
    async function addPosts(count: number, status?: 'failed'): Promise<number[]> {
      const made = [];
      for (let n = 0; n < count; n++) {
        const media = [{ mediaId: 1, url: '/media/a.png' }];
        const post = await persistence.posts.create({ userId, personaId, caption: `#${n}`, altText: null, media }, nextTime());
        if (status) await persistence.posts.update(post.id, ['draft'], { status }, new Date(T0));
        made.push(post.id);
      }
      return made.reverse();
    }

    /** `count` new media of the user, the newest first. */
    async function addMedia(count: number, owner = userId): Promise<number[]> {
      const made = [];
      for (let n = 0; n < count; n++) {
        made.push((await persistence.mediaLibrary.add(uploadRow(owner, n), nextTime())).id);
      }
      return made.reverse();
    }

    /** Follows next_cursor from `first` to the end: the ids of each page. */
    async function pagesOf(first: string, key: 'posts' | 'media'): Promise<number[][]> {
      const pages: number[][] = [];
      let path = first;
      for (;;) {
        const { status, body } = await get(path);
        expect(status, JSON.stringify(body)).to.equal(200);
        expect(Object.keys(body).sort()).to.deep.equal(['next_cursor', 'ok', key].sort());
        pages.push(ids(body[key]));
        if (body.next_cursor === null) return pages;
        expect(body.next_cursor).to.match(/^[A-Za-z0-9_-]+$/);
        path = `${first}${first.includes('?') ? '&' : '?'}before=${body.next_cursor}`;
        expect(pages.length).to.be.below(20);
      }
    }

    async function expectInvalid(path: string, detailPath: string) {
      const { status, body } = await get(path);
      expect(status, path).to.equal(400);
      expect(body, path).to.include({ ok: false, error: 'invalid_request' });
      expect(Object.keys(body).sort()).to.deep.equal(['details', 'error', 'message', 'ok']);
      expect(body.details.map((detail: { path: string }) => detail.path)).to.include(detailPath);
    }

    it('posts: 20 a page by default, newest first; next_cursor leads through every page, null on the last', async () => {
      const made = await addPosts(23);
      const first = await get(`/api/personas/${personaId}/posts`);
      expect(ids(first.body.posts)).to.deep.equal(made.slice(0, 20));
      expect(first.body.next_cursor).to.be.a('string');
      expect(await pagesOf(`/api/personas/${personaId}/posts`, 'posts')).to.deep.equal([made.slice(0, 20), made.slice(20)]);
      expect(await pagesOf(`/api/personas/${personaId}/posts?limit=5`, 'posts')).to.deep.equal(
        [0, 5, 10, 15, 20].map((n) => made.slice(n, n + 5)),
      );
      expect(await pagesOf(`/api/personas/${personaId}/posts?limit=100`, 'posts')).to.deep.equal([made]);
      expect(await pagesOf(`/api/personas/${personaId}/posts?limit=23`, 'posts'), 'an exact page is the last').to.deep.equal([made]);
    });

    it('posts: the status filter pages too; posts added between two reads repeat or shift nothing', async () => {
      const failed = await addPosts(3, 'failed');
      const drafts = await addPosts(5);
      expect(await pagesOf(`/api/personas/${personaId}/posts?status=failed&limit=2`, 'posts')).to.deep.equal([
        failed.slice(0, 2),
        failed.slice(2),
      ]);
      const first = await get(`/api/personas/${personaId}/posts?status=draft&limit=2`);
      expect(ids(first.body.posts)).to.deep.equal(drafts.slice(0, 2));
      const newer = await addPosts(2);
      const second = await get(`/api/personas/${personaId}/posts?status=draft&limit=2&before=${first.body.next_cursor}`);
      expect(ids(second.body.posts)).to.deep.equal(drafts.slice(2, 4));
      expect(ids(second.body.posts)).to.not.include.members(newer);
    });

    it('media: 50 a page by default, newest first; next_cursor round trip; another user’s never listed', async () => {
      const made = await addMedia(53);
      const bob = (await persistence.users.upsertIdentity({ provider: 'google', providerUserId: '2', nickname: null, profileImage: null }))
        .id;
      await addMedia(3, bob);
      const first = await get('/api/media');
      expect(first.status).to.equal(200);
      expect(ids(first.body.media)).to.deep.equal(made.slice(0, 50));
      expect(first.body.media[0]).to.have.keys(['id', 'url', 'content_type', 'width', 'height', 'bytes', 'created_at']);
      expect(await pagesOf('/api/media', 'media')).to.deep.equal([made.slice(0, 50), made.slice(50)]);
      expect(await pagesOf('/api/media?limit=20', 'media')).to.deep.equal([made.slice(0, 20), made.slice(20, 40), made.slice(40)]);
      expect(await pagesOf('/api/media?limit=200', 'media')).to.deep.equal([made]);
      const bobsFirst = await get('/api/media?limit=1', await app.sessionCookie(bob));
      expect((await get(`/api/media?before=${bobsFirst.body.next_cursor}`)).body.media.length, 'a cursor is only a position').to.equal(50);
      expect((await get(`/api/media?before=${first.body.next_cursor}`, await app.sessionCookie(bob))).body).to.deep.equal({
        ok: true,
        media: [],
        next_cursor: null,
      });
    });

    it('400 invalid_request for a malformed cursor or a limit out of range, in the error envelope', async () => {
      await addPosts(3);
      await addMedia(3);
      const cursor = (await get(`/api/personas/${personaId}/posts?limit=1`)).body.next_cursor as string;
      const junk = [
        'x',
        '!!!',
        `${cursor}=`,
        `${cursor}A`,
        Buffer.from('1.2.3').toString('base64url'),
        Buffer.from('-5.1').toString('base64url'),
        Buffer.from('01.1').toString('base64url'),
        Buffer.from('1.0').toString('base64url'),
        Buffer.from('99999999999999999.1').toString('base64url'),
        Buffer.from('1.99999999999').toString('base64url'),
        Buffer.from('{"id":1}').toString('base64url'),
        'a'.repeat(41),
        '%E2%82%AC',
      ];
      for (const path of [`/api/personas/${personaId}/posts`, '/api/media']) {
        for (const before of junk) await expectInvalid(`${path}?before=${before}`, '/before');
        await expectInvalid(`${path}?before=`, '/before');
        for (const limit of ['0', '-1', '1.5', 'ten', '']) await expectInvalid(`${path}?limit=${limit}`, '/limit');
        await expectInvalid(`${path}?limit=1&limit=2`, '/limit');
      }
      await expectInvalid(`/api/personas/${personaId}/posts?limit=101`, '/limit');
      await expectInvalid('/api/media?limit=201', '/limit');
      expect((await get(`/api/personas/${personaId}/posts?limit=100`)).status).to.equal(200);
      expect((await get('/api/media?limit=200')).status).to.equal(200);
      expect((await get(`/api/media?before=${cursor}`)).status, 'a cursor of either list is a position').to.equal(200);
    });

    it('an empty list is one page with next_cursor null; another user’s persona is 404 before any cursor is read', async () => {
      expect((await get(`/api/personas/${personaId}/posts`)).body).to.deep.equal({ ok: true, posts: [], next_cursor: null });
      expect((await get('/api/media')).body).to.deep.equal({ ok: true, media: [], next_cursor: null });
      const other = (
        await persistence.users.upsertIdentity({ provider: 'google', providerUserId: '3', nickname: null, profileImage: null })
      ).id;
      const { status, body } = await get(`/api/personas/${personaId}/posts?limit=5`, await app.sessionCookie(other));
      expect(status).to.equal(404);
      expect(body).to.include({ error: 'persona_not_found' });
    });
  });
}
