import { errors, message, type Clock } from '../../shared/index.js';
import type { Provider } from '../user.js';
import { pkceChallenge, randomToken, safeNextPath, STATE_TTL_MS } from '../oauth-flow.js';
import type { OAuthProvider } from '../ports/oauth-provider.js';

/** What the browser's session keeps between login and callback. */
export interface PendingSignIn {
  provider: Provider;
  state: string;
  codeVerifier: string;
  next: string;
  /** ms since epoch */
  expiresAt: number;
}

/** Starts a sign-in: a one-time state and a PKCE verifier, and the provider's consent URL. */
export class StartSignIn {
  constructor(
    private readonly providers: Record<Provider, OAuthProvider>,
    private readonly clock: Clock,
  ) {}

  execute({ provider, next }: { provider: Provider; next?: string }): { url: string; pending: PendingSignIn } {
    const oauth = this.providers[provider];
    if (!oauth.configured) {
      throw errors.providerNotConfigured(message('sign_in_not_configured', { provider }));
    }
    const state = randomToken();
    const codeVerifier = randomToken();
    return {
      url: oauth.authorizationUrl({ state, codeChallenge: pkceChallenge(codeVerifier) }),
      pending: { provider, state, codeVerifier, next: safeNextPath(next), expiresAt: this.clock.now().getTime() + STATE_TTL_MS },
    };
  }
}
