import type { DomainError } from '../../core/shared/index.js';
import type { InstagramAccount, MetaGraph, MetaPermission, MetaToken } from '../../core/instagram/index.js';
import { appsecretProof } from './appsecret-proof.js';
import { ProviderClient, record, text } from '../outbound/create-http-client.js';
import { dialogConfigured, dialogUrlOf, graphFailed, graphRequest, tokenOf } from './graph-request.js';

export interface MetaGraphConfig {
  appId: string | null;
  appSecret: string | null;
  redirectUri: string | null;
  /** Comma-separated permissions, e.g. pages_show_list,instagram_basic. */
  scopes: string;
  dialogUrl: string;
  /** With the version and without a trailing slash (config.ts strips it), e.g. https://graph.facebook.com/v25.0. */
  graphBaseUrl: string;
}

/** Enough for any real user (25 pages of Meta's default 25 accounts); a runaway `next` chain stops here. */
const MAX_PAGES = 25;
const ACCOUNT_FIELDS = 'id,name,access_token,instagram_business_account{id,username}';

/**
 * Facebook Login (code → short-lived → long-lived user token), /me, /me/permissions and /me/accounts on
 * the Graph API. The token goes as the `access_token` query parameter, as Meta documents it: the
 * `paging.next` links Meta returns already carry it there, so following them as given sends it the same
 * way. Every call made with a token also carries `appsecret_proof` (so a stolen token is useless without
 * the app secret, and the app can turn on "Require App Secret"); the two token exchanges carry the
 * secret itself. URLs are therefore secret and never logged; log lines carry status, Graph
 * code/subcode, fbtrace_id only.
 */
export class GotMetaGraph extends ProviderClient<MetaGraphConfig> implements MetaGraph {
  get configured(): boolean {
    return dialogConfigured(this.config);
  }

  dialogUrl(state: string): string {
    return dialogUrlOf(this.config.dialogUrl, this.config, state);
  }

  exchangeCode(code: string): Promise<MetaToken> {
    return this.token('code', {
      client_id: this.config.appId ?? '',
      redirect_uri: this.config.redirectUri ?? '',
      client_secret: this.config.appSecret ?? '',
      code,
    });
  }

  exchangeForLongLived(shortLivedToken: string): Promise<MetaToken> {
    return this.token('long_lived', {
      grant_type: 'fb_exchange_token',
      client_id: this.config.appId ?? '',
      client_secret: this.config.appSecret ?? '',
      fb_exchange_token: shortLivedToken,
    });
  }

  async userId(accessToken: string): Promise<string> {
    const body = await this.get('me', this.withToken(this.graphUrl('/me', { fields: 'id' }), accessToken));
    if (typeof body.id !== 'string' || !/^[0-9]{1,32}$/.test(body.id)) throw this.failed({ step: 'me', reason: 'no id' });
    return body.id;
  }

  async permissions(accessToken: string): Promise<MetaPermission[]> {
    const body = await this.get('permissions', this.withToken(this.graphUrl('/me/permissions', {}), accessToken));
    if (!Array.isArray(body.data)) throw this.failed({ step: 'permissions', reason: 'no data array' });
    return body.data.flatMap((entry) => {
      const { permission, status } = record(entry);
      return typeof permission === 'string' && typeof status === 'string' ? [{ name: permission, status }] : [];
    });
  }

  async listAccounts(accessToken: string): Promise<InstagramAccount[]> {
    const first = this.withToken(this.graphUrl('/me/accounts', { fields: ACCOUNT_FIELDS }), accessToken);
    const accounts: InstagramAccount[] = [];
    let url: URL | null = first;
    for (let page = 1; url; page++) {
      const body = await this.get('accounts', url);
      if (!Array.isArray(body.data)) throw this.failed({ step: 'accounts', reason: 'no data array' });
      for (const entry of body.data) {
        const account = toAccount(entry);
        if (account) accounts.push(account);
      }
      const next = record(body.paging).next;
      url = typeof next === 'string' ? this.followable(next, first.origin, accessToken) : null;
      if (url && page === MAX_PAGES) {
        this.logger.warn({ provider: 'meta', step: 'accounts', pages: page }, 'Meta paging stopped at the page limit');
        url = null;
      }
    }
    return accounts;
  }

  private async token(step: string, query: Record<string, string>): Promise<MetaToken> {
    const token = tokenOf(await this.get(step, this.graphUrl('/oauth/access_token', query)));
    if (!token) throw this.failed({ step, reason: 'no access_token' });
    return token;
  }

  /** One GET → the JSON object of a 2xx, or a DomainError (graphRequest). */
  private get(step: string, url: URL): Promise<Record<string, unknown>> {
    return graphRequest(this.http, this.logger, 'meta', step, (http) => http.get(url.href));
  }

  /** `paging.next` only on the Graph API's own origin (never an arbitrary URL: SSRF), with our token. */
  private followable(next: string, origin: string, accessToken: string): URL | null {
    const url = URL.canParse(next) ? new URL(next) : null;
    if (!url || url.origin !== origin) {
      this.logger.warn({ provider: 'meta', step: 'accounts', reason: 'paging.next off origin' }, 'Meta paging link not followed');
      return null;
    }
    return this.withToken(url, accessToken);
  }

  /** `url` with the token and its appsecret_proof: hex HMAC-SHA256 of the token, keyed with the app secret. */
  private withToken(url: URL, accessToken: string): URL {
    url.searchParams.set('access_token', accessToken);
    url.searchParams.set('appsecret_proof', appsecretProof(this.config.appSecret ?? '', accessToken));
    return url;
  }

  private graphUrl(path: string, query: Record<string, string>): URL {
    const url = new URL(`${this.config.graphBaseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  private failed(details: Record<string, string | number | undefined>): DomainError {
    return graphFailed(this.logger, 'meta', details);
  }
}

function toAccount(entry: unknown): InstagramAccount | null {
  const page = record(entry);
  const ig = record(page.instagram_business_account);
  if (typeof page.id !== 'string' || !page.id || typeof ig.id !== 'string' || !ig.id) return null;
  return {
    pageId: page.id,
    pageName: text(page.name),
    igUserId: ig.id,
    igUsername: text(ig.username),
    pageAccessToken: text(page.access_token),
  };
}
