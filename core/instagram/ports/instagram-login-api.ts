import type { MetaToken } from './meta-graph.js';

/** The short-lived token a code is exchanged for, with what Instagram says of it. */
export interface InstagramLoginGrant {
  accessToken: string;
  /** The app-scoped Instagram user (Meta's notices for the Instagram app name it). */
  userId: string;
  /** The permissions the user granted, as Instagram lists them. */
  permissions: string[];
}

/** The professional account behind a token (GET /me?fields=user_id,username,account_type). */
export interface InstagramLoginAccount {
  /** The account's Instagram id: what publishing posts to. */
  igUserId: string;
  username: string | null;
  /** `BUSINESS` or `MEDIA_CREATOR`, as Instagram says; null when it does not. */
  accountType: string | null;
}

/**
 * Instagram Login ("Instagram API with Instagram Login"): the professional account signs in itself, with no
 * Facebook Page. Tokens pass through here and are never logged. Failures throw errors.upstreamUnavailable()
 * when Instagram errs or does not answer, errors.personaOauthExpired() when it refuses the token (code 190).
 */
export interface InstagramLoginApi {
  /** False without INSTAGRAM_APP_ID / INSTAGRAM_APP_SECRET. */
  readonly configured: boolean;
  /** INSTAGRAM_AUTHORIZE_URL for this signed `state`. */
  dialogUrl(state: string): string;
  /** Code (its trailing `#_` already stripped) → short-lived token; codes are single use: never retried. */
  exchangeCode(code: string): Promise<InstagramLoginGrant>;
  /** Short-lived → long-lived (60 days) token (`ig_exchange_token`). */
  exchangeForLongLived(shortLivedToken: string): Promise<MetaToken>;
  account(accessToken: string): Promise<InstagramLoginAccount>;
  /** A long-lived token at least 24 h old and not expired → a new one with a new 60 days (`ig_refresh_token`). */
  refresh(accessToken: string): Promise<MetaToken>;
}
