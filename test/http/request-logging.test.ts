import { expect } from 'chai';
import { defineRoute } from '../../adapters/http/route.js';
import { Browser } from '../support/browser.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startFakeKakao } from '../support/fake-kakao-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';

describe('HTTP: every log line written during a request carries its request id', () => {
  let kakao: Awaited<ReturnType<typeof startFakeKakao>>;
  let app: TestApp;
  let logs: CapturedLogs;

  beforeEach(async () => {
    kakao = await startFakeKakao({ clientId: 'kakao-client', clientSecret: 'kakao-secret', adminKey: 'kakao-admin' });
    logs = captureLogs();
    const slowLog = defineRoute({
      method: 'GET',
      path: '/test/slow-log',
      operationId: 'testSlowLog',
      tag: 'test',
      summary: 'logs across awaits',
      responses: {},
      async handler(ctx) {
        await new Promise((done) => setTimeout(done, Number(ctx.query.wait)));
        logs.logger.warn({ step: 'after the wait' }, 'slow route');
        ctx.body = { ok: true };
      },
    });
    app = await startTestApp({
      logger: logs.logger,
      extraRoutes: [slowLog],
      env: {
        KAKAO_CLIENT_ID: 'kakao-client',
        KAKAO_CLIENT_SECRET: 'kakao-secret',
        KAKAO_AUTH_BASE_URL: kakao.url,
        KAKAO_API_BASE_URL: kakao.url,
      },
    });
  });
  afterEach(async () => {
    await app.close();
    await kakao.close();
  });

  it("puts it on an adapter's warning: Kakao's KOE code on a refused sign-in", async () => {
    kakao.failToken = {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authorization code not found', error_code: 'KOE320' },
    };
    const hops = await new Browser().follow(`${app.url}/auth/kakao/login`, FRONTEND);
    const callback = hops.find((hop) => hop.url.startsWith(`${app.url}/auth/kakao/callback`))!;
    const warning = logs.entries().find((entry) => entry.msg === 'Kakao sign-in failed');
    expect(warning).to.include({ providerErrorCode: 'KOE320', requestId: callback.res.headers.get('x-request-id') });
  });

  it('keeps concurrent requests apart, across awaits, and the request line too', async () => {
    const answers = await Promise.all([30, 5, 20, 1, 10].map((wait) => app.fetch(`/test/slow-log?wait=${wait}`)));
    const ids = answers.map((res) => res.headers.get('x-request-id'));
    const logged = (msg: string) =>
      logs
        .entries()
        .filter((entry) => entry.msg === msg)
        .map((entry) => entry.requestId);
    expect(new Set(ids).size).to.equal(5);
    expect(logged('slow route').sort()).to.deep.equal([...ids].sort());
    expect(logged('request').sort()).to.deep.equal([...ids].sort());
  });

  it('writes no request id on lines logged outside a request', () => {
    logs.logger.info('between requests');
    expect(logs.entries().at(-1)).to.not.have.property('requestId');
  });
});
