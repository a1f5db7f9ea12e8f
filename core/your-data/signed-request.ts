import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from '../shared/index.js';

/** What a verified Meta `signed_request` (deauthorize, data deletion) says. */
export interface MetaSignedRequest {
  /** The app-scoped Meta user id. */
  userId: string;
  /** When Meta signed it (whole seconds). */
  issuedAt: Date;
  /** SHA-256 of the signature (hex): the same for a replay, and naming no one without the app secret. */
  requestKey: string;
}

/** Unpadded base64url, as Meta sends both parts; a trailing `=` pad some senders add is tolerated. */
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const SHA256_BYTES = 32;

/**
 * Meta's format: `base64url(HMAC-SHA256(payload part, app secret)).base64url(JSON payload)`, the
 * payload naming `algorithm` (must be HMAC-SHA256), `user_id` and `issued_at`. The signature is
 * checked in constant time before the payload is read; anything else is errors.invalidSignedRequest().
 * A request signed with another app's secret fails the signature like any forgery.
 */
export function verifySignedRequest(signedRequest: string, appSecret: string): MetaSignedRequest {
  const parts = signedRequest.split('.');
  if (parts.length !== 2 || !parts.every((part) => BASE64URL.test(part))) throw errors.invalidSignedRequest();
  const [signaturePart, payloadPart] = parts;
  const signature = Buffer.from(signaturePart, 'base64url');
  const expected = createHmac('sha256', appSecret).update(payloadPart).digest();
  if (signature.length !== SHA256_BYTES || !timingSafeEqual(signature, expected)) throw errors.invalidSignedRequest();
  const payload = parsePayload(payloadPart);
  const { algorithm, user_id: userId, issued_at: issuedAt } = payload;
  if (algorithm !== 'HMAC-SHA256') throw errors.invalidSignedRequest();
  if (typeof userId !== 'string' || !/^[0-9]{1,32}$/.test(userId)) throw errors.invalidSignedRequest();
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt) || issuedAt <= 0) throw errors.invalidSignedRequest();
  return { userId, issuedAt: new Date(issuedAt * 1000), requestKey: createHash('sha256').update(signature).digest('hex') };
}

function parsePayload(part: string): Record<string, unknown> {
  try {
    const payload: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, unknown>;
  } catch {
    // not JSON: refused below
  }
  throw errors.invalidSignedRequest();
}
