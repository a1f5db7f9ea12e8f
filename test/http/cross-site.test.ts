import { expect } from 'chai';
import { guardsBrowserRequests } from '../../adapters/http/browser-request-guard.js';
import { registerRoutes } from '../../adapters/http/register-routes.js';
import { defineRoute, type Route } from '../../adapters/http/route.js';
import { realDatabases } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const NOTICE_FORM = { type: 'object', additionalProperties: false, properties: { user_id: { type: 'string' } } } as const;

/** A provider's callback as the Kakao and Meta ones are declared: a form, authenticated by the route itself. */
function providerNotice(received: unknown[]): Route {
  return defineRoute({
    method: 'POST',
    path: '/test/provider-notice',
    operationId: 'testProviderNotice',
    tag: 'test',
    summary: 'provider callback',
    form: NOTICE_FORM,
    providerCallback: true,
    responses: {},
    handler(ctx, { body }) {
      received.push(body);
      ctx.body = { ok: true };
    },
  });
}

/** A JSON body the route's schema accepts where every required field has an example, else `{}`. */
function exampleBody(route: Route): string | undefined {
  if (!route.body) return undefined;
  const properties = (route.body.properties ?? {}) as Record<string, { examples?: unknown[] }>;
  const required = (route.body.required ?? []) as string[];
  const filled = required.every((name) => properties[name]?.examples);
  return JSON.stringify(filled ? Object.fromEntries(required.map((name) => [name, properties[name].examples![0]])) : {});
}

const pathOf = (route: Route) => route.path.replace(/:\w+/g, '1');

