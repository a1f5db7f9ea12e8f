import { expect } from 'chai';
import { GotGoogleProvider, type GoogleLoginConfig } from '../../adapters/google/got-google-provider.js';
import { randomToken } from '../../core/identity/index.js';
import { captureLogs, type CapturedLogs } from '../support/capture-logs.js';
import { watchClientSockets } from '../support/client-sockets.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google-server.js';
import { consentCode } from '../support/outbound.js';
import { rejection } from '../support/rejection.js';

const REDIRECT_URI = 'http://127.0.0.1:9/auth/google/callback';

describe('GotGoogleProvider (against a fake Google on 127.0.0.1)', () => {
  let google: FakeGoogle;
  let logs: CapturedLogs;

  const config = (extra: Partial<GoogleLoginConfig> = {}): GoogleLoginConfig => ({
    clientId: 'google-client',
    clientSecret: 'google-secret',
    redirectUri: REDIRECT_URI,
    authorizeUrl: `${google.url}/authorize`,
    tokenUrl: `${google.url}/token`,
    userinfoUrl: `${google.url}/userinfo`,
    ...extra,
  });
  const provider = (extra: Partial<GoogleLoginConfig> = {}, timeoutMs?: number) =>
    new GotGoogleProvider(config(extra), logs.logger, timeoutMs);

  const authorize = (oauth: GotGoogleProvider, verifier: string) => consentCode(oauth, verifier, REDIRECT_URI);

  beforeEach(async () => {
    google = await startFakeGoogle({ clientId: 'google-client', clientSecret: 'google-secret' });
    logs = captureLogs();
  });
  afterEach(() => google.close());

  it('is configured with client id, client secret and redirect URI', () => {
    expect(provider().configured).to.equal(true);
    expect(provider({ clientId: null }).configured).to.equal(false);
    expect(provider({ clientSecret: null }).configured).to.equal(false);
    expect(provider({ redirectUri: null }).configured).to.equal(false);
  });

  it('asks for openid profile (no email) with the state and an S256 challenge', () => {
    const raw = provider().authorizationUrl({ state: 'the-state', codeChallenge: 'the-challenge' });
    expect(raw).to.include('scope=openid%20profile&');
    const url = new URL(raw);
    expect(url.origin + url.pathname).to.equal(`${google.url}/authorize`);
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      client_id: 'google-client',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile',
      state: 'the-state',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with PKCE and the client secret, then reads the user by sub', async () => {
    google.nextUser = { sub: '110248495921238986420', name: '구글 사용자', picture: 'https://lh3.googleusercontent.com/a/photo' };
    const oauth = provider();
    const verifier = randomToken();
    const code = await authorize(oauth, verifier);
    expect(await oauth.identify(code, verifier)).to.deep.equal({
      provider: 'google',
      providerUserId: '110248495921238986420',
      nickname: '구글 사용자',
      profileImage: 'https://lh3.googleusercontent.com/a/photo',
    });
    const token = google.requests.find((r) => r.path === '/token')!;
    expect(token.method).to.equal('POST');
    expect(token.form).to.deep.equal({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: 'google-client',
      client_secret: 'google-secret',
      redirect_uri: REDIRECT_URI,
    });
    const userinfo = google.requests.find((r) => r.path === '/userinfo')!;
    expect(userinfo.method).to.equal('GET');
    expect(userinfo.headers.authorization).to.match(/^Bearer ya29\./);
    expect(logs.text()).to.equal('');
  });

  it('a user without a picture has a null image', async () => {
    google.nextUser = { sub: 's-1', name: 'No Photo', picture: null };
    const oauth = provider();
    const verifier = randomToken();
    expect((await oauth.identify(await authorize(oauth, verifier), verifier)).profileImage).to.equal(null);
  });

  it("a wrong PKCE verifier is a provider_error, logged with Google's error word only", async () => {
    const oauth = provider();
    const code = await authorize(oauth, randomToken());
    const error = await rejection(oauth.identify(code, randomToken()));
    expect(error).to.include({ kind: 'upstream', code: 'provider_error' });
    expect(logs.entries()[0]).to.include({ level: 40, provider: 'google', step: 'token', status: 400, providerError: 'invalid_grant' });
    expect(logs.text()).to.not.include(code);
    expect(google.requests.some((r) => r.path === '/userinfo')).to.equal(false);
  });

  it('a used code is a provider_error, and the log holds neither code nor token', async () => {
    const oauth = provider();
    const verifier = randomToken();
    const code = await authorize(oauth, verifier);
    await oauth.identify(code, verifier);
    const accessToken = google.requests.find((r) => r.path === '/userinfo')!.headers.authorization!.slice('Bearer '.length);
    expect((await rejection(oauth.identify(code, verifier))).code).to.equal('provider_error');
    expect(logs.entries()[0]).to.include({ status: 400, providerError: 'invalid_grant' });
    expect(logs.text()).to.not.include(code).and.not.include(accessToken);
  });

  it('a wrong client secret is a provider_error (invalid_client)', async () => {
    const oauth = provider({ clientSecret: 'not-the-secret' });
    const verifier = randomToken();
    expect((await rejection(oauth.identify(await authorize(oauth, verifier), verifier))).code).to.equal('provider_error');
    expect(logs.entries()[0]).to.include({ status: 401, providerError: 'invalid_client' });
    expect(logs.text()).to.not.include('not-the-secret');
  });

  it('a canned invalid_grant answer is a provider_error with one token request', async () => {
    google.failToken = { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
    expect((await rejection(provider().identify('4/0code', randomToken()))).code).to.equal('provider_error');
    expect(google.requests.filter((r) => r.path === '/token')).to.have.length(1);
    expect(logs.entries()[0]).to.include({ providerError: 'invalid_grant' });
  });

  it('does not follow a redirect from the token endpoint', async () => {
    google.failToken = { status: 302, headers: { location: `${google.url}/elsewhere` } };
    expect((await rejection(provider().identify('4/0code', randomToken()))).code).to.equal('provider_error');
    expect(google.requests.map((r) => r.path)).to.deep.equal(['/token']);
    expect(logs.entries()[0]).to.include({ step: 'token', status: 302 });
  });

  it('times out the code exchange after one attempt', async () => {
    google.delayMs = 1000;
    const started = Date.now();
    expect((await rejection(provider({}, 150).identify('4/0code', randomToken()))).code).to.equal('provider_error');
    expect(Date.now() - started).to.be.lessThan(900);
    expect(google.requests).to.have.length(1);
    expect(logs.entries()[0]).to.include({ provider: 'google', step: 'token', failure: 'TimeoutError ETIMEDOUT' });
  });

  it('a refused connection is a provider_error after one attempt, logged by its code only', async () => {
    const url = google.url;
    await google.close();
    const sockets = watchClientSockets({ port: Number(new URL(url).port) });
    try {
      const oauth = new GotGoogleProvider(config({ tokenUrl: `${url}/token`, userinfoUrl: `${url}/userinfo` }), logs.logger);
      expect((await rejection(oauth.identify('4/0code', randomToken()))).code).to.equal('provider_error');
      expect(sockets.attempts).to.equal(1);
    } finally {
      sockets.stop();
    }
    expect(logs.entries()[0]).to.include({ provider: 'google', step: 'token', failure: 'RequestError ECONNREFUSED' });
    expect(logs.text()).to.not.include('127.0.0.1');
    google = await startFakeGoogle({ clientId: 'google-client', clientSecret: 'google-secret' });
  });

  it('times out reading the user and does not retry that GET', async () => {
    const oauth = provider({}, 150);
    const verifier = randomToken();
    const code = await authorize(oauth, verifier);
    google.delayMs = 1000;
    google.delayPaths = ['/userinfo'];
    expect((await rejection(oauth.identify(code, verifier))).code).to.equal('provider_error');
    expect(google.requests.filter((r) => r.path === '/userinfo')).to.have.length(1);
  });

  it('a rejected token at userinfo, an answer without sub, or broken JSON is a provider_error', async () => {
    const answers = [
      { status: 401, body: { error: 'invalid_request', error_description: 'Invalid Credentials' } },
      { status: 200, body: { name: 'No Sub' } },
      { status: 200, body: '{"sub": ' },
    ];
    for (const answer of answers) {
      google.failUser = answer;
      const oauth = provider();
      const verifier = randomToken();
      expect((await rejection(oauth.identify(await authorize(oauth, verifier), verifier))).code, JSON.stringify(answer)).to.equal(
        'provider_error',
      );
    }
    const entries = logs.entries();
    expect(entries.map((e) => e.status)).to.deep.equal([401, 200, 200]);
    expect(entries[0]).to.include({ step: 'user', providerError: 'invalid_request' });
  });
});
