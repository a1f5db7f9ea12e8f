import { errors, message } from '../../core/shared/index.js';
import {
  type Provider,
  pkceChallenge,
  randomToken,
  type KakaoUnlinker,
  type OAuthProvider,
  type OAuthIdentity,
} from '../../core/identity/index.js';
const DEMO_USERS: Record<Provider, OAuthIdentity> = {
  kakao: { provider: 'kakao', providerUserId: '1000000000000000001', nickname: '데모 사용자', profileImage: null },
  google: { provider: 'google', providerUserId: 'demo-google-user', nickname: 'Demo User', profileImage: null },
};

/** Codes handed out but never exchanged are forgotten, oldest first, past this many. */
const MAX_PENDING_CODES = 1000;

/**
 * MOCK_PROVIDERS=1: a provider that needs no network and no keys. The "consent page" is our own callback
 * with a fresh code, so the browser goes straight through; the code is single use and bound to the PKCE
 * challenge like a real one.
 */
export class FakeOAuthProvider implements OAuthProvider {
  readonly configured = true;
  private readonly challenges = new Map<string, string>();

  constructor(
    private readonly provider: Provider,
    private readonly callbackUrl: string,
  ) {}

  authorizationUrl({ state, codeChallenge }: { state: string; codeChallenge: string }): string {
    const code = randomToken();
    this.challenges.set(code, codeChallenge);
    if (this.challenges.size > MAX_PENDING_CODES) this.challenges.delete(this.challenges.keys().next().value as string);
    const separator = this.callbackUrl.includes('?') ? '&' : '?';
    return `${this.callbackUrl}${separator}code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`;
  }

  async identify(code: string, codeVerifier: string): Promise<OAuthIdentity> {
    const challenge = this.challenges.get(code);
    this.challenges.delete(code);
    if (challenge === undefined || pkceChallenge(codeVerifier) !== challenge) {
      throw errors.providerError(message('provider_sign_in_failed', { provider: this.provider }));
    }
    return { ...DEMO_USERS[this.provider] };
  }
}

/** MOCK_PROVIDERS=1: an unlink that only records the ids it was given. */
export class FakeKakaoUnlinker implements KakaoUnlinker {
  readonly configured = true;
  readonly unlinked: string[] = [];

  async unlink(kakaoUserId: string): Promise<void> {
    this.unlinked.push(kakaoUserId);
  }
}