describe('HTTP cross-site requests on every state-changing route', () => {
  const sqlite = realDatabases()[0];
  let app: TestApp;
  let rows: (table: string) => Promise<Record<string, unknown>[]>;
  let userId: number;
  let received: unknown[];
  let stateChanging: Route[];

  beforeEach(async () => {
    received = [];
    const database = await sqlite.open();
    rows = database.rows;
    app = await startTestApp({
      persistence: database.persistence,
      extraRoutes: [providerNotice(received)],
      env: { FRONTEND_URL: FRONTEND },
    });
    stateChanging = app.routes.filter(guardsBrowserRequests);
    const user = await app.persistence.users.upsertIdentity({
      provider: 'kakao',
      providerUserId: '42',
      nickname: '이웃',
      profileImage: null,
    });
    userId = user.id;
  });
  afterEach(() => app.close());

  /** Every row of every table, to show a refused request changed nothing. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables = (await rows('sqlite_master')).filter((t) => t.type === 'table').map((t) => String(t.name));
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await rows(table)])));
  }

  /**
   * The route called by a signed-in browser (a new session unless `cookie` is given), with its example JSON body
   * (an empty body of its first type for an upload route) unless `body` is given.
   */
  async function call(route: Route, headers: Record<string, string>, sent: { body?: string; cookie?: string } = {}): Promise<Response> {
    const body = 'body' in sent ? sent.body : route.upload ? '' : exampleBody(route);
    const json: Record<string, string> = body === undefined ? {} : { 'content-type': route.upload?.types[0] ?? 'application/json' };
    const cookie = sent.cookie ?? (await app.sessionCookie(userId));
    return app.fetch(pathOf(route), { method: route.method, body, headers: { cookie, ...json, ...headers } });
  }

  async function errorOf(res: Response): Promise<string | undefined> {
    const text = await res.text();
    return text ? (JSON.parse(text) as { error?: string }).error : undefined;
  }

  it('covers the routes that change something, and only those', () => {
    const covered = stateChanging.map((route) => `${route.method} ${route.path}`);
    expect(covered).to.include.members(['POST /auth/logout', 'POST /auth/kakao/unlink', 'PUT /users/me/profile', 'POST /api/personas']);
    expect(covered).to.not.include('POST /test/provider-notice');
    expect(app.routes.filter((route) => route.method === 'GET').filter(guardsBrowserRequests)).to.deep.equal([]);
  });

  it('refuses a foreign, null or sibling Origin, and a cross-site fetch without one, with 403 origin_forbidden and changes nothing', async () => {
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:5175' }, // same site as FRONTEND_URL, another port: SameSite=Lax lets its forms through
      { origin: `${FRONTEND}.evil.example` },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
    ];
    const cookie = await app.sessionCookie(userId);
    for (const route of stateChanging) {
      for (const headers of crossSite) {
        const before = await snapshot();
        const res = await call(route, headers, { cookie });
        expect(res.status, `${route.method} ${route.path} ${JSON.stringify(headers)}`).to.equal(403);
        expect(await res.json()).to.include({ ok: false, error: 'origin_forbidden' });
        expect(await snapshot(), `${route.method} ${route.path} changed a row`).to.deep.equal(before);
      }
    }
  });

  it('refuses a form or text body with 415 from the app’s own pages, and with 403 from another site, changing nothing', async () => {
    const forms: [string, string][] = [
      ['text/plain', '{"birthday":"1995-04-12","gender":"여성"}'],
      ['application/x-www-form-urlencoded', 'birthday=1995-04-12&gender=%EC%97%AC%EC%84%B1'],
      ['application/x-www-form-urlencoded', ''], // a form with no fields still says what it is
      ['multipart/form-data; boundary=x', '--x--\r\n'],
    ];
    const cookie = await app.sessionCookie(userId);
    for (const route of stateChanging) {
      for (const [type, body] of forms) {
        const label = `${route.method} ${route.path} ${type}`;
        const before = await snapshot();
        const own = await call(route, { origin: FRONTEND, 'content-type': type }, { body, cookie });
        expect(own.status, label).to.equal(415);
        expect(await own.json()).to.include({ error: 'unsupported_media_type' });
        const foreign = await call(route, { origin: 'https://evil.example', 'content-type': type }, { body, cookie });
        expect(foreign.status, label).to.equal(403);
        expect(await snapshot(), `${label} changed a row`).to.deep.equal(before);
      }
    }
  });

  it('passes FRONTEND_URL’s and BACKEND_URL’s pages, and clients without Origin, on to the route', async () => {
    const trusted: Record<string, string>[] = [
      { origin: FRONTEND },
      { origin: FRONTEND, 'sec-fetch-site': 'cross-site' }, // a frontend on another site names itself
      { origin: app.url },
      { 'sec-fetch-site': 'same-origin' },
      {}, // curl, a server
    ];
    for (const route of stateChanging) {
      for (const headers of trusted) {
        const res = await call(route, headers);
        expect(await errorOf(res), `${route.method} ${route.path} ${JSON.stringify(headers)}`).to.not.be.oneOf([
          'origin_forbidden',
          'unsupported_media_type',
        ]);
      }
    }
  });

  it('lets a cross-site form POST to /auth/logout end nothing, while the app’s own logout does', async () => {
    const cookie = await app.sessionCookie(userId);
    const me = async () => (await app.fetch('/auth/me', { headers: { cookie } })).status;
    const attack = await app.fetch('/auth/logout', {
      method: 'POST',
      body: '',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(attack.status).to.equal(403);
    expect(await me()).to.equal(200);
    const own = await app.fetch('/auth/logout', { method: 'POST', headers: { cookie, origin: FRONTEND } });
    expect(own.status).to.equal(200);
    expect(await me()).to.equal(401);
  });

  it('changes the profile from the app’s own page and not from another site', async () => {
    const route = stateChanging.find((r) => r.path === '/users/me/profile')!;
    expect((await call(route, { origin: 'https://evil.example' })).status).to.equal(403);
    expect(await app.persistence.users.findById(userId)).to.include({ birthday: null });
    expect((await call(route, { origin: FRONTEND })).status).to.equal(200);
    expect(await app.persistence.users.findById(userId)).to.not.include({ birthday: null });
  });

  it('exempts a provider callback: a form from anywhere reaches it', async () => {
    const res = await app.fetch('/test/provider-notice', {
      method: 'POST',
      body: 'user_id=42',
      headers: { origin: 'https://kakao.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).to.equal(200);
    expect(received).to.deep.equal([{ user_id: '42' }]);
  });

  it('keeps answering the CORS preflight of a state-changing route from any origin', async () => {
    const preflight = await app.fetch('/users/me/profile', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).to.equal(204);
  });

  it('refuses at start a state-changing form route that is not a provider callback', () => {
    const misdeclared = { ...providerNotice([]), providerCallback: false };
    expect(() => registerRoutes([misdeclared], { bodyLimit: 64, session: (_ctx, next) => next() })).to.throw(/providerCallback/);
  });
});
