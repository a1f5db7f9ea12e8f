import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { pino } from 'pino';
import type { AppState } from '../../adapters/http/app-state.js';
import { errorMiddleware } from '../../adapters/http/error-middleware.js';
import { registerRoutes } from '../../adapters/http/register-routes.js';
import { defineRoute, type Route } from '../../adapters/http/route.js';

const ID_PARAM = { type: 'object', properties: { id: { type: 'string' } } } as const;

/** A route that answers which declaration served it, and what the router would have told the metrics. */
function named(name: string, method: 'GET' | 'POST', path: string): Route {
  return defineRoute({
    method,
    path,
    operationId: `test${name}`,
    summary: name,
    tag: 'test',
    responses: { 200: { description: name } },
    params: path.includes(':id') ? ID_PARAM : undefined,
    handler(ctx) {
      const { params, _matchedRoute } = ctx as unknown as { params: unknown; _matchedRoute: unknown };
      ctx.body = { served_by: name, params, matched: _matchedRoute };
    },
  });
}

describe('HTTP routing: the exact-path shortcut answers as the router would', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const app = new Koa<AppState>();
    app.use(errorMiddleware(pino({ level: 'silent' })));
    const routes = [
      named('Health', 'GET', '/health'),
      named('ThingById', 'GET', '/things/:id'),
      named('NewThing', 'GET', '/things/new'), // declared after the pattern that also matches it: the pattern wins
      named('Other', 'GET', '/other'),
      named('PostOther', 'POST', '/other'),
    ];
    app.use(registerRoutes(routes, { bodyLimit: 64, session: (_ctx, next) => next() }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((done) => server.close(done)));

  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`${base}${path}`, { method });
    return { status: res.status, body: method === 'HEAD' ? null : await res.json() };
  };

  it('serves a path without parameters, with the params and matched route the router sets', async () => {
    expect(await get('/health')).to.deep.equal({ status: 200, body: { served_by: 'Health', params: {}, matched: '/health' } });
    expect((await get('/other', 'POST')).body.served_by).to.equal('PostOther');
    expect((await get('/health', 'HEAD')).status).to.equal(200);
  });

  it('keeps declaration order where a pattern also matches the path', async () => {
    expect((await get('/things/new')).body).to.deep.equal({ served_by: 'ThingById', params: { id: 'new' }, matched: '/things/:id' });
  });

  it('leaves other spellings of a path to the router: a trailing slash, another case', async () => {
    expect((await get('/health/')).body.served_by).to.equal('Health');
    expect((await get('/HEALTH')).body.served_by).to.equal('Health');
    expect((await get('/other', 'PUT')).status).to.equal(404);
  });

  it('refuses to mount a route whose path names a parameter its params do not declare', () => {
    const session = (_ctx: unknown, next: () => Promise<void>) => next();
    expect(() => registerRoutes([named('BySlug', 'GET', '/things/:slug')], { bodyLimit: 64, session })).to.throw(
      'GET /things/:slug: declare slug in params',
    );
  });
});
