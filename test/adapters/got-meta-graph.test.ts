import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { GotMetaGraph, type MetaGraphConfig } from '../../adapters/meta/got-meta-graph.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startFakeMeta, type FakeMeta, type FakeMetaPage } from '../support/fake-meta-server.js';
import { rejection } from '../support/rejection.js';

const REDIRECT_URI = 'http://127.0.0.1:9/oauth/instagram/callback';
const APP_SECRET = 'meta-secret-never-logged';
/** What Meta expects beside a token: hex HMAC-SHA256 of it, keyed with the app secret. */
const proofOf = (token: string) => createHmac('sha256', APP_SECRET).update(token).digest('hex');

describe('GotMetaGraph (against a fake Meta on 127.0.0.1)', () => {
  let meta: FakeMeta;
  let logs: CapturedLogs;

  const config = (extra: Partial<MetaGraphConfig> = {}): MetaGraphConfig => ({
    appId: 'meta-app',
    appSecret: APP_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: 'pages_show_list,instagram_basic',
    dialogUrl: `${meta.url}/dialog/oauth`,
    graphBaseUrl: `${meta.url}/v25.0`,
    ...extra,
  });
  const graph = (extra: Partial<MetaGraphConfig> = {}, timeoutMs?: number) => new GotMetaGraph(config(extra), logs.logger, timeoutMs);

  /** The browser's trip through the (already consented) dialog: the code Meta sends back to our callback. */
  async function consent(oauth: GotMetaGraph, state = 'signed-state'): Promise<string> {
    const res = await fetch(oauth.dialogUrl(state), { redirect: 'manual' });
    expect(res.status, await res.clone().text()).to.equal(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).to.equal(REDIRECT_URI);
    expect(back.searchParams.get('state')).to.equal(state);
    return back.searchParams.get('code')!;
  }

  /** A long-lived token the fake knows, obtained the real way. */
  async function longToken(oauth = graph()): Promise<string> {
    const short = await oauth.exchangeCode(await consent(oauth));
    return (await oauth.exchangeForLongLived(short.accessToken)).accessToken;
  }

  const exchanges = () => meta.requests.filter((r) => r.path === '/v25.0/oauth/access_token');
  const accountRequests = () => meta.requests.filter((r) => r.path === '/v25.0/me/accounts');
  const pages = (count: number): FakeMetaPage[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `2000000000000${i}`,
      name: `페이지 ${i}`,
      ...(i % 3 === 2 ? {} : { ig: { id: `178414000000${i}`, username: `user_${i}` } }),
    }));

  beforeEach(async () => {
    meta = await startFakeMeta({ appId: 'meta-app', appSecret: APP_SECRET });
    logs = captureLogs();
  });
  afterEach(() => meta.close());

  describe('configured and dialogUrl', () => {
    it('is configured with app id, app secret and redirect URI only', () => {
      expect(graph().configured).to.equal(true);
      expect(graph({ appId: null }).configured).to.equal(false);
      expect(graph({ appSecret: null }).configured).to.equal(false);
      expect(graph({ redirectUri: null }).configured).to.equal(false);
    });

    it('sends client_id, redirect_uri, scope, response_type=code and the state', () => {
      const url = new URL(graph().dialogUrl('a.b+c/d=='));
      expect(url.origin + url.pathname).to.equal(`${meta.url}/dialog/oauth`);
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        client_id: 'meta-app',
        redirect_uri: REDIRECT_URI,
        scope: 'pages_show_list,instagram_basic',
        response_type: 'code',
        state: 'a.b+c/d==',
      });
    });

    it('the fake dialog sends the user back with error=access_denied when they cancel', async () => {
      meta.cancelNext = true;
      const res = await fetch(graph().dialogUrl('s1'), { redirect: 'manual' });
      const back = new URL(res.headers.get('location')!);
      expect(Object.fromEntries(back.searchParams)).to.deep.equal({
        error: 'access_denied',
        error_code: '200',
        error_description: 'Permissions error',
        error_reason: 'user_denied',
        state: 's1',
      });
    });
  });

  describe('exchangeCode and exchangeForLongLived', () => {
    it('exchanges code → short-lived → long-lived with the documented GET query parameters', async () => {
      const oauth = graph();
      const code = await consent(oauth);
      const short = await oauth.exchangeCode(code);
      expect(short.accessToken).to.match(/^EAAG.{40,}$/);
      expect(short.expiresInSeconds).to.equal(5183944);
      const long = await oauth.exchangeForLongLived(short.accessToken);
      expect(long).to.deep.equal({ accessToken: meta.issuedLongTokens[0], expiresInSeconds: 5183944 });

      const [byCode, byToken] = exchanges();
      expect(byCode.method).to.equal('GET');
      expect(byCode.query).to.deep.equal({ client_id: 'meta-app', redirect_uri: REDIRECT_URI, client_secret: APP_SECRET, code });
      expect(byToken.method).to.equal('GET');
      expect(byToken.query).to.deep.equal({
        grant_type: 'fb_exchange_token',
        client_id: 'meta-app',
        client_secret: APP_SECRET,
        fb_exchange_token: short.accessToken,
      });
      expect(logs.entries()).to.have.length(0);
    });

    it('a used code is upstream_unavailable after exactly one request, logged with Graph code 100/36009 but not the code', async () => {
      const oauth = graph();
      const code = await consent(oauth);
      await oauth.exchangeCode(code);
      const error = await rejection(oauth.exchangeCode(code));
      expect(error).to.include({ kind: 'upstream', code: 'upstream_unavailable' });
      expect(exchanges()).to.have.length(2);
      expect(logs.entries()).to.have.length(1);
      expect(logs.entries()[0]).to.include({ level: 40, provider: 'meta', step: 'code', status: 400, graphCode: 100, graphSubcode: 36009 });
      expect(logs.entries()[0].fbtraceId).to.be.a('string');
      expect(logs.text()).to.not.include(code);
    });

    it('a wrong app secret or a redirect URI other than the dialog one is upstream_unavailable', async () => {
      const error = await rejection(graph({ appSecret: 'wrong' }).exchangeCode(await consent(graph())));
      expect(error.code).to.equal('upstream_unavailable');
      const other = await rejection(graph({ redirectUri: 'http://127.0.0.1:9/other' }).exchangeCode(await consent(graph())));
      expect(other.code).to.equal('upstream_unavailable');
      expect(logs.entries().map((e) => [e.graphCode, e.graphSubcode])).to.deep.equal([
        [1, undefined],
        [100, 36008],
      ]);
      expect(logs.text()).to.not.include('wrong');
    });

    it('an expired short-lived token is persona_oauth_expired (code 190)', async () => {
      const oauth = graph();
      const short = await oauth.exchangeCode(await consent(oauth));
      meta.expireTokens();
      const error = await rejection(oauth.exchangeForLongLived(short.accessToken));
      expect(error).to.include({ kind: 'unauthenticated', code: 'persona_oauth_expired' });
      expect(logs.entries()[0]).to.include({ step: 'long_lived', status: 400, graphCode: 190, graphSubcode: 463 });
    });

    it('a 2xx without an access token, or not JSON, is upstream_unavailable; expires_in may be absent', async () => {
      for (const body of [{ token_type: 'bearer' }, '{"access_token": "abc', { access_token: 42 }]) {
        meta.failNext = { status: 200, body };
        expect((await rejection(graph().exchangeCode('c'))).code, JSON.stringify(body)).to.equal('upstream_unavailable');
      }
      meta.failNext = { status: 200, body: { access_token: 'never-expiring', token_type: 'bearer' } };
      expect(await graph().exchangeForLongLived('t')).to.deep.equal({ accessToken: 'never-expiring', expiresInSeconds: null });
      expect(logs.text()).to.not.include('abc').and.not.include('never-expiring');
    });

    it('does not follow a redirect from the token endpoint', async () => {
      meta.failNext = { status: 302, headers: { location: `${meta.url}/v25.0/elsewhere` } };
      const error = await rejection(graph().exchangeCode('c'));
      expect(error.code).to.equal('upstream_unavailable');
      expect(meta.requests.map((r) => r.path)).to.deep.equal(['/v25.0/oauth/access_token']);
      expect(logs.entries()[0]).to.include({ step: 'code', status: 302 });
    });

    it('a 500 is upstream_unavailable', async () => {
      meta.failNext = { status: 500, body: 'Internal Server Error' };
      expect((await rejection(graph().exchangeCode('c'))).code).to.equal('upstream_unavailable');
      expect(logs.entries()[0]).to.include({ step: 'code', status: 500 });
    });

    it('times out the code exchange and never retries it', async () => {
      meta.delayMs = 1000;
      const started = Date.now();
      const error = await rejection(graph({}, 150).exchangeCode('c'));
      expect(Date.now() - started).to.be.lessThan(900);
      expect(error).to.include({ kind: 'upstream', code: 'upstream_unavailable' });
      expect(exchanges()).to.have.length(1);
      expect(logs.entries()[0]).to.include({ provider: 'meta', step: 'code', failure: 'TimeoutError ETIMEDOUT' });
    });

    it('a refused connection is upstream_unavailable, logged by its code only', async () => {
      const url = meta.url;
      await meta.close();
      const error = await rejection(new GotMetaGraph({ ...config(), graphBaseUrl: `${url}/v25.0` }, logs.logger).exchangeCode('c'));
      expect(error.code).to.equal('upstream_unavailable');
      expect(logs.entries()[0]).to.include({ step: 'code', failure: 'RequestError ECONNREFUSED' });
      expect(logs.text()).to.not.include('127.0.0.1');
      meta = await startFakeMeta({ appId: 'meta-app', appSecret: APP_SECRET });
    });
  });

  describe('listAccounts', () => {
    it('lists the pages with an IG business account (the others left out), token as the access_token parameter', async () => {
      const token = await longToken();
      expect(await graph().listAccounts(token)).to.deep.equal([
        {
          pageId: '104000000000001',
          pageName: 'SelfStar Studio',
          igUserId: '17841400000000101',
          igUsername: 'selfstar.studio',
          pageAccessToken: meta.pageTokenOf('104000000000001'),
        },
        {
          pageId: '104000000000003',
          pageName: '셀프스타 한국',
          igUserId: '17841400000000102',
          igUsername: '셀프스타_공식',
          pageAccessToken: meta.pageTokenOf('104000000000003'),
        },
      ]);
      expect(meta.pageTokenOf('104000000000001')).to.match(/^EAAG/);
      const [first, second] = accountRequests();
      expect(first.method).to.equal('GET');
      expect(first.query).to.deep.equal({
        fields: 'id,name,access_token,instagram_business_account{id,username}',
        access_token: token,
        appsecret_proof: proofOf(token),
      });
      expect(first.headers).to.not.have.property('authorization');
      expect(second.query).to.include({
        access_token: token,
        appsecret_proof: proofOf(token),
        fields: 'id,name,access_token,instagram_business_account{id,username}',
      });
      expect(second.query.after).to.be.a('string');
      expect(accountRequests()).to.have.length(2);
    });

    it('follows paging.next across every page', async () => {
      meta.pages = pages(7);
      meta.pageSize = 2;
      const accounts = await graph().listAccounts(await longToken());
      expect(accountRequests()).to.have.length(4);
      expect(accounts.map((a) => a.pageId)).to.deep.equal([
        '20000000000000',
        '20000000000001',
        '20000000000003',
        '20000000000004',
        '20000000000006',
      ]);
      expect(accounts[1]).to.deep.equal({
        pageId: '20000000000001',
        pageName: '페이지 1',
        igUserId: '1784140000001',
        igUsername: 'user_1',
        pageAccessToken: meta.pageTokenOf('20000000000001'),
      });
    });

    it('stops after 25 pages', async () => {
      meta.pages = pages(40);
      meta.pageSize = 1;
      const accounts = await graph().listAccounts(await longToken());
      expect(accountRequests()).to.have.length(25);
      expect(accounts.at(-1)!.pageId).to.equal('200000000000024');
      expect(logs.entries().at(-1)).to.include({ level: 40, step: 'accounts', pages: 25 });
    });

    it('does not follow a paging.next on another origin (SSRF), nor one that is not a URL', async () => {
      const elsewhere = await startFakeMeta();
      try {
        const token = await longToken();
        const page = { id: '1', name: 'p', instagram_business_account: { id: '9', username: 'u' } };
        for (const next of [
          `${elsewhere.url}/v25.0/me/accounts?access_token=${token}&after=x`,
          'not a url',
          '/v25.0/me/accounts?after=x',
        ]) {
          meta.failNext = { status: 200, body: { data: [page], paging: { cursors: { before: 'a', after: 'b' }, next } } };
          expect(await graph().listAccounts(token)).to.deep.equal([
            { pageId: '1', pageName: 'p', igUserId: '9', igUsername: 'u', pageAccessToken: null },
          ]);
        }
        expect(elsewhere.requests).to.have.length(0);
        expect(accountRequests()).to.have.length(3);
        expect(logs.entries().map((e) => e.reason)).to.deep.equal(Array(3).fill('paging.next off origin'));
        expect(logs.text()).to.not.include(token).and.not.include(elsewhere.url);
      } finally {
        await elsewhere.close();
      }
    });

    it('sends our own token on a followed paging.next, whatever the link carries', async () => {
      const token = await longToken();
      const page = { id: '1', name: 'p', instagram_business_account: { id: '9' } };
      meta.failNext = {
        status: 200,
        body: { data: [page], paging: { next: `${meta.url}/v25.0/me/accounts?access_token=someone-else&fields=id,name` } },
      };
      meta.pages = [];
      expect(await graph().listAccounts(token)).to.deep.equal([
        { pageId: '1', pageName: 'p', igUserId: '9', igUsername: null, pageAccessToken: null },
      ]);
      expect(accountRequests()[1].query).to.include({ access_token: token, appsecret_proof: proofOf(token) });
    });

    it('an expired or unknown token is persona_oauth_expired (code 190), logged without the token', async () => {
      const token = await longToken();
      meta.expireTokens();
      const error = await rejection(graph().listAccounts(token));
      expect(error).to.include({
        kind: 'unauthenticated',
        code: 'persona_oauth_expired',
      });
      expect(error.said).to.deep.equal({ key: 'persona_oauth_expired' });
      expect((await rejection(graph().listAccounts('EAAGunknown'))).code).to.equal('persona_oauth_expired');
      expect(logs.entries()[0]).to.include({ level: 40, step: 'accounts', status: 400, graphCode: 190, graphSubcode: 463 });
      expect(logs.text()).to.not.include(token).and.not.include('EAAGunknown');
    });

    it('a Graph error other than 190, a 500, or an answer without data is upstream_unavailable', async () => {
      const token = await longToken();
      const answers = [
        {
          status: 400,
          body: { error: { message: 'Application request limit reached', type: 'OAuthException', code: 4, fbtrace_id: 'T1' } },
        },
        { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'T2' } } },
        { status: 503, body: '<html>down</html>' },
        { status: 200, body: { paging: {} } },
      ];
      for (const answer of answers) {
        meta.failNext = answer;
        expect((await rejection(graph().listAccounts(token))).code).to.equal('upstream_unavailable');
      }
      expect(logs.entries().map((e) => [e.status, e.graphCode, e.fbtraceId])).to.deep.equal([
        [400, 4, 'T1'],
        [500, 1, 'T2'],
        [503, undefined, undefined],
        [undefined, undefined, undefined],
      ]);
    });

    it('times out a page read and does not retry it', async () => {
      const token = await longToken();
      meta.delayMs = 1000;
      meta.delayPaths = ['/v25.0/me/accounts'];
      const error = await rejection(graph({}, 150).listAccounts(token));
      expect(error.code).to.equal('upstream_unavailable');
      expect(accountRequests()).to.have.length(1);
      expect(logs.entries()[0]).to.include({ step: 'accounts', failure: 'TimeoutError ETIMEDOUT' });
    });
  });

  describe('userId and permissions', () => {
    it('reads the app-scoped user id (GET /me?fields=id) and every permission with its status (GET /me/permissions)', async () => {
      meta.userId = '10157123456789012';
      meta.declined = ['instagram_basic'];
      const token = await longToken();
      expect(await graph().userId(token)).to.equal('10157123456789012');
      expect(await graph().permissions(token)).to.deep.equal([
        { name: 'public_profile', status: 'granted' },
        { name: 'pages_show_list', status: 'granted' },
        { name: 'instagram_basic', status: 'declined' },
      ]);
      const [me, permissions] = meta.requests.filter((r) => r.path === '/v25.0/me' || r.path === '/v25.0/me/permissions');
      expect(me.query).to.deep.equal({ fields: 'id', access_token: token, appsecret_proof: proofOf(token) });
      expect(permissions.query).to.deep.equal({ access_token: token, appsecret_proof: proofOf(token) });
    });

    it('skips permission entries that are not strings, and refuses an answer without data or without an id', async () => {
      const token = await longToken();
      meta.failNext = { status: 200, body: { data: [{ permission: 'a', status: 'granted' }, { permission: 7 }, 'x', null] } };
      expect(await graph().permissions(token)).to.deep.equal([{ name: 'a', status: 'granted' }]);
      meta.failNext = { status: 200, body: {} };
      expect((await rejection(graph().permissions(token))).code).to.equal('upstream_unavailable');
      for (const body of [{}, { id: 12 }, { id: '../x' }]) {
        meta.failNext = { status: 200, body };
        expect((await rejection(graph().userId(token))).code, JSON.stringify(body)).to.equal('upstream_unavailable');
      }
    });

    it('an expired token is persona_oauth_expired (code 190)', async () => {
      const token = await longToken();
      meta.expireTokens();
      expect((await rejection(graph().userId(token))).code).to.equal('persona_oauth_expired');
      expect((await rejection(graph().permissions(token))).code).to.equal('persona_oauth_expired');
    });
  });

  it('every call made with a token carries its appsecret_proof; a proof made with another secret is refused by Meta', async () => {
    const token = await longToken();
    await graph().userId(token);
    await graph().permissions(token);
    await graph().listAccounts(token);
    const withToken = meta.requests.filter((r) => r.query.access_token);
    expect(withToken.length).to.be.at.least(4);
    for (const request of withToken) expect(request.query.appsecret_proof, request.path).to.equal(proofOf(request.query.access_token));
    const wrong = await rejection(graph({ appSecret: 'another-apps-secret' }).listAccounts(token));
    expect(wrong.code).to.equal('upstream_unavailable');
    expect(logs.entries().at(-1)).to.include({ step: 'accounts', status: 400, graphCode: 100 });
    expect(logs.text()).to.not.include(proofOf(token));
  });

  it('logs no token, code, secret or URL across a flow with failures', async () => {
    const oauth = graph();
    const code = await consent(oauth);
    const short = await oauth.exchangeCode(code);
    await rejection(oauth.exchangeCode(code));
    const long = await oauth.exchangeForLongLived(short.accessToken);
    meta.failNext = { status: 500, body: { error: { message: `bad token ${long.accessToken}`, code: 2 } } };
    await rejection(oauth.listAccounts(long.accessToken));
    meta.expireTokens();
    await rejection(oauth.listAccounts(long.accessToken));
    meta.delayMs = 500;
    await rejection(graph({}, 100).listAccounts(long.accessToken));

    const out = logs.text();
    expect(logs.entries()).to.have.length(4);
    for (const secret of [APP_SECRET, code, short.accessToken, long.accessToken, 'access_token', meta.url, '127.0.0.1']) {
      expect(out, secret).to.not.include(secret);
    }
  });
});
