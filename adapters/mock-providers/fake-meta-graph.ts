import { DomainError, errors, message } from '../../core/shared/index.js';
import { randomToken } from '../../core/identity/index.js';
import type { InstagramAccount, MetaGraph, MetaPermission, MetaToken } from '../../core/instagram/index.js';

/** About 60 days, as Meta answers for a long-lived user token. */
const EXPIRES_IN_SECONDS = 5_184_000;
/** Codes and tokens handed out are forgotten, oldest first, past this many. */
const MAX_REMEMBERED = 1000;

/** The demo user's app-scoped id: every mock token is theirs. */
const DEMO_USER_ID = '100000000000042';

/** The demo user's three Facebook pages, two with an Instagram business account. */
const DEMO_PAGES: { pageId: string; pageName: string; ig: { id: string; username: string } | null }[] = [
  { pageId: '100000000000001', pageName: 'SelfStar Demo', ig: { id: '17841400000000001', username: 'selfstar.demo' } },
  { pageId: '100000000000002', pageName: '셀프스타 데모', ig: { id: '17841400000000002', username: '셀프스타_데모' } },
  { pageId: '100000000000003', pageName: 'Page without Instagram', ig: null },
];

/**
 * MOCK_PROVIDERS=1: Facebook Login, /me, /me/permissions and /me/accounts (with a Page token per page) without network or keys
 * (so no wire for an appsecret_proof: the loopback fake server in test/support checks that). The "dialog" is our own
 * callback with a fresh single-use code, so the browser goes straight through; tokens are only good
 * if this instance issued them (after a restart, stored tokens answer persona_oauth_expired, as an
 * expired one would).
 */
export class FakeMetaGraph implements MetaGraph {
  readonly configured = true;
  private readonly codes = new Set<string>();
  private readonly shortTokens = new Set<string>();
  private readonly longTokens = new Set<string>();
  /** Page token → the Instagram account it publishes to. */
  private readonly pageTokens = new Map<string, string>();

  constructor(
    private readonly redirectUri: string,
    /** META_SCOPES: the demo user grants each. */
    private readonly scopes: string[],
  ) {}

  dialogUrl(state: string): string {
    const code = randomToken();
    remember(this.codes, code);
    const separator = this.redirectUri.includes('?') ? '&' : '?';
    return `${this.redirectUri}${separator}code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`;
  }

  async exchangeCode(code: string): Promise<MetaToken> {
    if (!this.codes.delete(code)) throw errors.upstreamUnavailable(message('meta_unanswered'));
    return { accessToken: remember(this.shortTokens, `mock-short-${randomToken()}`), expiresInSeconds: 3600 };
  }

  async exchangeForLongLived(shortLivedToken: string): Promise<MetaToken> {
    if (!this.shortTokens.has(shortLivedToken)) throw expired();
    return { accessToken: remember(this.longTokens, `mock-long-${randomToken()}`), expiresInSeconds: EXPIRES_IN_SECONDS };
  }

  async userId(accessToken: string): Promise<string> {
    if (!this.longTokens.has(accessToken)) throw expired();
    return DEMO_USER_ID;
  }

  async permissions(accessToken: string): Promise<MetaPermission[]> {
    if (!this.longTokens.has(accessToken)) throw expired();
    return this.scopes.map((name) => ({ name, status: 'granted' }));
  }

  async listAccounts(accessToken: string): Promise<InstagramAccount[]> {
    if (!this.longTokens.has(accessToken)) throw expired();
    return DEMO_PAGES.flatMap(({ pageId, pageName, ig }) => {
      if (!ig) return [];
      const pageAccessToken = `mock-page-${randomToken()}`;
      this.pageTokens.set(pageAccessToken, ig.id);
      if (this.pageTokens.size > MAX_REMEMBERED) this.pageTokens.delete(this.pageTokens.keys().next().value as string);
      return [{ pageId, pageName, igUserId: ig.id, igUsername: ig.username, pageAccessToken }];
    });
  }

  /** The Instagram account a Page token handed out here publishes to (FakeInstagramPublisher asks). */
  igUserOfPageToken(token: string): string | null {
    return this.pageTokens.get(token) ?? null;
  }
}

/** Adds `value` to `set`, forgetting the oldest past MAX_REMEMBERED; → value. */
export function remember(set: Set<string>, value: string): string {
  set.add(value);
  if (set.size > MAX_REMEMBERED) set.delete(set.values().next().value as string);
  return value;
}

function expired(): DomainError {
  return errors.personaOauthExpired();
}
