import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a started sign-in may take before its state expires. */
export const STATE_TTL_MS = 10 * 60 * 1000;

/** 256 random bits, URL-safe: states, nonces and PKCE verifiers (43 chars, within RFC 7636's 43–128). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * `next` only as a relative path starting with a single `/` (no `//host`, no `/\host`, no control
 * characters); anything else gives `/`.
 */
export function safeNextPath(next: string | undefined): string {
  if (!next || next.length > 2048) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point of this test
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}

/** Constant-time comparison of two secrets (states, nonces); false when `given` is missing. */
export function sameSecret(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
