import { randomBytes } from 'node:crypto';
import { redirectBack, serveFake, takeCanned, type CannedAnswer, type FakeHttpServer, type RecordedRequest } from './fake-http-server.js';
import { newInsights, routeInsights, type FakeMetaInsights } from './fake-meta-insights.js';
import { graphError, newPublishing, routePublishing, type FakeMetaPublishing } from './fake-meta-publishing.js';

/** Also `delayMs`, `delayPaths`, `requests` and `close()`, as every fake server has. */
export interface FakeInstagram extends FakeHttpServer {
  /** INSTAGRAM_AUTHORIZE_URL = `${url}/oauth/authorize`, INSTAGRAM_TOKEN_URL = `${url}/oauth/access_token`, INSTAGRAM_GRAPH_URL = url. */
  url: string;
  /** The professional account that signs in. */
  account: FakeInstagramAccount;
  /** The app-scoped id of its user, as the code exchange (and the app's notices) name it: a JSON number beyond 2^53, as Instagram sends it. */
  appUserId: string;
  /** Scopes the user unticks on the authorize page: the code's permissions leave them out. */
  declined: string[];
  /** The next authorize redirects back with error=access_denied (the user pressed cancel). */
  cancelNext: boolean;
  /** The next token or Graph call answers this instead. */
  failNext?: CannedAnswer;
  /** The fake's clock (ms): a token's age and expiry are read against it. */
  now: () => number;
  /** Every token issued so far has expired. */
  expireTokens(): void;
  /**
   * A 60-day token issued directly (as if through the authorize page and both exchanges) for `account` (default: the one that
   * signs in), with these scopes (default: all three).
   */
  issueToken(scopes?: string[], account?: FakeInstagramAccount): string;
  /** Every long-lived token handed out (exchange and refresh), in order. */
  issuedLongTokens: string[];
  /** Every secret handed out: codes, short-lived and long-lived tokens. */
  issuedSecrets(): string[];
  /** Containers, published posts, the quota and injectable failures: the same model as the Facebook fake's. */
  publishing: FakeMetaPublishing;
  /** The insights calls (as the Facebook fake's): retired metrics, media gone, follower_count left out, every call received. */
  insights: FakeMetaInsights;
  publishCalls(): RecordedRequest[];
}

export interface FakeInstagramAccount {
  igUserId: string;
  username: string;
  accountType: string;
}

interface IssuedToken {
  /** The account it acts for. */
  account: FakeInstagramAccount;
  scopes: string[];
  long: boolean;
  issuedAt: number;
  expiresAt: number;
}

const VERSION = '/v25.0';
const HOUR_MS = 3_600_000;
const LONG_SECONDS = 5_183_944;
export const INSTAGRAM_SCOPES = ['instagram_business_basic', 'instagram_business_content_publish', 'instagram_business_manage_insights'];

/**
 * A stand-in for Instagram Login on 127.0.0.1 (www.instagram.com/oauth/authorize, api.instagram.com/oauth/access_token and
 * graph.instagram.com on one port): the authorize page of an already-consented user, whose code ends in `#_` as Instagram's
 * does; the form POST code exchange (single use, bound to redirect_uri, with the app secret) answering the short-lived token,
 * `user_id` and the granted `permissions`; `ig_exchange_token` (60 days); `ig_refresh_token` (refused under 24 h old or
 * expired); /{v}/me; and the content-publishing calls of the Facebook fake (fake-meta-publishing.ts) with the account's own
 * token and no appsecret_proof.
 */
