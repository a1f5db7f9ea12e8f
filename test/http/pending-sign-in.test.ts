import { expect } from 'chai';
import { Agent, get } from 'node:http';
import type { Persistence } from '../../composition/persistence.js';
import { Browser } from '../support/browser.js';
import { realDatabases } from '../support/databases.js';
import { startFakeKakao } from '../support/fake-kakao-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const OLD_SECRET = 'the-secret-before-the-rotation-0123456789';
const NEW_SECRET = 'the-secret-after-the-rotation-9876543210';
const STRANGER_SECRET = 'a-secret-that-was-never-configured-here-00';

/** The first Set-Cookie line of `res` for `name`. */
const setCookie = (res: Response, name: string) => res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

describe('HTTP sign-in: the pending sign-in lives in a sealed cookie', () => {
  let kakao: Awaited<ReturnType<typeof startFakeKakao>>;
  const apps: TestApp[] = [];
  const databases: Persistence[] = [];

  const kakaoEnv = () => ({ KAKAO_CLIENT_ID: 'kakao-client', KAKAO_AUTH_BASE_URL: kakao.url, KAKAO_API_BASE_URL: kakao.url });
  /** A fresh database that several app instances may share (closed after them). */
  async function openDatabase(database = realDatabases()[0]) {
    const opened = await database.open();
    databases.push(opened.persistence);
    return opened;
  }
  async function start(env: Record<string, string> = {}, persistence?: Persistence) {
    const shared = persistence && { ...persistence, close: async () => {} };
    const app = await startTestApp({ env: { ...kakaoEnv(), ...env }, persistence: shared });
    apps.push(app);
    return app;
  }
  /** Login at `app`, consent at the fake Kakao: the callback URL, not yet visited. */
  async function consent(app: TestApp, browser: Browser): Promise<string> {
    const login = await browser.fetch(`${app.url}/auth/kakao/login`);
    const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    return authorize.headers.get('location')!;
  }
  /** The callback `url` answered by `app` (whichever host the URL names), with `cookie`. */
  const callbackAt = (app: TestApp, cookie: string, url: string) => {
    const { pathname, search } = new URL(url);
    return app.fetch(pathname + search, { headers: { cookie } });
  };
  const tokenExchanges = () => kakao.requests.filter((r) => r.path === '/oauth/token').length;

  beforeEach(async () => {
    kakao = await startFakeKakao({ clientId: 'kakao-client' });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const persistence of databases.splice(0)) await persistence.close();
    await kakao.close();
  });

  it('is HttpOnly, SameSite=Lax, scoped to /auth/kakao/, 10 minutes, and holds neither state nor verifier in clear', async () => {
    const app = await start();
    const browser = new Browser();
    const login = await browser.fetch(`${app.url}/auth/kakao/login?next=%2Fsecret-next`);
    const line = setCookie(login, 'sid_signin')!;
    expect(line).to.match(/; Max-Age=600; Path=\/auth\/kakao\/; HttpOnly; SameSite=Lax$/);
    expect(
      login.headers.getSetCookie().filter((l) => l.startsWith('sid=')),
      'no session cookie',
    ).to.deep.equal([]);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const value = browser.cookie(app.url, 'sid_signin')!;
    const opened = Buffer.from(value, 'base64url').toString('utf8');
    for (const secret of [state, 'secret-next', 'kakao']) expect(opened).to.not.include(secret);

    const callback = await browser.fetch(await consent(app, browser));
    expect(callback.headers.get('location')).to.equal(`${FRONTEND}/`);
    expect(setCookie(callback, 'sid_signin'), 'cleared at the callback').to.match(/^sid_signin=; Max-Age=0; Path=\/auth\/kakao\//);
  });

  it('is Secure when BACKEND_URL is https', async () => {
    const app = await start({ BACKEND_URL: 'https://api.example' });
    const login = await app.fetch('/auth/kakao/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(setCookie(login, 'sid_signin')).to.match(/; Path=\/auth\/kakao\/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('is state_mismatch when the cookie was changed, or is used at another provider’s callback', async () => {
    const app = await start({ GOOGLE_CLIENT_ID: 'google-client' });
    const browser = new Browser();
    const callback = await consent(app, browser);
    const value = browser.cookie(app.url, 'sid_signin')!;
    const bytes = Buffer.from(value, 'base64url');
    bytes[bytes.length - 8] ^= 1;
    const tampered = await callbackAt(app, `sid_signin=${bytes.toString('base64url')}`, callback);
    expect(tampered.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
    const elsewhere = await app.fetch(`/auth/google/callback${new URL(callback).search}`, { headers: { cookie: `sid_signin=${value}` } });
    expect(elsewhere.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
    expect(tokenExchanges()).to.equal(0);
  });

  it('keeps a signed-in user signed in while a new sign-in is started, and issues a new session id at its callback', async () => {
    const app = await start();
    const browser = new Browser();
    const user = await app.persistence.users.upsertIdentity({
      provider: 'google',
      providerUserId: 'g-1',
      nickname: null,
      profileImage: null,
    });
    browser.adopt(app.url, await app.sessionCookie(user.id));
    const before = browser.cookie(app.url, 'sid');
    const callback = await consent(app, browser);
    expect((await browser.fetch(`${app.url}/auth/me`)).status, 'still signed in').to.equal(200);
    await browser.fetch(callback);
    expect(browser.cookie(app.url, 'sid')).to.be.a('string').and.not.equal(before);
    expect((await (await browser.fetch(`${app.url}/auth/me`)).json()).user.provider).to.equal('kakao');
    expect(await app.persistence.sessions.get(before!, new Date()), 'the old session is gone').to.equal(null);
  });

  for (const database of realDatabases()) {
    it(`refuses a callback replayed with the same cookie at another instance on ${database.name}`, async () => {
      const { persistence } = await openDatabase(database);
      const first = await start({}, persistence);
      const second = await start({}, persistence);
      const browser = new Browser();
      const callback = await consent(first, browser);
      const copy = browser.cookieHeader(callback);
      expect((await callbackAt(first, copy, callback)).headers.get('location')).to.equal(`${FRONTEND}/`);
      const replay = await callbackAt(second, copy, callback);
      expect(replay.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
      expect(tokenExchanges(), 'the code was exchanged once').to.equal(1);
    });
  }

  describe('SESSION_SECRET rotation', () => {
    it('accepts a pending sign-in and a session cookie made under a previous secret, and refuses both under an unknown one', async () => {
      const { persistence } = await openDatabase();
      // One redirect URI for all three, as behind one public host: Kakao checks it at the code exchange.
      const redirect = { KAKAO_REDIRECT_URI: 'https://api.example/auth/kakao/callback' };
      const before = await start({ ...redirect, SESSION_SECRET: OLD_SECRET }, persistence);
      const rotated = await start({ ...redirect, SESSION_SECRET: NEW_SECRET, SESSION_PREVIOUS_SECRETS: OLD_SECRET }, persistence);
      const stranger = await start({ ...redirect, SESSION_SECRET: NEW_SECRET, SESSION_PREVIOUS_SECRETS: STRANGER_SECRET }, persistence);

      const browser = new Browser();
      const callback = await consent(before, browser);
      const cookie = browser.cookieHeader(before.url);
      const refused = await callbackAt(stranger, cookie, callback);
      expect(refused.headers.get('location'), 'unknown secret').to.equal(`${FRONTEND}/login?error=state_mismatch`);
      const accepted = await callbackAt(rotated, cookie, callback);
      expect(accepted.headers.get('location'), 'previous secret').to.equal(`${FRONTEND}/`);
      expect(tokenExchanges()).to.equal(1);

      const user = await persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: 'k-1', nickname: null, profileImage: null });
      const oldCookie = await before.sessionCookie(user.id);
      expect((await rotated.fetch('/auth/me', { headers: { cookie: oldCookie } })).status, 'previous secret').to.equal(200);
      expect((await stranger.fetch('/auth/me', { headers: { cookie: oldCookie } })).status, 'unknown secret').to.equal(401);
      const renewed = await rotated.sessionCookie(user.id);
      expect((await before.fetch('/auth/me', { headers: { cookie: renewed } })).status, 'new cookies use the new secret').to.equal(401);
    });
  });

  it('10,000 anonymous starts from one address add no row (each answered 302, or 429 when limited)', async function () {
    this.timeout(300_000); // a guard for a loaded machine, not a measurement
    const { persistence, rows } = await openDatabase();
    const app = await start({}, persistence);
    const count = async () => (await rows('ss_session')).length + (await rows('ss_used_state')).length;
    const before = await count();
    // node:http with keep-alive: a third of fetch's client-side cost, which dominates here.
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const statusOfLogin = () =>
      new Promise<number>((answered, fail) => {
        get(`${app.url}/auth/kakao/login`, { agent }, (res) => res.resume().on('end', () => answered(res.statusCode!))).on('error', fail);
      });
    const statuses = new Map<number, number>();
    let started = 0;
    const client = async () => {
      while (started < 10_000) {
        started++;
        const status = await statusOfLogin();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    try {
      await Promise.all(Array.from({ length: 16 }, client));
    } finally {
      agent.destroy();
    }
    const answered = [...statuses].map(([status, times]) => `${status}×${times}`).join(' ');
    expect(
      [...statuses.keys()].every((status) => status === 302 || status === 429),
      answered,
    ).to.equal(true);
    expect(
      [...statuses.values()].reduce((a, b) => a + b),
      answered,
    ).to.equal(10_000);
    expect(await count()).to.equal(before);
  });
});
