import { expect } from 'chai';
import { realDatabases } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

for (const database of realDatabases())
  describe(`HTTP personas (${database.name})`, () => {
    let app: TestApp;
    let mine: string;
    let theirs: string;

    beforeEach(async () => {
      app = await startTestApp({ persistence: (await database.open()).persistence });
      const me = await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null });
      const other = await app.persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '2',
        nickname: null,
        profileImage: null,
      });
      mine = await app.sessionCookie(me.id);
      theirs = await app.sessionCookie(other.id);
    });
    afterEach(() => app.close());

    const create = (cookie: string, body: unknown) =>
      app.fetch('/api/personas', { method: 'POST', body: JSON.stringify(body), headers: { cookie, 'content-type': 'application/json' } });

    it('refuses with 422, storing nothing, control characters, lone surrogates and nesting past 32 levels', async () => {
      let deep: unknown = 'bottom';
      for (let level = 0; level < 40; level++) deep = { d: deep };
      const bodies = [
        '{"name":"a\\u0000b"}',
        '{"name":"\\ud800"}',
        '{"name":"ok","parameters":{"key\\u0007":1}}',
        JSON.stringify({ name: 'deep', parameters: deep }),
      ];
      for (const body of bodies) {
        const res = await app.fetch('/api/personas', {
          method: 'POST',
          body,
          headers: { cookie: mine, 'content-type': 'application/json' },
        });
        expect(res.status, body.slice(0, 50)).to.equal(422);
        expect(await res.json()).to.include({ ok: false, error: 'validation_failed' });
      }
      expect((await (await app.fetch('/api/personas', { headers: { cookie: mine } })).json()).personas).to.deep.equal([]);
      const fine = await create(mine, { name: '줄\n바꿈 🌟', parameters: { note: 'tab\there' } });
      expect(fine.status).to.equal(201);
      expect((await fine.json()).persona.name).to.equal('줄\n바꿈 🌟');
    });

    it('creates (201), lists by num and gets a persona, with Korean text intact', async () => {
      const res = await create(mine, { name: '첫 페르소나', parameters: { mood: '차분함', tags: ['a'] } });
      expect(res.status).to.equal(201);
      const { persona } = await res.json();
      expect(persona).to.deep.include({
        num: 1,
        name: '첫 페르소나',
        parameters: { mood: '차분함', tags: ['a'] },
        image_url: null,
        instagram: null,
      });
      await create(mine, { name: '둘째' });
      const list = await (await app.fetch('/api/personas', { headers: { cookie: mine } })).json();
      expect(list.personas.map((p: { num: number; name: string }) => [p.num, p.name])).to.deep.equal([
        [1, '첫 페르소나'],
        [2, '둘째'],
      ]);
      const one = await (await app.fetch(`/api/personas/${persona.id}`, { headers: { cookie: mine } })).json();
      expect(one).to.deep.equal({ ok: true, persona });
    });

    it('numbers per user: 10 parallel creates give 1..10', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(mine, { name: `p${i}` })));
      const nums = await Promise.all(answers.map(async (res) => (await res.json()).persona.num));
      expect(nums.sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('another user’s persona is 404 persona_not_found, and is not listed', async () => {
      const { persona } = await (await create(theirs, { name: 'theirs' })).json();
      for (const path of [
        `/api/personas/${persona.id}`,
        '/api/personas/abc',
        '/api/personas/0',
        '/api/personas/01',
        '/api/personas/1e3',
        '/api/personas/999999',
      ]) {
        const res = await app.fetch(path, { headers: { cookie: mine } });
        expect(res.status, path).to.equal(404);
        expect(await res.json()).to.include({ error: 'persona_not_found' });
      }
      expect((await (await app.fetch('/api/personas', { headers: { cookie: mine } })).json()).personas).to.deep.equal([]);
    });

    it('is 401 without a session and 422 for bad bodies, creating nothing', async () => {
      expect((await create('', { name: 'x' })).status).to.equal(401);
      for (const body of [
        {},
        { name: '' },
        { name: 'x'.repeat(101) },
        { name: 'x', parameters: [] },
        { name: 'x', extra: 1 },
        { name: 'x', parameters: { instagram: {} } },
      ]) {
        const res = await create(mine, body);
        expect(res.status, JSON.stringify(body)).to.equal(422);
        expect(await res.json()).to.include({ error: 'validation_failed' });
      }
      expect((await (await app.fetch('/api/personas', { headers: { cookie: mine } })).json()).personas).to.deep.equal([]);
    });
  });
