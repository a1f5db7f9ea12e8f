import { randomUUID } from 'node:crypto';

/** TEST_REDIS_URL with an ioredis key prefix of its own, so runs and parallel checkouts never share keys. */
export function scratchRedisUrl(url: string): string {
  const scratch = new URL(url);
  scratch.searchParams.set('keyPrefix', `selfstar-test-${randomUUID()}:`);
  return scratch.toString();
}
