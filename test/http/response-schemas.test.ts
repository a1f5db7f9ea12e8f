import { expect } from 'chai';
import { defineRoute } from '../../adapters/http/route.js';
import { ok } from '../../adapters/http/schemas.js';
import { Browser } from '../support/browser.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A route that answers `body` with 200, declaring `{ ok: true, count: integer }`. */
const answering = (path: string, body: unknown, status = 200) =>
  defineRoute({
    method: 'GET',
    path,
    operationId: `test${path.replace(/\W/g, '')}`,
    tag: 'test',
    summary: 'test',
    responses: { 200: { description: 'A count', schema: ok('count', { type: 'integer' }) } },
    handler(ctx) {
      ctx.status = status;
      ctx.body = body;
    },
  });

describe('Test apps check every success body against the schema its route declares', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      extraRoutes: [
        answering('/test/true', { ok: true, count: 3 }),
        answering('/test/false', { ok: true, count: 'three' }),
        answering('/test/created', { ok: true, count: 3 }, 201),
      ],
    });
  });
  after(() => app.close());

  it('lets a matching body through, and fails the request whose body does not match', async () => {
    expect((await app.fetch('/test/true')).status).to.equal(200);
    const failure = await app.fetch('/test/false').then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/GET \/test\/false 200: the body does not match its declared schema/);
  });

  it('fails a success status the route does not declare', async () => {
    const failure = await app.fetch('/test/created').then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/GET \/test\/created answered 201, which its route does not declare/);
  });

  it('checks what a Browser fetches from the app too', async () => {
    const failure = await new Browser().fetch(`${app.url}/test/false`).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/does not match/);
  });
});
