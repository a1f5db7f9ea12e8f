import { createHmac } from 'node:crypto';

/** Meta's appsecret_proof: hex HMAC-SHA256 of the access token, keyed with the app secret. */
export function appsecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}
