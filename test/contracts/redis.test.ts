import { openRateLimits } from '../../composition/rate-limits.js';
import { scratchRedisUrl } from '../support/redis.js';
import { describeRateLimiter } from './rate-limiter.contract.js';

const url = process.env.TEST_REDIS_URL;

if (!url && process.env.CI) {
  throw new Error('CI must run the Redis contract suite: set TEST_REDIS_URL (see .ci/run).');
} else if (!url) {
  console.log('TEST_REDIS_URL is not set: the Redis contract tests are not registered.');
} else {
  const redisUrl = scratchRedisUrl(url);
  describeRateLimiter(
    'rate-limiter-flexible on Redis',
    async () => {
      const [one, two] = await Promise.all([openRateLimits({ mysql: null, redisUrl }), openRateLimits({ mysql: null, redisUrl })]);
      return { limiter: one.limiter, sameStore: two.limiter, teardown: async () => void (await Promise.all([one.close(), two.close()])) };
    },
    () => openRateLimits({ mysql: null, redisUrl: 'redis://127.0.0.1:1' }),
  );
}
