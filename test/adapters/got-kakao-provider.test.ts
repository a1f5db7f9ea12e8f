import { expect } from 'chai';
import { GotKakaoProvider, quoteIntegerIds, type KakaoLoginConfig } from '../../adapters/kakao/got-kakao-provider.js';
import { randomToken } from '../../core/identity/index.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { startFakeKakao, type FakeKakao } from '../support/fake-kakao-server.js';
import { consentCode } from '../support/outbound.js';
import { rejection } from '../support/rejection.js';

const REDIRECT_URI = 'http://127.0.0.1:9/auth/kakao/callback';

describe('GotKakaoProvider (against a fake Kakao on 127.0.0.1)', () => {
  let kakao: FakeKakao;
  let logs: CapturedLogs;

  const config = (extra: Partial<KakaoLoginConfig> = {}): KakaoLoginConfig => ({
    clientId: 'kakao-client',
    clientSecret: null,
    redirectUri: REDIRECT_URI,
    scope: 'profile_nickname,profile_image',
    authBaseUrl: kakao.url,
    apiBaseUrl: kakao.url,
    ...extra,
  });
  const provider = (extra: Partial<KakaoLoginConfig> = {}, timeoutMs?: number) =>
    new GotKakaoProvider(config(extra), logs.logger, timeoutMs);

  /** The browser's trip through the consent page: the code Kakao sends back to our callback. */
  const authorize = (oauth: GotKakaoProvider, verifier: string) => consentCode(oauth, verifier, REDIRECT_URI);

  beforeEach(async () => {
    kakao = await startFakeKakao({ clientId: 'kakao-client' });
    logs = captureLogs();
  });
  afterEach(() => kakao.close());

  describe('configured and authorizationUrl', () => {
    it('is configured with a client id and a redirect URI only', () => {
      expect(provider().configured).to.equal(true);
      expect(provider({ clientId: null }).configured).to.equal(false);
      expect(provider({ redirectUri: null }).configured).to.equal(false);
    });

    it('sends client id, redirect URI, response_type=code, the scope, the state and an S256 challenge', () => {
      const url = new URL(provider().authorizationUrl({ state: 'the-state', codeChallenge: 'the-challenge' }));
      expect(url.origin + url.pathname).to.equal(`${kakao.url}/oauth/authorize`);
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        client_id: 'kakao-client',
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        state: 'the-state',
        code_challenge: 'the-challenge',
        code_challenge_method: 'S256',
        scope: 'profile_nickname,profile_image',
      });
    });

    it('leaves scope out when none is configured', () => {
      const url = new URL(provider({ scope: '' }).authorizationUrl({ state: 's', codeChallenge: 'c' }));
      expect(url.pathname).to.equal('/oauth/authorize');
      expect(url.searchParams.has('scope')).to.equal(false);
    });
  });

  describe('identify', () => {
    it('exchanges the code with PKCE and reads the 19-digit id exactly, as a string', async () => {
      const oauth = provider();
      const verifier = randomToken();
      const code = await authorize(oauth, verifier);
      const identity = await oauth.identify(code, verifier);
      expect(identity).to.deep.equal({
        provider: 'kakao',
        providerUserId: '1234567890123456789',
        nickname: '카카오유저',
        profileImage: null,
      });

      const token = kakao.requests.find((r) => r.path === '/oauth/token')!;
      expect(token.method).to.equal('POST');
      expect(token.headers['content-type']).to.match(/^application\/x-www-form-urlencoded/);
      expect(token.form).to.deep.equal({
        grant_type: 'authorization_code',
        client_id: 'kakao-client',
        redirect_uri: REDIRECT_URI,
        code,
        code_verifier: verifier,
      });
      const me = kakao.requests.find((r) => r.path === '/v2/user/me')!;
      expect(me.method).to.equal('GET');
      expect(me.headers.authorization).to.match(/^Bearer .{20,}$/);
    });

    it('keeps ids past Number.MAX_SAFE_INTEGER digit for digit', async () => {
      kakao.nextUser = { id: '9223372036854775807', nickname: 'n', image: null };
      const oauth = provider();
      const verifier = randomToken();
      const identity = await oauth.identify(await authorize(oauth, verifier), verifier);
      expect(identity.providerUserId).to.equal('9223372036854775807');
      expect(String(Number('9223372036854775807'))).to.not.equal('9223372036854775807');
    });

    it('takes nickname and image from kakao_account.profile', async () => {
      kakao.nextUser = { id: '42', nickname: '프로필 이름', image: 'https://k.kakaocdn.net/img_640x640.jpg' };
      const oauth = provider();
      const verifier = randomToken();
      const identity = await oauth.identify(await authorize(oauth, verifier), verifier);
      expect(identity).to.deep.equal({
        provider: 'kakao',
        providerUserId: '42',
        nickname: '프로필 이름',
        profileImage: 'https://k.kakaocdn.net/img_640x640.jpg',
      });
    });

    it('falls back to properties when kakao_account has no profile', async () => {
      kakao.nextUser = { id: '1234567890123456789', nickname: '옛날식', image: 'https://k.kakaocdn.net/old.jpg', style: 'properties' };
      const oauth = provider();
      const verifier = randomToken();
      const identity = await oauth.identify(await authorize(oauth, verifier), verifier);
      expect(identity).to.deep.equal({
        provider: 'kakao',
        providerUserId: '1234567890123456789',
        nickname: '옛날식',
        profileImage: 'https://k.kakaocdn.net/old.jpg',
      });
    });

    it('sends client_secret only when one is configured', async () => {
      await kakao.close();
      kakao = await startFakeKakao({ clientId: 'kakao-client', clientSecret: 'kakao-secret' });
      const withSecret = provider({ clientSecret: 'kakao-secret' });
      const verifier = randomToken();
      await withSecret.identify(await authorize(withSecret, verifier), verifier);
      expect(kakao.requests.find((r) => r.path === '/oauth/token')!.form!.client_secret).to.equal('kakao-secret');

      const without = provider();
      const code = await authorize(without, verifier);
      const error = await rejection(without.identify(code, verifier));
      expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
      const tokens = kakao.requests.filter((r) => r.path === '/oauth/token');
      expect(tokens).to.have.length(2);
      expect(tokens[1].form).to.not.have.property('client_secret');
      expect(logs.entries().at(-1)).to.include({
        provider: 'kakao',
        status: 400,
        providerError: 'invalid_client',
        providerErrorCode: 'KOE010',
      });
    });

    it('a wrong PKCE verifier is a provider_error', async () => {
      const oauth = provider();
      const code = await authorize(oauth, randomToken());
      const error = await rejection(oauth.identify(code, randomToken()));
      expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
      expect(logs.entries()).to.have.length(1);
      expect(logs.entries()[0]).to.include({ level: 40, provider: 'kakao', step: 'token', status: 400, providerError: 'invalid_grant' });
      expect(kakao.requests.some((r) => r.path === '/v2/user/me')).to.equal(false);
    });

    it('a used code (KOE320) is a provider_error, logged with KOE320 but without the code or any token', async () => {
      const oauth = provider();
      const verifier = randomToken();
      const code = await authorize(oauth, verifier);
      await oauth.identify(code, verifier);
      const accessToken = kakao.requests.find((r) => r.path === '/v2/user/me')!.headers.authorization!.slice('Bearer '.length);

      const error = await rejection(oauth.identify(code, verifier));
      expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
      const out = logs.text();
      expect(out).to.include('KOE320').and.include('"level":40');
      expect(logs.entries()[0]).to.include({ providerError: 'invalid_grant', providerErrorCode: 'KOE320', status: 400 });
      // Kakao's error_description repeats the code ("authorization code not found for code=…"): it is not logged.
      expect(out).to.not.include(code);
      expect(out).to.not.include(accessToken);
      expect(out).to.not.include(verifier);
    });

    it('a redirect URI other than the authorize one is refused (KOE006)', async () => {
      const verifier = randomToken();
      const code = await authorize(provider(), verifier);
      const error = await rejection(provider({ redirectUri: 'http://127.0.0.1:9/other/callback' }).identify(code, verifier));
      expect(error.code).to.equal('provider_error');
      expect(logs.entries()[0]).to.include({ status: 400, providerErrorCode: 'KOE006' });
    });

    it('a canned KOE320 answer is a provider_error too, with one token request', async () => {
      kakao.failToken = {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'authorization code not found for code=xyz', error_code: 'KOE320' },
      };
      const error = await rejection(provider().identify('xyz', randomToken()));
      expect(error.code).to.equal('provider_error');
      expect(kakao.requests.filter((r) => r.path === '/oauth/token')).to.have.length(1);
      expect(logs.text()).to.include('KOE320').and.not.include('xyz');
    });

    it('a 2xx token answer without an access token is a provider_error', async () => {
      kakao.failToken = { status: 200, body: 'not json at all' };
      const error = await rejection(provider().identify('code', randomToken()));
      expect(error.code).to.equal('provider_error');
      expect(logs.entries()[0]).to.include({ step: 'token', status: 200 });
    });

    it('does not follow a redirect from the token endpoint', async () => {
      kakao.failToken = { status: 302, headers: { location: `${kakao.url}/elsewhere` } };
      const error = await rejection(provider().identify('code', randomToken()));
      expect(error.code).to.equal('provider_error');
      expect(kakao.requests.map((r) => r.path)).to.deep.equal(['/oauth/token']);
      expect(logs.entries()[0]).to.include({ step: 'token', status: 302 });
    });

    it('times out the code exchange and never retries it', async () => {
      kakao.delayMs = 1000;
      const started = Date.now();
      const error = await rejection(provider({}, 150).identify('code', randomToken()));
      expect(Date.now() - started).to.be.lessThan(900);
      expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
      expect(kakao.requests.filter((r) => r.path === '/oauth/token')).to.have.length(1);
      expect(logs.entries()[0]).to.include({ provider: 'kakao', step: 'token', failure: 'TimeoutError ETIMEDOUT' });
    });

    it('times out reading the user and does not retry that GET either', async () => {
      const oauth = provider({}, 150);
      const verifier = randomToken();
      const code = await authorize(oauth, verifier);
      kakao.delayMs = 1000;
      kakao.delayPaths = ['/v2/user/me'];
      const error = await rejection(oauth.identify(code, verifier));
      expect(error.code).to.equal('provider_error');
      expect(kakao.requests.filter((r) => r.path === '/v2/user/me')).to.have.length(1);
      expect(logs.entries()[0]).to.include({ step: 'user', failure: 'TimeoutError ETIMEDOUT' });
    });

    it('a refused connection is a provider_error, logged by its code only', async () => {
      const url = kakao.url;
      await kakao.close();
      const oauth = new GotKakaoProvider({ ...config(), authBaseUrl: url, apiBaseUrl: url }, logs.logger);
      const error = await rejection(oauth.identify('code', randomToken()));
      expect(error.code).to.equal('provider_error');
      expect(logs.entries()[0]).to.include({ step: 'token', failure: 'RequestError ECONNREFUSED' });
      expect(logs.text()).to.not.include('127.0.0.1');
      kakao = await startFakeKakao();
    });

    it('a rejected access token at /v2/user/me is a provider_error, logged without the token', async () => {
      kakao.failUser = { status: 401, body: { msg: 'this access token does not exist', code: -401 } };
      const oauth = provider();
      const verifier = randomToken();
      const error = await rejection(oauth.identify(await authorize(oauth, verifier), verifier));
      expect(error.code).to.equal('provider_error');
      expect(logs.entries()[0]).to.include({
        step: 'user',
        status: 401,
        providerError: 'this access token does not exist',
        providerErrorCode: -401,
      });
      const accessToken = kakao.requests.find((r) => r.path === '/v2/user/me')!.headers.authorization!.slice('Bearer '.length);
      expect(logs.text()).to.not.include(accessToken);
    });

    it('an answer without an id, or not JSON, is a provider_error', async () => {
      for (const body of [{ properties: { nickname: '이름' } }, '{"id": 12', { id: 1.5 }]) {
        kakao.failUser = { status: 200, body };
        const oauth = provider();
        const verifier = randomToken();
        const error = await rejection(oauth.identify(await authorize(oauth, verifier), verifier));
        expect(error.code, JSON.stringify(body)).to.equal('provider_error');
      }
      expect(logs.entries()).to.have.length(3);
    });
  });

  describe('quoteIntegerIds', () => {
    it('quotes bare integer ids at any depth and leaves strings and other keys alone', () => {
      const raw = '{"id":1234567890123456789,"n":5,"a":{"id" : 7},"s":"\\"id\\":9","list":[{"id":8}]}';
      expect(JSON.parse(quoteIntegerIds(raw))).to.deep.equal({
        id: '1234567890123456789',
        n: 5,
        a: { id: '7' },
        s: '"id":9',
        list: [{ id: '8' }],
      });
    });
  });
});
