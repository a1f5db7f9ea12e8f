import { createHmac } from 'node:crypto';

/** What Meta puts in a deauthorize or data-deletion `signed_request`. */
export function metaNoticePayload(userId: string, issuedAt = new Date()): Record<string, unknown> {
  return { algorithm: 'HMAC-SHA256', issued_at: Math.floor(issuedAt.getTime() / 1000), user_id: userId };
}

/**
 * A `signed_request` built exactly as Meta builds it: the JSON payload in unpadded base64url, and
 * before it, separated by a dot, the unpadded base64url HMAC-SHA256 of that encoded payload, keyed
 * with the app secret.
 */
export function metaSignedRequest(payload: Record<string, unknown>, appSecret: string): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encoded).digest('base64url');
  return `${signature}.${encoded}`;
}
