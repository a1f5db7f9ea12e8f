import { errors, message, type Clock } from '../../shared/index.js';
import { sameSecret } from '../oauth-flow.js';
import type { Provider, User } from '../user.js';
import type { OAuthProvider } from '../ports/oauth-provider.js';
import type { UsedStateStore } from '../ports/used-state-store.js';
import type { PendingSignIn } from './start-sign-in.js';
import type { UpsertOAuthUser } from './upsert-oauth-user.js';

export interface CallbackQuery {
  code?: string;
  state?: string;
  /** Set by the provider instead of `code` when the user cancelled or the request failed. */
  error?: string;
}

/**
 * Finishes a sign-in: the pending sign-in (from this browser) must match the state, once, within its
 * lifetime. Throws DomainError with the code the browser is sent back with:
 * state_mismatch, access_denied or provider_error.
 */
export class CompleteSignIn {
  constructor(
    private readonly providers: Record<Provider, OAuthProvider>,
    private readonly upsertUser: UpsertOAuthUser,
    private readonly usedStates: UsedStateStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: {
    provider: Provider;
    pending: PendingSignIn | undefined;
    query: CallbackQuery;
  }): Promise<{ user: User; next: string }> {
    const { provider, pending, query } = input;
    if (
      !pending ||
      pending.provider !== provider ||
      !sameSecret(pending.state, query.state) ||
      pending.expiresAt <= this.clock.now().getTime()
    ) {
      throw errors.stateMismatch();
    }
    // The browser drops its sign-in cookie at the callback, but a copy of cookie and URL must not work twice.
    if (!(await this.usedStates.markUsed(pending.state, new Date(pending.expiresAt)))) {
      throw errors.stateMismatch();
    }
    // OAuth 2.0's own error value for a user who said no (RFC 6749 §4.1.2.1), not one of our codes.
    if (query.error === 'access_denied') {
      throw errors.accessDenied(message('sign_in_cancelled'));
    }
    if (query.error || !query.code) {
      throw errors.providerError();
    }
    const identity = await this.providers[provider].identify(query.code, pending.codeVerifier);
    return { user: await this.upsertUser.execute(identity), next: pending.next };
  }
}
