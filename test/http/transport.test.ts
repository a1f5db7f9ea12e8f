import { expect } from 'chai';
import { request } from 'node:http';
import { connect } from 'node:net';
import sinon from 'sinon';
import { inMemoryPersistence } from '../../composition/persistence.js';
import { defineRoute } from '../../adapters/http/route.js';
import { sessionOf } from '../../adapters/http/app-state.js';
import { startUserSession } from '../../adapters/http/session.js';
import { captureLogs } from '../support/capture-logs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Test-only routes: one that fails like a bug, one that starts a session. */
const extraRoutes = [
  defineRoute({
    method: 'GET',
    path: '/test/boom',
    operationId: 'testBoom',
    tag: 'test',
    summary: 'bug',
    responses: {},
    handler() {
      throw new Error('secret stack detail');
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/auth/test-login',
    operationId: 'testLogin',
    tag: 'test',
    summary: 'session',
    responses: {},
    session: true,
    async handler(ctx) {
      await startUserSession(ctx, 1);
      ctx.body = { ok: true };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/auth/test-pending',
    operationId: 'testPending',
    tag: 'test',
    summary: 'anonymous session',
    responses: {},
    session: true,
    handler(ctx) {
      Object.assign(sessionOf(ctx), { pending: 'state' });
      ctx.body = { ok: true };
    },
  }),
];

const sessionIdOf = (res: Response, name = 'sid') =>
  res.headers
    .getSetCookie()
    .map((c) => new RegExp(`^${name}=([^;]*)`).exec(c)?.[1])
    .find((v) => v !== undefined);

const json = (body: string, type = 'application/json') => ({ method: 'PUT', body, headers: { 'content-type': type } });

describe('HTTP transport rules', () => {
  let app: TestApp;
  let cookie: string;
  beforeEach(async () => {
    app = await startTestApp({ extraRoutes, env: { BODY_LIMIT: '1kb' } });
    const user = await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: 'n', profileImage: null });
    cookie = await app.sessionCookie(user.id);
  });
  afterEach(() => app.close());

  async function expectError(res: Response, status: number, code: string) {
    expect(res.status).to.equal(status);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const body = await res.json();
    expect(body).to.include({ ok: false, error: code });
    expect(body.message)
      .to.be.a('string')
      .and.not.match(/at .*\.ts/);
    return body;
  }

  it('answers unknown routes with the 404 envelope', async () => {
    await expectError(await app.fetch('/nope'), 404, 'not_found');
    await expectError(await app.fetch('/health', { method: 'DELETE' }), 404, 'not_found');
  });

  it('puts X-Request-Id on every response, keeping a well-formed incoming one', async () => {
    const ids = new Set<string | null>();
    for (const path of ['/health', '/nope', '/test/boom']) ids.add((await app.fetch(path)).headers.get('x-request-id'));
    expect(ids.size).to.equal(3);
    expect([...ids].every((id) => id && /^[A-Za-z0-9_-]{12}-[0-9a-z]+$/.test(id))).to.equal(true);
    const echoed = await app.fetch('/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).to.equal('abc-123');
    const forged = await app.fetch('/health', { headers: { 'x-request-id': '<script>'.repeat(20) } });
    expect(forged.headers.get('x-request-id')).to.match(/^[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
  });

  it('answers a bug with 500 internal_error and no stack trace, logging it under the echoed request id', async () => {
    const logs = captureLogs();
    await app.close();
    app = await startTestApp({ extraRoutes, logger: logs.logger });
    const res = await app.fetch('/test/boom');
    const body = await expectError(res, 500, 'internal_error');
    expect(JSON.stringify(body)).to.not.include('secret stack detail');
    const logged = logs.entries().find((entry) => entry.msg === 'unhandled error');
    expect(logged.requestId).to.equal(res.headers.get('x-request-id'));
    expect(logged.err.message).to.equal('secret stack detail');
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    await expectError(
      await app.fetch('/users/me/profile', { ...json('{"birthday":'), headers: { cookie, 'content-type': 'application/json' } }),
      400,
      'invalid_request',
    );
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await app.fetch('/users/me/profile', {
      method: 'PUT',
      body: 'birthday=1995-04-12',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('answers a body whose Content-Encoding does not match its bytes with 400, and an unknown encoding with 415', async () => {
    const gzipHeaderOnly = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
    const corrupt: [string, Buffer][] = [
      ['gzip', Buffer.from('not gzip at all')],
      ['gzip', gzipHeaderOnly],
      ['deflate', Buffer.from([1, 2, 3])],
      ['br', Buffer.from('xx')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ];
    for (const [encoding, body] of corrupt) {
      const res = await app.fetch('/users/me/profile', {
        method: 'PUT',
        body: new Uint8Array(body),
        headers: { cookie, 'content-type': 'application/json', 'content-encoding': encoding },
      });
      await expectError(res, 400, 'invalid_request');
    }
    const unknown = await app.fetch('/users/me/profile', {
      method: 'PUT',
      body: '{}',
      headers: { cookie, 'content-type': 'application/json', 'content-encoding': 'bogus' },
    });
    await expectError(unknown, 415, 'unsupported_media_type');
  });

  it('answers a body over BODY_LIMIT with 413', async () => {
    const big = JSON.stringify({ birthday: '1995-04-12', gender: '여성', pad: 'x'.repeat(2048) });
    await expectError(
      await app.fetch('/users/me/profile', { method: 'PUT', body: big, headers: { cookie, 'content-type': 'application/json' } }),
      413,
      'payload_too_large',
    );
  });

  it('a body the route does not read (a GET with 256 KB, Connection: close) still gets the whole answer, not a reset', async () => {
    const body = Buffer.alloc(256 * 1024, 'x');
    const { hostname, port } = new URL(app.url);
    for (let i = 0; i < 5; i++) {
      const answer = await new Promise<{ status: number; bytes: number }>((done, fail) => {
        const req = request(
          { host: hostname, port, method: 'GET', path: '/openapi.json', agent: false, headers: { 'content-length': body.length } },
          (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
            res.on('error', fail);
          },
        );
        req.on('error', fail);
        req.end(body);
      });
      expect(answer.status).to.equal(200);
      expect(answer.bytes).to.be.greaterThan(10_000);
    }
  });

  describe('CORS', () => {
    const FRONTEND = 'http://localhost:5174';

    it('lets FRONTEND_URL call with credentials', async () => {
      const res = await app.fetch('/health', { headers: { origin: FRONTEND } });
      expect(res.headers.get('access-control-allow-origin')).to.equal(FRONTEND);
      expect(res.headers.get('access-control-allow-credentials')).to.equal('true');
    });

    it('adds no CORS header without an Origin, but says the answer varies by it', async () => {
      const res = await app.fetch('/health');
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect(res.headers.get('vary')).to.equal('Origin');
      expect((await app.fetch('/health', { headers: { origin: FRONTEND } })).headers.get('vary')).to.equal('Origin');
    });

    it('gives other origins * without credentials', async () => {
      const res = await app.fetch('/health', { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      expect(res.headers.get('access-control-allow-credentials')).to.equal(null);
      const preflight = await app.fetch('/users/me/profile', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('*');
      expect(preflight.headers.get('access-control-allow-credentials')).to.equal(null);
    });

    it('gives other origins nothing with STRICT_CORS=1', async () => {
      await app.close();
      app = await startTestApp({ env: { STRICT_CORS: '1' } });
      const other = await app.fetch('/health', { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
      const own = await app.fetch('/health', { headers: { origin: FRONTEND } });
      expect(own.headers.get('access-control-allow-origin')).to.equal(FRONTEND);
    });
  });

  describe('session cookie', () => {
    it('holds only an opaque id of 256 bits, HttpOnly and SameSite=Lax, not Secure over http', async () => {
      const res = await app.fetch('/auth/test-login', { method: 'POST' });
      const sid = res.headers.getSetCookie().find((c) => c.startsWith('sid=') && c.length > 5)!;
      const id = sessionIdOf(res)!;
      expect(Buffer.from(id, 'base64url')).to.have.length(32);
      expect(sid)
        .to.match(/httponly/i)
        .and.match(/samesite=lax/i)
        .and.not.match(/secure/i);
      const stored = await app.persistence.sessions.get(id, new Date());
      expect(stored?.data).to.include({ userId: 1 });
    });

    it('gets a new id at sign-in: the anonymous session is destroyed and nothing of it carried over', async () => {
      const anonymous = await app.fetch('/auth/test-pending', { method: 'POST' });
      const before = sessionIdOf(anonymous)!;
      expect((await app.persistence.sessions.get(before, new Date()))?.data).to.include({ pending: 'state' });
      const login = await app.fetch('/auth/test-login', { method: 'POST', headers: { cookie: app.cookieFor(before) } });
      const after = login.headers
        .getSetCookie()
        .map((c) => /^sid=([^;]+)/.exec(c)?.[1])
        .filter(Boolean)
        .pop()!;
      expect(after).to.not.equal(before);
      expect(await app.persistence.sessions.get(before, new Date())).to.equal(null);
      const stored = await app.persistence.sessions.get(after, new Date());
      expect(stored?.data).to.include({ userId: 1 }).and.not.have.property('pending');
    });

    it('is Secure when BACKEND_URL is https', async () => {
      await app.close();
      app = await startTestApp({ extraRoutes, env: { BACKEND_URL: 'https://api.example.com', SESSION_COOKIE_NAME: 'selfstar' } });
      const res = await app.fetch('/auth/test-login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
      expect(res.status).to.equal(200);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('selfstar='));
      expect(cookie).to.match(/;\s*secure/i);
    });
  });
});

describe('HTTP: a logout is never undone by a parallel request of the same session', () => {
  it('keeps the session ended when a request that read it before the logout saves it after', async () => {
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const slowWriter = defineRoute({
      method: 'POST',
      path: '/test/slow-session-write',
      operationId: 'testSlowSessionWrite',
      tag: 'test',
      summary: 'changes the session after a wait',
      session: true,
      responses: {},
      async handler(ctx) {
        await held;
        (ctx.session as unknown as Record<string, unknown>).note = 'written after the logout';
        ctx.body = { ok: true };
      },
    });
    const app = await startTestApp({ extraRoutes: [slowWriter] });
    try {
      const user = await app.persistence.users.upsertIdentity({
        provider: 'kakao',
        providerUserId: '1',
        nickname: 'n',
        profileImage: null,
      });
      const cookie = await app.sessionCookie(user.id);
      const id = /=([^;]+)/.exec(cookie)![1];
      const writer = app.fetch('/test/slow-session-write', { method: 'POST', headers: { cookie } });
      await new Promise((done) => setTimeout(done, 50)); // the writer has read the session and waits
      expect((await app.fetch('/auth/logout', { method: 'POST', headers: { cookie } })).status).to.equal(200);
      release();
      expect((await writer).status).to.equal(200);
      expect(await app.persistence.sessions.get(id, new Date())).to.equal(null);
      expect((await app.fetch('/auth/me', { headers: { cookie } })).status).to.equal(401);
    } finally {
      await app.close();
    }
  });
});

describe('HTTP: a client that hangs up before its body is read', () => {
  it('is answered as its own error (400), never logged as a 500', async () => {
    const logs = captureLogs();
    const persistence = inMemoryPersistence();
    const app = await startTestApp({ persistence, logger: logs.logger });
    try {
      const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: 'n', profileImage: null });
      const cookie = await app.sessionCookie(user.id);
      const sessionRead = persistence.sessions.get.bind(persistence.sessions);
      let hungUp!: () => void;
      const clientGone = new Promise<void>((done) => (hungUp = done));
      sinon.stub(persistence.sessions, 'get').callsFake(async (...args) => {
        await clientGone; // the session read outlasts the client
        return sessionRead(...args);
      });
      const body = JSON.stringify({ birthday: '1990-01-01', gender: '여성' });
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
      await new Promise((done) => socket.once('connect', done));
      socket.write(
        `PUT /users/me/profile HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await new Promise((done) => setTimeout(done, 50));
      socket.destroy();
      await new Promise((done) => setTimeout(done, 50));
      hungUp();
      await new Promise((done) => setTimeout(done, 100));
      const requests = logs.entries().filter((entry) => entry.msg === 'request');
      expect(requests.map((entry) => entry.status)).to.deep.equal([400]);
      expect(logs.entries().filter((entry) => entry.level >= 50)).to.deep.equal([]);
      expect((await persistence.users.findById(user.id))?.birthday).to.equal(null);
    } finally {
      sinon.restore();
      await app.close();
    }
  });
});
