import { expect } from 'chai';
import sinon from 'sinon';
import { errors } from '../../core/shared/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sessionIdOf = (cookie: string) => /=([^;]+)/.exec(cookie)![1];

describe('HTTP profile: PUT /users/me/profile and GET /auth/me', () => {
  let app: TestApp;
  let cookie: string;
  let userId: number;

  beforeEach(async () => {
    app = await startTestApp();
    const user = await app.persistence.users.upsertIdentity({
      provider: 'kakao',
      providerUserId: '1234567890123456789',
      nickname: '닉네임',
      profileImage: null,
    });
    userId = user.id;
    cookie = await app.sessionCookie(userId);
  });
  afterEach(() => app.close());

  const put = (body: unknown, headers: Record<string, string> = { cookie }) =>
    app.fetch('/users/me/profile', {
      method: 'PUT',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const me = async () => (await (await app.fetch('/auth/me', { headers: { cookie } })).json()).user;

  it('GET /auth/me is 401 without a session, and with an unknown cookie', async () => {
    for (const headers of [{}, { cookie: 'sid=forged; sid.sig=forged' }] as Record<string, string>[]) {
      const res = await app.fetch('/auth/me', { headers });
      expect(res.status).to.equal(401);
      expect(await res.json()).to.include({ ok: false, error: 'not_authenticated' });
    }
  });

  it('GET /auth/me returns the user with needs_consent until the profile is given', async () => {
    expect(await me()).to.deep.equal({
      id: userId,
      provider: 'kakao',
      nickname: '닉네임',
      profile_image: null,
      birthday: null,
      gender: null,
      needs_consent: true,
    });
    const res = await put({ birthday: '1995-04-12', gender: '여성' });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ ok: true, user: { id: userId, birthday: '1995-04-12', gender: '여성' } });
    expect(await me()).to.include({ birthday: '1995-04-12', gender: '여성', needs_consent: false });
  });

  it('PUT is 401 without a session and changes nothing', async () => {
    const res = await put({ birthday: '1995-04-12', gender: '여성' }, {});
    expect(res.status).to.equal(401);
    expect(await me()).to.include({ birthday: null });
  });

  const cases: [string, unknown, string][] = [
    ['an impossible date', { birthday: '2023-02-30', gender: '여성' }, 'invalid_birthday'],
    ['a non-padded date', { birthday: '1995-4-12', gender: '여성' }, 'invalid_birthday'],
    ['a future date', { birthday: '2999-01-01', gender: '여성' }, 'birthday_in_future'],
    ['a date before 1900', { birthday: '1899-12-31', gender: '여성' }, 'birthday_too_old'],
    ['an unknown gender', { birthday: '1995-04-12', gender: 'male' }, 'invalid_gender'],
    ['a missing field', { birthday: '1995-04-12' }, 'validation_failed'],
    ['an extra field', { birthday: '1995-04-12', gender: '여성', admin: true }, 'validation_failed'],
    ['a wrong type', { birthday: 19950412, gender: '여성' }, 'validation_failed'],
    ['a __proto__ key', '{"birthday":"1995-04-12","gender":"여성","__proto__":{"admin":true}}', 'validation_failed'],
    ['an array body', '[]', 'validation_failed'],
  ];
  for (const [name, body, code] of cases) {
    it(`refuses ${name} with 422 ${code} and changes nothing`, async () => {
      const res = await put(body);
      expect(res.status).to.equal(422);
      expect(await res.json()).to.include({ ok: false, error: code });
      expect(await me()).to.include({ birthday: null, gender: null });
    });
  }

  it('names the offending fields in details', async () => {
    const body = await (await put({ gender: '여성', extra: 1 })).json();
    const paths = body.details.map((d: { path: string }) => d.path);
    expect(paths).to.include.members(['/birthday', '/extra']);
  });

  it('answers 503 db_unavailable in the envelope when the database is down', async () => {
    const down = sinon.stub(app.persistence.sessions, 'get').rejects(errors.dbUnavailable());
    try {
      const res = await app.fetch('/auth/me', { headers: { cookie } });
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ ok: false, error: 'db_unavailable', message: 'The database is unavailable.' });
    } finally {
      down.restore();
    }
  });

  it('GET /auth/me asks the database once: it answers the user read with the session', async () => {
    const read = (await app.persistence.sessions.get(sessionIdOf(cookie), new Date()))!;
    const asRead = { ...read, user: { ...read.user!, nickname: 'as read with the session' } };
    sinon.stub(app.persistence.sessions, 'get').resolves(asRead);
    const userReads = sinon.spy(app.persistence.users, 'findById');
    try {
      expect(await me()).to.include({ id: userId, nickname: 'as read with the session' });
      expect(userReads.callCount).to.equal(0);
    } finally {
      sinon.restore();
    }
  });

  it('runs each signed-in request in one persistence scope, and /health in none', async () => {
    const scopes = sinon.spy(app.persistence, 'inRequestScope');
    try {
      await me();
      expect(scopes.callCount).to.equal(1);
      await app.fetch('/health');
      expect(scopes.callCount).to.equal(1);
    } finally {
      sinon.restore();
    }
  });

  it('signs out, on every signed-in route, a session whose user no longer exists', async () => {
    const orphan = await app.sessionCookie(userId + 1000);
    const requests: [string, RequestInit][] = [
      ['/auth/me', {}],
      [
        '/users/me/profile',
        {
          method: 'PUT',
          body: JSON.stringify({ birthday: '1995-04-12', gender: '여성' }),
          headers: { 'content-type': 'application/json' },
        },
      ],
      ['/api/personas', {}],
    ];
    for (const [path, init] of requests) {
      const res = await app.fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: orphan } });
      expect(res.status, path).to.equal(401);
      expect(await res.json()).to.include({ error: 'not_authenticated' });
    }
  });

  it('stops honouring a session past its absolute lifetime', async () => {
    const id = 'expired-session-id';
    const authAt = Date.now() - app.config.sessionTtlSeconds * 1000 - 1000;
    await app.persistence.sessions.set(id, { userId, authAt }, new Date(Date.now() + 60_000));
    const res = await app.fetch('/auth/me', { headers: { cookie: app.cookieFor(id) } });
    expect(res.status).to.equal(401);
    await app.persistence.sessions.set(id, { userId, authAt: Date.now() }, new Date(Date.now() + 60_000));
    const fresh = await app.fetch('/auth/me', { headers: { cookie: app.cookieFor(id) } });
    expect(fresh.status, 'the same cookie works while within the lifetime').to.equal(200);
  });
});
