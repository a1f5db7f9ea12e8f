import { expect } from 'chai';
import { loadConfig } from '../../composition/config.js';
import { openRateLimits, type RateLimits } from '../../composition/rate-limits.js';
import { scratchRedisUrl } from '../support/redis.js';

/** A MySQL server that refuses every connection. */
const NO_MYSQL = { host: '127.0.0.1', port: 1, user: 'root', password: '', dbName: 'nowhere' };

describe('composition: where rate limits are counted', () => {
  let opened: RateLimits | undefined;

  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  const take = async (config: Parameters<typeof openRateLimits>[0]) => {
    opened = await openRateLimits(config);
    return opened.limiter.take('composition-test', 1, 60).catch((error: unknown) => error);
  };

  it('counts in MySQL/MariaDB when DB_HOST is set (not in memory: an unreachable server fails the count)', async () => {
    expect(await take({ mysql: NO_MYSQL })).to.include({ code: 'db_unavailable' });
  });

  it('counts in memory on SQLite', async () => {
    expect(await take({ mysql: null })).to.deep.equal({ allowed: true });
  });

  if (process.env.TEST_REDIS_URL) {
    it('counts in Redis when REDIS_URL is set, even with DB_HOST set', async () => {
      expect(await take({ mysql: NO_MYSQL, redisUrl: scratchRedisUrl(process.env.TEST_REDIS_URL!) })).to.deep.equal({ allowed: true });
    });
  }

  it('REDIS_URL must be a redis:// or rediss:// URL; SIGN_IN_RATE_PER_MINUTE defaults to 30', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).to.throw(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@cache.example:6380/2' }).redisUrl).to.equal('rediss://:secret@cache.example:6380/2');
    expect(loadConfig({}).signInRatePerMinute).to.equal(30);
  });
});
