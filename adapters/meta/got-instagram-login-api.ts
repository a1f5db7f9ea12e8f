import type { Logger } from 'pino';
import type { DomainError } from '../../core/shared/index.js';
import type { InstagramLoginApi, InstagramLoginAccount, InstagramLoginGrant, MetaToken } from '../../core/instagram/index.js';
import { ProviderClient, record, text } from '../outbound/create-http-client.js';
import { dialogConfigured, dialogUrlOf, graphFailed, graphRequest, tokenOf } from './graph-request.js';

export interface InstagramLoginConfig {
  appId: string | null;
  appSecret: string | null;
  redirectUri: string | null;
  /** Comma-separated, e.g. instagram_business_basic,instagram_business_content_publish. */
  scopes: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Without a trailing slash, e.g. https://graph.instagram.com. */
  graphUrl: string;
  /** e.g. v25.0: the versioned calls go to {graphUrl}/{apiVersion}/… */
  apiVersion: string;
}

const DIGITS = /^[0-9]{1,32}$/;

/**
 * Instagram Login on api.instagram.com and graph.instagram.com: code → short-lived token (a form POST with the
 * app secret), → 60-day token (`ig_exchange_token`), refresh (`ig_refresh_token`), /me. Tokens go as the
 * `access_token` query parameter, as Instagram documents it, so URLs are secret and never logged.
 */
export class GotInstagramLoginApi extends ProviderClient<InstagramLoginConfig> implements InstagramLoginApi {
  constructor(config: InstagramLoginConfig, logger: Logger, timeoutMs = 10_000) {
    super(config, logger, timeoutMs);
  }

  get configured(): boolean {
    return dialogConfigured(this.config);
  }

  dialogUrl(state: string): string {
    return dialogUrlOf(this.config.authorizeUrl, this.config, state);
  }

  async exchangeCode(code: string): Promise<InstagramLoginGrant> {
    let raw = '';
    const form = {
      client_id: this.config.appId ?? '',
      client_secret: this.config.appSecret ?? '',
      grant_type: 'authorization_code',
      redirect_uri: this.config.redirectUri ?? '',
      code,
    };
    const body = await graphRequest(this.http, this.logger, 'instagram', 'code', async (http) => {
      const response = await http.post(this.config.tokenUrl, { form });
      raw = response.body;
      return response;
    });
    // Instagram answers either the grant itself or {data: [grant]}.
    const grant = Array.isArray(body.data) ? record(body.data[0]) : body;
    const token = tokenOf(grant);
    const userId = idOf(grant.user_id, raw);
    if (!token || !userId) throw this.failed({ step: 'code', reason: 'no access_token or user_id' });
    return { accessToken: token.accessToken, userId, permissions: permissionsOf(grant.permissions) };
  }

  exchangeForLongLived(shortLivedToken: string): Promise<MetaToken> {
    const query = { grant_type: 'ig_exchange_token', client_secret: this.config.appSecret ?? '', access_token: shortLivedToken };
    return this.token('long_lived', this.url('/access_token', query));
  }

  refresh(accessToken: string): Promise<MetaToken> {
    return this.token('refresh', this.url('/refresh_access_token', { grant_type: 'ig_refresh_token', access_token: accessToken }));
  }

  async account(accessToken: string): Promise<InstagramLoginAccount> {
    const url = this.url(`/${this.config.apiVersion}/me`, { fields: 'user_id,username,account_type', access_token: accessToken });
    const body = await this.get('me', url);
    const igUserId = typeof body.user_id === 'number' ? String(body.user_id) : body.user_id;
    if (typeof igUserId !== 'string' || !DIGITS.test(igUserId)) throw this.failed({ step: 'me', reason: 'no user_id' });
    return { igUserId, username: text(body.username), accountType: text(body.account_type) };
  }

  private async token(step: string, url: URL): Promise<MetaToken> {
    const token = tokenOf(await this.get(step, url));
    if (!token) throw this.failed({ step, reason: 'no access_token' });
    return token;
  }

  private get(step: string, url: URL): Promise<Record<string, unknown>> {
    return graphRequest(this.http, this.logger, 'instagram', step, (http) => http.get(url.href));
  }

  private url(path: string, query: Record<string, string>): URL {
    const url = new URL(`${this.config.graphUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  private failed(details: Record<string, string | number | undefined>): DomainError {
    return graphFailed(this.logger, 'instagram', details);
  }
}

/** A user id as a string; a JSON number beyond 2^53 lost digits in JSON.parse, so it is read from the raw text. */
function idOf(value: unknown, raw: string): string | null {
  if (typeof value === 'string') return DIGITS.test(value) ? value : null;
  if (typeof value !== 'number') return null;
  const digits = /"user_id"\s*:\s*([0-9]{1,32})/.exec(raw)?.[1] ?? null;
  return digits;
}

/** `permissions` as a comma-separated string or an array of names. */
function permissionsOf(value: unknown): string[] {
  const names = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  return names.flatMap((name) => (typeof name === 'string' && name.trim() !== '' ? [name.trim()] : []));
}
