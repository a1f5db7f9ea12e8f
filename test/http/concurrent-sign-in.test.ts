import { expect } from 'chai';
import { Browser } from '../support/browser.js';
import { realDatabases } from '../support/databases.js';
import { startFakeKakao } from '../support/fake-kakao-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

for (const database of realDatabases()) {
  describe(`concurrent first sign-ins on ${database.name}`, () => {
    let kakao: Awaited<ReturnType<typeof startFakeKakao>>;
    let app: TestApp;

    beforeEach(async () => {
      kakao = await startFakeKakao({ clientId: 'kakao-client' });
      app = await startTestApp({
        persistence: (await database.open()).persistence,
        env: { KAKAO_CLIENT_ID: 'kakao-client', KAKAO_AUTH_BASE_URL: kakao.url, KAKAO_API_BASE_URL: kakao.url },
      });
    });
    afterEach(async () => {
      await app.close();
      await kakao.close();
    });

    it('8 parallel callbacks of one new person give one user', async () => {
      kakao.nextUser = { id: '9223372036854775807', nickname: '동시접속', image: null };
      // Hold every profile answer back until all eight callbacks are waiting, so the upserts collide.
      kakao.delayMs = 300;
      kakao.delayPaths = ['/v2/user/me'];
      const browsers = Array.from({ length: 8 }, () => new Browser());
      const callbacks: string[] = [];
      for (const browser of browsers) {
        const login = await browser.fetch(`${app.url}/auth/kakao/login`);
        const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
        callbacks.push(authorize.headers.get('location')!);
      }
      const answers = await Promise.all(browsers.map((browser, i) => browser.fetch(callbacks[i])));
      expect(answers.map((res) => res.headers.get('location'))).to.deep.equal(Array(8).fill('http://localhost:5174/'));
      const ids = await Promise.all(browsers.map(async (browser) => (await (await browser.fetch(`${app.url}/auth/me`)).json()).user.id));
      expect(new Set(ids).size, `ids: ${ids}`).to.equal(1);
      const user = await app.persistence.users.findById(ids[0]);
      expect(user).to.include({ providerUserId: '9223372036854775807', nickname: '동시접속' });
    });
  });
}
