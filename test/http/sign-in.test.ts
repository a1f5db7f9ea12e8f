import { expect } from 'chai';
import sinon from 'sinon';
import { FixedClock } from '../../adapters/in-memory/fixed-clock.js';
import { errors } from '../../core/shared/index.js';
import { Browser } from '../support/browser.js';
import { startFakeGoogle } from '../support/fake-google-server.js';
import { startFakeKakao } from '../support/fake-kakao-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';

describe('HTTP sign-in with Kakao and Google (fake providers on 127.0.0.1)', () => {
  let kakao: Awaited<ReturnType<typeof startFakeKakao>>;
  let google: Awaited<ReturnType<typeof startFakeGoogle>>;
  let app: TestApp;
  let browser: Browser;

  const env = (extra: Record<string, string> = {}) => ({
    KAKAO_CLIENT_ID: 'kakao-client',
    KAKAO_CLIENT_SECRET: 'kakao-secret',
    KAKAO_ADMIN_KEY: 'kakao-admin',
    KAKAO_SCOPE: 'profile_nickname,account_email,profile_image',
    KAKAO_AUTH_BASE_URL: kakao.url,
    KAKAO_API_BASE_URL: kakao.url,
    GOOGLE_CLIENT_ID: 'google-client',
    GOOGLE_CLIENT_SECRET: 'google-secret',
    GOOGLE_AUTHORIZE_URL: `${google.url}/authorize`,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    GOOGLE_USERINFO_URL: `${google.url}/userinfo`,
    ...extra,
  });

  beforeEach(async () => {
    kakao = await startFakeKakao({ clientId: 'kakao-client', clientSecret: 'kakao-secret', adminKey: 'kakao-admin' });
    google = await startFakeGoogle({ clientId: 'google-client', clientSecret: 'google-secret' });
    app = await startTestApp({ env: env() });
    browser = new Browser();
  });
  afterEach(async () => {
    await app.close();
    await kakao.close();
    await google.close();
  });

  const me = () => browser.fetch(`${app.url}/auth/me`);
  const sessionRows = async (id: string | undefined) => (id ? app.persistence.sessions.get(id, new Date()) : null);

  /** Login → the provider (already consented) → our callback; returns every hop and the callback's answer. */
  async function signIn(provider: 'kakao' | 'google', query = '') {
    const hops = await browser.follow(`${app.url}/auth/${provider}/login${query}`, FRONTEND);
    const callback = hops.find((hop) => hop.url.includes(`/auth/${provider}/callback`))!;
    return { hops, callback: callback.res, landing: callback.res.headers.get('location') };
  }

  it('Kakao: redirects with client id, redirect URI, scope without email, PKCE S256 and a state', async () => {
    const res = await browser.fetch(`${app.url}/auth/kakao/login`);
    expect(res.status).to.equal(302);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin + url.pathname).to.equal(`${kakao.url}/oauth/authorize`);
    const q = Object.fromEntries(url.searchParams);
    expect(q).to.include({
      client_id: 'kakao-client',
      redirect_uri: `${app.url}/auth/kakao/callback`,
      response_type: 'code',
      scope: 'profile_nickname,profile_image',
      code_challenge_method: 'S256',
    });
    expect(q.code_challenge).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(q.state).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('Kakao: signs in, lands on next with a new session id, and stores the 19-digit id as a string', async () => {
    const { hops, landing } = await signIn('kakao', '?next=%2Fmypage%3Ftab%3D1');
    expect(landing).to.equal(`${FRONTEND}/mypage?tab=1`);
    const sid = browser.cookie(app.url, 'sid');
    expect(sid).to.be.a('string');
    expect(
      hops[0].res.headers.getSetCookie().some((c) => c.startsWith('sid=')),
      'the login issues no session',
    ).to.equal(false);
    const user = (await (await me()).json()).user;
    expect(user).to.include({ provider: 'kakao', nickname: '카카오유저', needs_consent: true });
    const stored = await app.persistence.users.findById(user.id);
    expect(stored?.providerUserId).to.equal('1234567890123456789');
    const token = kakao.requests.find((r) => r.path === '/oauth/token')!;
    expect(token.form).to.include({ grant_type: 'authorization_code', client_secret: 'kakao-secret' });
    expect(token.form!.code_verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('writes no session row at the login, and the new session row once at the callback', async () => {
    const set = sinon.spy(app.persistence.sessions, 'set');
    const login = await browser.fetch(`${app.url}/auth/kakao/login`);
    expect(browser.cookie(app.url, 'sid'), 'no session cookie').to.equal(undefined);
    expect(set.callCount, 'no write at the login').to.equal(0);
    const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    await browser.fetch(authorize.headers.get('location')!);
    expect(set.callCount, 'one write of the signed-in session').to.equal(1);
    expect(set.firstCall.args[0]).to.equal(browser.cookie(app.url, 'sid'));
  });

  it('Kakao: refreshes nickname and image at the next sign-in, keeping the one user', async () => {
    await signIn('kakao');
    const first = (await (await me()).json()).user;
    kakao.nextUser = { id: '1234567890123456789', nickname: '바뀐이름', image: 'https://img.example/new.png', style: 'properties' };
    await signIn('kakao');
    const second = (await (await me()).json()).user;
    expect(second.id).to.equal(first.id);
    expect(second).to.include({ nickname: '바뀐이름', profile_image: 'https://img.example/new.png' });
  });

  it('Google: signs in keyed by sub', async () => {
    const { landing } = await signIn('google');
    expect(landing).to.equal(`${FRONTEND}/`);
    const user = (await (await me()).json()).user;
    expect(user.provider).to.equal('google');
    expect((await app.persistence.users.findById(user.id))?.providerUserId).to.equal(google.nextUser.sub);
    const authorize = new URL(google.requests.find((r) => r.path === '/authorize')!.query.redirect_uri);
    expect(authorize.pathname).to.equal('/auth/google/callback');
  });

  it('ignores a next that is not a relative path', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const { landing } = await signIn('kakao', `?next=${encodeURIComponent(next)}`);
      expect(landing, next).to.equal(`${FRONTEND}/`);
    }
  });

  describe('failures redirect to /login?error=… and leave no session behind', () => {
    async function expectFailure(callback: Response, code: string) {
      expect(callback.status).to.equal(302);
      expect(callback.headers.get('location')).to.equal(`${FRONTEND}/login?error=${code}`);
      expect(browser.cookie(app.url, 'sid')).to.equal(undefined);
      expect((await me()).status).to.equal(401);
    }

    it('state_mismatch for a tampered state', async () => {
      const login = await browser.fetch(`${app.url}/auth/kakao/login`);
      const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location')!);
      callback.searchParams.set('state', 'A'.repeat(43));
      await expectFailure(await browser.fetch(callback.href), 'state_mismatch');
      expect(
        kakao.requests.some((r) => r.path === '/oauth/token'),
        'no code exchange',
      ).to.equal(false);
    });

    it('state_mismatch when the callback is replayed (the signed-in user stays signed in)', async () => {
      const { hops } = await signIn('kakao');
      const callbackUrl = hops.find((hop) => hop.url.includes('/callback'))!.url;
      const sid = browser.cookie(app.url, 'sid');
      const replay = await browser.fetch(callbackUrl);
      expect(replay.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
      expect(browser.cookie(app.url, 'sid')).to.equal(sid);
      expect((await me()).status).to.equal(200);
      expect(
        kakao.requests.filter((r) => r.path === '/oauth/token'),
        'the code was exchanged once',
      ).to.have.length(1);
    });

    it('provider_error, still a 302, when the session store is down during the callback', async () => {
      const login = await browser.fetch(`${app.url}/auth/kakao/login`);
      const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
      const sessions = app.persistence.sessions;
      const down = () => Promise.reject(errors.dbUnavailable());
      const saved = { get: sessions.get, set: sessions.set };
      Object.assign(sessions, { get: down, set: down });
      try {
        const res = await browser.fetch(authorize.headers.get('location')!);
        expect(res.status).to.equal(302);
        expect(res.headers.get('location')).to.equal(`${FRONTEND}/login?error=provider_error`);
      } finally {
        Object.assign(sessions, saved);
      }
    });

    it('leaves the browser signed out when the store fails while the new session is issued', async () => {
      // regenerate destroys the session the browser had (here: another user's), then writes the new one
      for (const failing of ['destroy', 'set'] as const) {
        browser = new Browser();
        const before = await app.persistence.users.upsertIdentity({
          provider: 'google',
          providerUserId: failing,
          nickname: null,
          profileImage: null,
        });
        browser.adopt(app.url, await app.sessionCookie(before.id));
        const stub = sinon.stub(app.persistence.sessions, failing).callThrough();
        stub.onCall(0).rejects(errors.dbUnavailable());
        try {
          const { callback } = await signIn('kakao');
          expect(callback.headers.get('location'), failing).to.equal(`${FRONTEND}/login?error=provider_error`);
          expect((await me()).status, failing).to.equal(401);
        } finally {
          stub.restore();
        }
      }
    });

    it('state_mismatch for a callback from another browser (no session)', async () => {
      const login = await browser.fetch(`${app.url}/auth/kakao/login`);
      const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
      const stranger = new Browser();
      const res = await stranger.fetch(authorize.headers.get('location')!);
      expect(res.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
    });

    it('state_mismatch after 10 minutes', async () => {
      await app.close();
      const clock = new FixedClock(new Date());
      app = await startTestApp({ env: env(), clock });
      const login = await browser.fetch(`${app.url}/auth/kakao/login`);
      const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
      clock.advance(10 * 60 * 1000 + 1);
      await expectFailure(await browser.fetch(authorize.headers.get('location')!), 'state_mismatch');
    });

    it('access_denied when the user cancels at Kakao', async () => {
      kakao.cancelNext = true;
      const { callback } = await signIn('kakao');
      await expectFailure(callback, 'access_denied');
    });

    it('provider_error when Kakao refuses the code (KOE320)', async () => {
      kakao.failToken = {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'authorization code not found', error_code: 'KOE320' },
      };
      const { callback } = await signIn('kakao');
      await expectFailure(callback, 'provider_error');
      expect(kakao.requests.filter((r) => r.path === '/oauth/token')).to.have.length(1);
    });

    it('provider_error when Google refuses the code', async () => {
      google.failToken = { status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } };
      const { callback } = await signIn('google');
      await expectFailure(callback, 'provider_error');
    });

    it('provider_error for a malformed callback query, still a redirect', async () => {
      await browser.fetch(`${app.url}/auth/kakao/login`);
      const res = await browser.fetch(`${app.url}/auth/kakao/callback?code=a&code=b&state=x`);
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.match(/\/login\?error=(provider_error|state_mismatch)$/);
    });
  });

  describe('logout', () => {
    it('destroys the server-side session so the old cookie stops working, and is idempotent', async () => {
      await signIn('kakao');
      const oldCookie = browser.cookieHeader(app.url);
      const sid = browser.cookie(app.url, 'sid');
      const res = await browser.fetch(`${app.url}/auth/logout`, { method: 'POST' });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ ok: true });
      expect(await sessionRows(sid)).to.equal(null);
      expect((await app.fetch('/auth/me', { headers: { cookie: oldCookie } })).status).to.equal(401);
      const again = await app.fetch('/auth/logout', { method: 'POST', headers: { cookie: oldCookie } });
      expect(again.status).to.equal(200);
      expect((await app.fetch('/auth/logout', { method: 'POST' })).status).to.equal(200);
    });
  });

  describe('POST /auth/kakao/unlink', () => {
    it('calls Kakao with the admin key and the user id, then ends the session', async () => {
      await signIn('kakao');
      const sid = browser.cookie(app.url, 'sid');
      const res = await browser.fetch(`${app.url}/auth/kakao/unlink`, { method: 'POST' });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ ok: true });
      expect(kakao.unlinked).to.deep.equal(['1234567890123456789']);
      const call = kakao.requests.find((r) => r.path === '/v1/user/unlink')!;
      expect(call.headers.authorization).to.equal('KakaoAK kakao-admin');
      expect(call.form).to.deep.equal({ target_id_type: 'user_id', target_id: '1234567890123456789' });
      expect(await sessionRows(sid)).to.equal(null);
      expect((await me()).status).to.equal(401);
    });

    it('is 401 without a session', async () => {
      const res = await app.fetch('/auth/kakao/unlink', { method: 'POST' });
      expect(res.status).to.equal(401);
      expect(await res.json()).to.include({ error: 'not_authenticated' });
    });

    it('is 503 kakao_admin_key_missing without an admin key', async () => {
      await app.close();
      app = await startTestApp({ env: env({ KAKAO_ADMIN_KEY: '' }) });
      await signIn('kakao');
      const res = await browser.fetch(`${app.url}/auth/kakao/unlink`, { method: 'POST' });
      expect(res.status).to.equal(503);
      expect(await res.json()).to.include({ error: 'kakao_admin_key_missing' });
      expect((await me()).status, 'still signed in').to.equal(200);
    });

    it('is 502 upstream_unavailable when Kakao refuses, and keeps the session', async () => {
      await app.close();
      app = await startTestApp({ env: env({ KAKAO_ADMIN_KEY: 'wrong-key' }) });
      await signIn('kakao');
      const res = await browser.fetch(`${app.url}/auth/kakao/unlink`, { method: 'POST' });
      expect(res.status).to.equal(502);
      expect(await res.json()).to.include({ error: 'upstream_unavailable' });
      expect((await me()).status).to.equal(200);
    });
  });

  it('login answers 503 provider_not_configured without keys (and MOCK_PROVIDERS off)', async () => {
    await app.close();
    app = await startTestApp({ env: { KAKAO_AUTH_BASE_URL: kakao.url } });
    for (const provider of ['kakao', 'google']) {
      const res = await app.fetch(`/auth/${provider}/login`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.include({ ok: false, error: 'provider_not_configured' });
    }
  });

  describe('MOCK_PROVIDERS=1', () => {
    for (const [provider, nickname] of [
      ['kakao', '데모 사용자'],
      ['google', 'Demo User'],
    ] as const) {
      it(`${provider}: following the login redirects signs in a demo user with no keys`, async () => {
        await app.close();
        app = await startTestApp({ env: { MOCK_PROVIDERS: '1' } });
        const hops = await browser.follow(`${app.url}/auth/${provider}/login?next=/home`, FRONTEND);
        expect(hops.at(-1)!.url).to.equal(`${FRONTEND}/home`);
        expect(
          hops.every((hop) => hop.url.startsWith(app.url) || hop.url.startsWith(FRONTEND)),
          'no outside host',
        ).to.equal(true);
        const user = (await (await me()).json()).user;
        expect(user).to.include({ provider, nickname });
      });
    }
  });
});
