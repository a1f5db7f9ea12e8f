/** An Instagram business account reachable through one of the user's Facebook pages. */
export interface InstagramAccount {
  pageId: string;
  pageName: string | null;
  igUserId: string;
  igUsername: string | null;
  /** The Page access token publishing uses (Meta gives it with `access_token`); stored sealed, never returned by a route. */
  pageAccessToken: string | null;
}

export interface MetaToken {
  accessToken: string;
  /** Seconds until it expires, when Meta says. */
  expiresInSeconds: number | null;
}

/** One permission of a user token as GET /me/permissions lists it. */
export interface MetaPermission {
  name: string;
  /** `granted`, `declined` or `expired`, as Meta says. */
  status: string;
}

/**
 * Facebook Login and the Graph API. Tokens pass through here and are never logged.
 * Failures throw errors.upstreamUnavailable() when Meta errs or does not answer,
 * errors.personaOauthExpired() when Meta says the token is invalid (code 190).
 */
export interface MetaGraph {
  /** False without META_APP_ID / META_APP_SECRET. */
  readonly configured: boolean;
  /** The Facebook Login dialog for this signed `state`. */
  dialogUrl(state: string): string;
  /** Code → short-lived user token (codes are single use: never retried). */
  exchangeCode(code: string): Promise<MetaToken>;
  /** Short-lived → long-lived (about 60 days) user token. */
  exchangeForLongLived(shortLivedToken: string): Promise<MetaToken>;
  /** Every page of /me/accounts, following paging; pages without an IG business account left out. */
  listAccounts(accessToken: string): Promise<InstagramAccount[]>;
  /** The app-scoped id of the token's Facebook user (GET /me?fields=id). */
  userId(accessToken: string): Promise<string>;
  /** Every permission Meta lists for the token (GET /me/permissions), whatever its status. */
  permissions(accessToken: string): Promise<MetaPermission[]>;
}
