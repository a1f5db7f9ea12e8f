import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPersistence, type Persistence } from '../../composition/persistence.js';
import { realDatabases } from '../support/databases.js';
import { startFakeAi } from '../support/fake-ai-server.js';
import { scratchRedisUrl } from '../support/redis.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Two persistences over one store, as two instances of the app would open them. */
interface SharedStore {
  name: string;
  open(): Promise<[Persistence, Persistence]>;
}

const stores: SharedStore[] = [];
const mysqlUrl = process.env.TEST_MYSQL_URL;
if (mysqlUrl) {
  stores.push({
    name: 'one MariaDB database (ss_rate_limit)',
    async open() {
      const first = await realDatabases()
        .find((database) => database.name === 'MariaDB')!
        .open(); // a migrated, empty database
      return [first.persistence, await first.another()];
    },
  });
}
const redisUrl = process.env.TEST_REDIS_URL;
if (redisUrl) {
  stores.push({
    name: 'Redis (REDIS_URL), beside one SQLite file',
    async open() {
      const config = {
        mysql: null,
        sqlitePath: join(mkdtempSync(join(tmpdir(), 'selfstar-')), 'shared.sqlite'),
        redisUrl: scratchRedisUrl(redisUrl),
      };
      const first = await openPersistence(config);
      return [first, await openPersistence(config)];
    },
  });
}

for (const store of stores) {
  describe(`HTTP image rate limit shared by two app instances on ${store.name}`, () => {
    let ai: Awaited<ReturnType<typeof startFakeAi>>;
    let apps: TestApp[];

    beforeEach(async () => {
      ai = await startFakeAi();
      const env = { AI_SERVICE_URL: ai.url, MEDIA_ROOT: mkdtempSync(join(tmpdir(), 'selfstar-media-')), IMAGE_RATE_PER_MINUTE: '3' };
      const persistences = await store.open();
      apps = [];
      for (const persistence of persistences) apps.push(await startTestApp({ env, persistence }));
    });
    afterEach(async () => {
      for (const app of apps) await app.close();
      await ai.close();
    });

    it('allows IMAGE_RATE_PER_MINUTE generations a user makes across both, then 429 rate_limited with Retry-After on either', async () => {
      const [one, two] = apps;
      const userId = (
        await one.persistence.users.upsertIdentity({ provider: 'kakao', providerUserId: '7', nickname: 'n', profileImage: null })
      ).id;
      const cookie = await one.sessionCookie(userId); // one session store: the cookie works on both
      const generate = (app: TestApp) =>
        app.fetch('/api/images', {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ name: '민지', gender: '여성', options: [] }),
        });
      const statuses = [];
      for (const app of [one, two, one, two]) statuses.push((await generate(app)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      const refused = await generate(one);
      expect(refused.status).to.equal(429);
      expect(await refused.json()).to.include({ ok: false, error: 'rate_limited' });
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
      expect(ai.requests, 'the AI was called for the allowed ones only').to.have.length(3);
    });
  });
}
