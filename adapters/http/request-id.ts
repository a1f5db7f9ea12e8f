import { randomBytes } from 'node:crypto';

/**
 * Request ids: a random per-process prefix (72 bits, so instances never collide) and a counter.
 * Unique, and cheaper than a randomUUID() per request; they only correlate logs, so they need not
 * be unguessable.
 */
export function requestIdSource(): () => string {
  const prefix = randomBytes(9).toString('base64url');
  let count = 0;
  return () => `${prefix}-${(++count).toString(36)}`;
}
