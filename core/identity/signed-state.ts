import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an Instagram-link `state` names: user, persona, a nonce and an expiry (ms since epoch). */
export interface LinkState {
  u: number;
  p?: number;
  n: string;
  e: number;
}

/** `base64url(JSON).base64url(HMAC-SHA256)` with the session secret. */
export function signState(state: LinkState, secret: string): string {
  const body = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

/**
 * The state when its signature holds under one of `secrets` (the current secret, then those it replaced)
 * and the shape is right, else null.
 */
export function verifyState(token: string | undefined, secrets: readonly string[]): LinkState | null {
  const [body, signature, extra] = (token ?? '').split('.');
  if (!body || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature);
  const signedBy = (secret: string) => {
    const expected = Buffer.from(mac(body, secret));
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if (!secrets.some(signedBy)) return null;
  try {
    const state = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkState;
    const valid =
      Number.isInteger(state.u) &&
      typeof state.n === 'string' &&
      Number.isFinite(state.e) &&
      (state.p === undefined || Number.isInteger(state.p));
    return valid ? state : null;
  } catch {
    return null;
  }
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
