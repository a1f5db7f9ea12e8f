import { errors, message } from '../../core/shared/index.js';
import { randomToken } from '../../core/identity/index.js';
import type { InstagramLoginAccount, InstagramLoginApi, InstagramLoginGrant, MetaToken } from '../../core/instagram/index.js';
import { remember } from './fake-meta-graph.js';

/** 60 days, as Instagram answers for a long-lived token. */
const EXPIRES_IN_SECONDS = 5_184_000;
/** The demo professional account, apart from the Facebook demo's Page accounts so both paths can be tried side by side. */
export const DEMO_INSTAGRAM_ACCOUNT = { igUserId: '17841400000000003', username: 'selfstar.solo', accountType: 'MEDIA_CREATOR' };
/** The demo user's app-scoped id for the Instagram app. */
const DEMO_APP_USER_ID = '27000000000000042';

/**
 * MOCK_PROVIDERS=1: Instagram Login without network or keys. The "authorize page" is our own callback with a
 * fresh single-use code, to which `#_` is appended as Instagram does; the demo account grants every scope.
 * Tokens are only good if this instance issued them (after a restart, stored tokens answer persona_oauth_expired).
 */
export class FakeInstagramLoginApi implements InstagramLoginApi {
  readonly configured = true;
  private readonly codes = new Set<string>();
  private readonly shortTokens = new Set<string>();
  private readonly longTokens = new Set<string>();

  constructor(
    private readonly redirectUri: string,
    /** INSTAGRAM_SCOPES: the demo account grants each. */
    private readonly scopes: string[],
  ) {}

  dialogUrl(state: string): string {
    const code = remember(this.codes, randomToken());
    const separator = this.redirectUri.includes('?') ? '&' : '?';
    return `${this.redirectUri}${separator}code=${encodeURIComponent(`${code}#_`)}&state=${encodeURIComponent(state)}`;
  }

  async exchangeCode(code: string): Promise<InstagramLoginGrant> {
    if (!this.codes.delete(code)) throw errors.upstreamUnavailable(message('meta_unanswered'));
    return {
      accessToken: remember(this.shortTokens, `mock-ig-short-${randomToken()}`),
      userId: DEMO_APP_USER_ID,
      permissions: this.scopes,
    };
  }

  async exchangeForLongLived(shortLivedToken: string): Promise<MetaToken> {
    if (!this.shortTokens.delete(shortLivedToken)) throw errors.personaOauthExpired();
    return this.longLived();
  }

  async account(accessToken: string): Promise<InstagramLoginAccount> {
    if (!this.longTokens.has(accessToken)) throw errors.personaOauthExpired();
    return {
      igUserId: DEMO_INSTAGRAM_ACCOUNT.igUserId,
      username: DEMO_INSTAGRAM_ACCOUNT.username,
      accountType: DEMO_INSTAGRAM_ACCOUNT.accountType,
    };
  }

  async refresh(accessToken: string): Promise<MetaToken> {
    if (!this.longTokens.delete(accessToken)) throw errors.personaOauthExpired();
    return this.longLived();
  }

  /** The Instagram account a token handed out here publishes to (FakeInstagramPublisher asks). */
  igUserOfToken(token: string): string | null {
    return this.longTokens.has(token) ? DEMO_INSTAGRAM_ACCOUNT.igUserId : null;
  }

  private longLived(): MetaToken {
    return { accessToken: remember(this.longTokens, `mock-ig-long-${randomToken()}`), expiresInSeconds: EXPIRES_IN_SECONDS };
  }
}
