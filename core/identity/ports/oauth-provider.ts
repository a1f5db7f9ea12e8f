import type { OAuthIdentity } from './user-repository.js';

/**
 * A sign-in provider (Kakao, Google) using the authorization-code flow with PKCE S256.
 * Access tokens stay inside the adapter: they are never returned, stored or logged.
 */
export interface OAuthProvider {
  /** False when its keys are not configured (the login route answers 503 provider_not_configured). */
  readonly configured: boolean;
  /** The provider's consent page for this one-time `state` and PKCE `codeChallenge`. */
  authorizationUrl(request: { state: string; codeChallenge: string }): string;
  /**
   * Exchanges the one-time `code` (never retried) and reads who signed in.
   * Throws errors.providerError() for any provider failure.
   */
  identify(code: string, codeVerifier: string): Promise<OAuthIdentity>;
}

/** Kakao's admin-key unlink of a user from the app. */
export interface KakaoUnlinker {
  /** False without KAKAO_ADMIN_KEY. */
  readonly configured: boolean;
  /** Throws errors.upstreamUnavailable() when Kakao fails or does not answer. */
  unlink(kakaoUserId: string): Promise<void>;
}