export async function startFakeInstagram(options: { appId?: string; appSecret?: string } = {}): Promise<FakeInstagram> {
  const appId = options.appId ?? 'instagram-app-id';
  const appSecret = options.appSecret ?? 'instagram-app-secret';
  const codes = new Map<string, { redirectUri: string; used: boolean; scopes: string[] }>();
  const tokens = new Map<string, IssuedToken>();

  const fake: Omit<FakeInstagram, 'url' | 'close'> = {
    account: { igUserId: '17841400000000201', username: 'selfstar.solo', accountType: 'MEDIA_CREATOR' },
    appUserId: '27000000000000042',
    declined: [],
    cancelNext: false,
    now: () => Date.now(),
    delayMs: 0,
    requests: [],
    issuedLongTokens: [],
    issuedSecrets: () => [...codes.keys(), ...tokens.keys()],
    issueToken: (scopes = INSTAGRAM_SCOPES, account = fake.account) => issue(scopes, true, account),
    expireTokens: () => {
      for (const token of tokens.values()) token.expiresAt = fake.now() - 1;
    },
    publishing: newPublishing(),
    insights: newInsights(),
    publishCalls: () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/media_publish')),
  };

  /** api.instagram.com's own error shape. */
  const apiError = (message: string): CannedAnswer => ({
    status: 400,
    body: { error_type: 'OAuthException', code: 400, error_message: message },
  });
  const invalidToken = () => graphError(190, 'Error validating access token: Session has expired.', 463);
  const issue = (scopes: string[], long: boolean, account = fake.account) => {
    const token = `IGAA${randomBytes(48).toString('base64url')}`;
    const issuedAt = fake.now();
    tokens.set(token, { account, scopes, long, issuedAt, expiresAt: issuedAt + (long ? LONG_SECONDS * 1000 : HOUR_MS) });
    if (long) fake.issuedLongTokens.push(token);
    return token;
  };
  const live = (token: string | undefined) => {
    const issued = tokens.get(token ?? '');
    return issued && issued.expiresAt > fake.now() ? issued : null;
  };

  function authorize(query: Record<string, string>): CannedAnswer {
    if (query.client_id !== appId) return apiError('Invalid platform app');
    if (!query.redirect_uri) return apiError('Invalid redirect_uri');
    if (query.response_type !== 'code' || !query.state) return apiError('response_type=code and state are required');
    const state = `&state=${encodeURIComponent(query.state)}`;
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return redirectBack(
        query.redirect_uri,
        `error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request.${state}`,
      );
    }
    const scopes = (query.scope ?? '').split(',').filter((scope) => scope && !fake.declined.includes(scope));
    const code = randomBytes(48).toString('base64url');
    codes.set(code, { redirectUri: query.redirect_uri, used: false, scopes });
    // Instagram appends `#_` to the code: it arrives with it whenever the fragment is passed on.
    return redirectBack(query.redirect_uri, `code=${code}%23_${state}`);
  }

  function exchangeCode(form: Record<string, string>): CannedAnswer {
    if (form.client_id !== appId || form.client_secret !== appSecret) return apiError('Invalid client_secret');
    if (form.grant_type !== 'authorization_code') return apiError('Invalid grant_type');
    const issued = codes.get(form.code ?? '');
    if (!issued || issued.used) return apiError('This authorization code has been used');
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri)
      return apiError('Error validating verification code. Please make sure your redirect_uri is identical');
    const token = issue(issued.scopes, false);
    // user_id as a JSON number beyond 2^53, as Instagram sends it: a client must not read it through a double.
    const body = `{"data":[{"access_token":"${token}","user_id":${fake.appUserId},"permissions":"${issued.scopes.join(',')}"}]}`;
    return { status: 200, body };
  }

  function longLived(query: Record<string, string>): CannedAnswer {
    if (query.client_secret !== appSecret) return graphError(101, 'Error validating client secret.');
    if (query.grant_type !== 'ig_exchange_token') return graphError(100, 'Invalid grant_type');
    const short = live(query.access_token);
    if (!short || short.long) return invalidToken();
    return {
      status: 200,
      body: { access_token: issue(short.scopes, true, short.account), token_type: 'bearer', expires_in: LONG_SECONDS },
    };
  }

  function refresh(query: Record<string, string>): CannedAnswer {
    if (query.grant_type !== 'ig_refresh_token') return graphError(100, 'Invalid grant_type');
    const current = live(query.access_token);
    if (!current || !current.long) return invalidToken();
    if (fake.now() - current.issuedAt < 24 * HOUR_MS) return graphError(100, 'The access token is too young to be refreshed (24 hours).');
    return {
      status: 200,
      body: { access_token: issue(current.scopes, true, current.account), token_type: 'bearer', expires_in: LONG_SECONDS },
    };
  }

  /** The account a token acts for; publishing takes only long-lived tokens. */
  function authorizeAccount(request: RecordedRequest) {
    const issued = live(request.query.access_token);
    if (!issued) return invalidToken();
    return { igUserId: issued.account.igUserId, igUsername: issued.account.username, scopes: issued.scopes, account: issued.account };
  }

  async function route(request: RecordedRequest): Promise<CannedAnswer> {
    if (request.method === 'GET' && request.path === '/oauth/authorize') return authorize(request.query);
    const canned = takeCanned(fake, 'failNext');
    if (canned) return canned;
    if (request.method === 'POST' && request.path === '/oauth/access_token') return exchangeCode(request.form ?? {});
    if (request.method === 'GET' && request.path === '/access_token') return longLived(request.query);
    if (request.method === 'GET' && request.path === '/refresh_access_token') return refresh(request.query);
    if (!request.path.startsWith(`${VERSION}/`)) return { status: 404, body: 'Not Found' };
    const path = request.path.slice(VERSION.length);
    if (request.method === 'GET' && path === '/me') {
      const account = authorizeAccount(request);
      if ('status' in account) return account;
      const { igUserId, username, accountType } = account.account;
      return { status: 200, body: { user_id: igUserId, username, account_type: accountType, id: fake.appUserId } };
    }
    const permissions = { basic: 'instagram_business_basic', publish: 'instagram_business_content_publish' };
    const context = { authorizePage: authorizeAccount, graphError, permissions };
    const insights = routeInsights(fake.insights, fake.publishing, context, request, path, 'instagram_business_manage_insights');
    if (insights) return insights;
    const publishing = await routePublishing(fake.publishing, context, request, path);
    return publishing ?? graphError(100, `Unsupported request: ${path}`);
  }

  return serveFake(fake, route, 'application/json; charset=UTF-8');
}
