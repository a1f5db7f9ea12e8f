import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { pino } from 'pino';
import type { AppState } from '../../adapters/http/app-state.js';
import { errorMiddleware } from '../../adapters/http/error-middleware.js';
import { registerRoutes } from '../../adapters/http/register-routes.js';
import { defineRoute } from '../../adapters/http/route.js';

const FORM = {
  type: 'object',
  required: ['user_id'],
  additionalProperties: false,
  properties: { user_id: { type: 'string', pattern: '^[0-9]{1,20}$' }, app_id: { type: 'string', maxLength: 20 } },
} as const;

describe('HTTP routes declared with a form', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const echo = (method: 'GET' | 'POST') =>
      defineRoute({
        method,
        path: '/notice',
        operationId: `testNoticeBy${method}`,
        summary: 'echo',
        tag: 'test',
        form: FORM,
        providerCallback: true,
        responses: { 200: { description: 'echo' } },
        handler(ctx, { body }) {
          ctx.body = { ok: true, form: body };
        },
      });
    const app = new Koa<AppState>();
    app.use(errorMiddleware(pino({ level: 'silent' })));
    app.use(registerRoutes([echo('GET'), echo('POST')], { bodyLimit: 64, session: (_ctx, next) => next() }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((done) => server.close(done)));

  const post = (body: string, type = 'application/x-www-form-urlencoded', query = '') =>
    fetch(`${base}/notice${query}`, { method: 'POST', headers: { 'content-type': type }, body });

  it('reads a urlencoded POST body, and the query string of a GET, with the same schema', async () => {
    const posted = await post('user_id=123&app_id=9');
    expect(posted.status).to.equal(200);
    expect(await posted.json()).to.deep.equal({ ok: true, form: { user_id: '123', app_id: '9' } });
    const got = await fetch(`${base}/notice?user_id=77`);
    expect(await got.json()).to.deep.equal({ ok: true, form: { user_id: '77' } });
  });

  it('merges the query string into a POST form, the body winning', async () => {
    const posted = await post('user_id=5', undefined, '?user_id=6&app_id=1');
    expect(await posted.json()).to.deep.equal({ ok: true, form: { user_id: '5', app_id: '1' } });
  });

  it('answers 400 invalid_request for a form the schema refuses, 415 for JSON and 413 past the body limit', async () => {
    const wrong = await post('user_id=abc');
    expect(wrong.status).to.equal(400);
    expect(await wrong.json()).to.include({ ok: false, error: 'invalid_request' });
    const extra = await post('user_id=1&evil=1');
    expect(extra.status).to.equal(400);
    const json = await post('{"user_id":"1"}', 'application/json');
    expect(json.status).to.equal(415);
    expect(await json.json()).to.include({ error: 'unsupported_media_type' });
    const big = await post(`user_id=1&app_id=${'9'.repeat(100)}`);
    expect(big.status).to.equal(413);
  });

  it('refuses control characters in a form field with 422, as for JSON', async () => {
    const answer = await post('user_id=1&app_id=a%00b');
    expect(answer.status).to.equal(422);
    expect(await answer.json()).to.include({ error: 'validation_failed' });
  });

  it('answers a form or query string that is not UTF-8 with 400 invalid_request, never decoding it to U+FFFD', async () => {
    const rawByte = Buffer.concat([Buffer.from('user_id=1&app_id=a'), Buffer.from([0xff])]);
    const answers = [
      await post(rawByte as unknown as string),
      await post('user_id=1&app_id=%FF'),
      await post('user_id=1&app_id=%C0%AF'),
      await fetch(`${base}/notice?user_id=1&app_id=%ED%A0%80`),
      await fetch(`${base}/notice?user_id=1&app_id=a%00b`),
    ];
    for (const answer of answers) {
      expect(answer.status).to.equal(400);
      expect(await answer.json()).to.include({ ok: false, error: 'invalid_request' });
    }
    const korean = await post('user_id=1&app_id=%ED%95%9C%EA%B8%80+%EF%BF%BD');
    expect(await korean.json()).to.deep.equal({ ok: true, form: { user_id: '1', app_id: '한글 \uFFFD' } });
  });
});
