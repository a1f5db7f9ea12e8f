import { expect } from 'chai';
import { openRateLimits, type RateLimits } from '../../composition/rate-limits.js';
import { TOKENS } from '../../composition/tokens.js';
import { captureLogs } from '../support/capture-logs.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const FRONTEND = 'http://localhost:5174';
const LIMIT = 3;
const ENV = {
  SIGN_IN_RATE_PER_MINUTE: String(LIMIT),
  KAKAO_CLIENT_ID: 'kakao-client',
  GOOGLE_CLIENT_ID: 'google-client',
  GOOGLE_CLIENT_SECRET: 'google-secret',
  META_APP_ID: 'meta-app',
  META_APP_SECRET: 'meta-secret',
};

describe('HTTP sign-in rate limit per client IP (SIGN_IN_RATE_PER_MINUTE)', () => {
  let app: TestApp;

  afterEach(async () => {
    await app?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => app.fetch(path, { headers });

  async function expectRefusedAsJson(res: Response) {
    expect(res.status).to.equal(429);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.json()).to.include({ ok: false, error: 'rate_limited' });
    expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
    expect(res.headers.getSetCookie(), 'no session started').to.deep.equal([]);
  }

  it('counts the starts of both providers together, then answers 429 rate_limited as JSON with Retry-After', async () => {
    app = await startTestApp({ env: ENV });
    const starts = ['/auth/kakao/login', '/auth/google/login', '/auth/kakao/login?next=/mypage'];
    for (const path of starts) expect((await get(path)).status, path).to.equal(302);
    await expectRefusedAsJson(await get('/auth/google/login'));
    await expectRefusedAsJson(await get('/auth/kakao/login'));
  });

  it('counts callbacks apart from starts; over the limit a callback still redirects, to /login?error=rate_limited', async () => {
    app = await startTestApp({ env: ENV });
    for (let i = 0; i < LIMIT; i++) await get('/auth/kakao/login');
    for (let i = 0; i < LIMIT; i++) {
      const res = await get('/auth/kakao/callback?code=c&state=s');
      expect(res.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
    }
    for (const provider of ['kakao', 'google']) {
      const res = await get(`/auth/${provider}/callback?code=c&state=s`);
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal(`${FRONTEND}/login?error=rate_limited`);
    }
  });

  it('limits the Instagram start (429 JSON) and callback (302 to /mypage?ig=error&reason=rate_limited) too', async () => {
    app = await startTestApp({ env: ENV });
    const userId = (
      await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null })
    ).id;
    const cookie = await app.sessionCookie(userId);
    for (let i = 0; i < LIMIT; i++) expect((await get('/oauth/instagram/start?persona_num=1', { cookie })).status).to.equal(404);
    const refused = await get('/oauth/instagram/start?persona_num=1', { cookie });
    expect(refused.status).to.equal(429);
    expect(await refused.json()).to.include({ error: 'rate_limited' });
    for (let i = 0; i < LIMIT; i++) await get('/oauth/instagram/callback?code=c&state=s', { cookie });
    const callback = await get('/oauth/instagram/callback?code=c&state=s', { cookie });
    expect(callback.status).to.equal(302);
    expect(callback.headers.get('location')).to.equal(`${FRONTEND}/mypage?ig=error&reason=rate_limited`);
  });

  it('trusts no X-Forwarded-For without a proxy (http BACKEND_URL): forging one dodges nothing', async () => {
    app = await startTestApp({ env: ENV });
    for (let i = 0; i < LIMIT; i++) {
      expect((await get('/auth/kakao/login', { 'x-forwarded-for': `198.51.100.${i}` })).status).to.equal(302);
    }
    await expectRefusedAsJson(await get('/auth/kakao/login', { 'x-forwarded-for': '198.51.100.99' }));
  });

  it('behind the trusted proxy (https BACKEND_URL) counts the address the proxy appended, whatever the client put before it', async () => {
    app = await startTestApp({ env: { ...ENV, BACKEND_URL: 'https://api.example.com' } });
    const via = (forwarded: string) => ({ 'x-forwarded-for': forwarded, 'x-forwarded-proto': 'https' });
    for (let i = 0; i < LIMIT; i++) expect((await get('/auth/kakao/login', via(`198.51.100.${i}, 203.0.113.7`))).status).to.equal(302);
    expect((await get('/auth/kakao/login', via('198.51.100.99, 203.0.113.7'))).status).to.equal(429);
    expect((await get('/auth/kakao/login', via('203.0.113.7'))).status).to.equal(429);
    expect((await get('/auth/kakao/login', via('203.0.113.8'))).status, 'another client behind the proxy').to.equal(302);
  });

  describe('with the limiter store down (Redis unreachable)', () => {
    let unreachable: RateLimits;

    beforeEach(async () => {
      unreachable = await openRateLimits({ mysql: null, redisUrl: 'redis://127.0.0.1:1' });
    });
    afterEach(async () => {
      await unreachable.close();
    });

    it('lets sign-in through (fail-open, logged) and refuses images with 503 db_unavailable (fail-closed); never a 500', async () => {
      const logs = captureLogs();
      app = await startTestApp({
        env: ENV,
        logger: logs.logger,
        rebind: (container) => container.rebind(TOKENS.RateLimiter).toConstantValue(unreachable.limiter),
      });
      for (let i = 0; i <= LIMIT; i++) expect((await get('/auth/kakao/login')).status).to.equal(302);
      const callback = await get('/auth/kakao/callback?code=c&state=s');
      expect(callback.headers.get('location')).to.equal(`${FRONTEND}/login?error=state_mismatch`);
      expect(logs.entries().filter((line) => line.msg === 'rate-limit store unavailable: request let through')).to.have.length(LIMIT + 2);

      const userId = (
        await app.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '1', nickname: null, profileImage: null })
      ).id;
      const image = await app.fetch('/api/images', {
        method: 'POST',
        headers: { cookie: await app.sessionCookie(userId), 'content-type': 'application/json' },
        body: JSON.stringify({ name: '민지', gender: '여성', options: [] }),
      });
      expect(image.status).to.equal(503);
      expect(await image.json()).to.include({ ok: false, error: 'db_unavailable' });
    });
  });
});
