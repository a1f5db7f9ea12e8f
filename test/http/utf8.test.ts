import { expect } from 'chai';
import { realDatabases } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Byte sequences that are not UTF-8: a stray byte, an overlong slash, an encoded surrogate, a cut-off euro sign. */
const NOT_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]];

/** `{"name":"a<bytes>b"}` as bytes. */
const nameWith = (bytes: number[]) =>
  Uint8Array.from([...Buffer.from('{"name":"a'), ...bytes, ...Buffer.from('b","parameters":{"k":"v"}}')]);

for (const database of realDatabases())
  describe(`HTTP refuses invalid UTF-8 instead of storing it rewritten (${database.name})`, () => {
    let app: TestApp;
    let cookie: string;
    let rows: (table: string) => Promise<Record<string, unknown>[]>;

    beforeEach(async () => {
      const db = await database.open();
      rows = db.rows;
      app = await startTestApp({ persistence: db.persistence, env: { MOCK_PROVIDERS: '1' } });
      const user = await app.persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '1',
        nickname: null,
        profileImage: null,
      });
      cookie = await app.sessionCookie(user.id);
    });
    afterEach(() => app.close());

    const postJson = (path: string, body: BodyInit) =>
      app.fetch(path, { method: 'POST', body, headers: { cookie, 'content-type': 'application/json' } });

    async function expectError(res: Response, status: number, code: string) {
      expect(res.status).to.equal(status);
      expect(await res.json()).to.include({ ok: false, error: code });
    }

    it('answers a JSON body that is not UTF-8 with 400 invalid_request and stores nothing', async () => {
      for (const bytes of NOT_UTF8) await expectError(await postJson('/api/personas', nameWith(bytes)), 400, 'invalid_request');
      const profile = Uint8Array.from([...Buffer.from('{"birthday":"1995-04-12","gender":"'), 0xff, ...Buffer.from('"}')]);
      const put = await app.fetch('/users/me/profile', {
        method: 'PUT',
        body: profile,
        headers: { cookie, 'content-type': 'application/json' },
      });
      await expectError(put, 400, 'invalid_request');
      expect(await rows('ss_persona')).to.deep.equal([]);
      expect((await rows('ss_user')).map((user) => user.birthday ?? null)).to.deep.equal([null]);
    });

    it('stores well-formed text byte-exact, a real U+FFFD and a byte-order mark before the body included', async () => {
      const name = '한글 \uFFFD 🌟';
      const body = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(JSON.stringify({ name }))]);
      const res = await postJson('/api/personas', body);
      expect(res.status).to.equal(201);
      expect((await res.json()).persona.name).to.equal(name);
      expect((await rows('ss_persona')).map((persona) => persona.name)).to.deep.equal([name]);
    });

    it('answers a query string whose escapes are not UTF-8, or hold a control character, with 400 and starts nothing', async () => {
      const sessions = (await rows('ss_session')).length;
      for (const query of ['next=%FF', 'next=%2F%C0%AF', 'next=%2F%ED%A0%80', 'next=%2Fa%00b'])
        await expectError(await app.fetch(`/auth/kakao/login?${query}`), 400, 'invalid_request');
      await expectError(await app.fetch('/oauth/instagram/accounts?persona_id=%E2%82', { headers: { cookie } }), 400, 'invalid_request');
      expect(await rows('ss_session')).to.have.length(sessions);
      expect((await app.fetch('/auth/kakao/login?next=%2F%ED%95%9C%EA%B8%80')).status).to.equal(302);
    });

    it('answers a path parameter whose escapes are not UTF-8 with 404', async () => {
      for (const path of ['/api/personas/%FF', '/api/personas/1%C0%AF', '/api/personas/%ED%A0%80'])
        await expectError(await app.fetch(path, { headers: { cookie } }), 404, 'not_found');
    });
  });
