import { createHmac, randomBytes } from 'node:crypto';
import {
  bearerToken,
  redirectBack,
  serveFake,
  takeCanned,
  type CannedAnswer,
  type FakeHttpServer,
  type RecordedRequest,
} from './fake-http-server.js';
import { INSIGHTS_SCOPE, newInsights, routeInsights, type FakeMetaInsights } from './fake-meta-insights.js';
import { graphError, newPublishing, routePublishing, type FakeMetaPublishing } from './fake-meta-publishing.js';

export type { CannedAnswer, RecordedRequest } from './fake-http-server.js';

/** A Facebook page the user manages, with the Instagram business account connected to it, if any. */
export interface FakeMetaPage {
  id: string;
  name: string;
  ig?: { id: string; username: string };
}

/** Also `delayMs`, `delayPaths`, `requests` and `close()`, as every fake server has. */
export interface FakeMeta extends FakeHttpServer {
  /** META_DIALOG_URL = `${url}/dialog/oauth`, META_GRAPH_BASE_URL = `${url}/v25.0`. */
  url: string;
  /** What GET /v25.0/me/accounts lists, in order. */
  pages: FakeMetaPage[];
  /** Accounts per answer of /me/accounts (default 2); a `limit` query parameter overrides it. */
  pageSize: number;
  /** The next dialog redirects back with error=access_denied (the user pressed cancel). */
  cancelNext: boolean;
  /** The app-scoped id of the (one) Facebook user behind every token, as GET /me answers it. */
  userId: string;
  /** Permissions the user unticks in the dialog: /me/permissions lists them as declined. */
  declined: string[];
  /** The next request under /v25.0 (token exchange or /me/accounts) answers this instead. */
  failNext?: CannedAnswer;
  /** Every token issued so far now answers code 190 (subcode 463); tokens issued later work. */
  expireTokens(): void;
  /** Every long-lived token handed out by fb_exchange_token, in order. */
  issuedLongTokens: string[];
  /** Every secret handed out: codes, short-lived, long-lived and Page tokens. */
  issuedSecrets(): string[];
  /** The Page token /me/accounts handed out last for this page. */
  pageTokenOf(pageId: string): string | undefined;
  /** A Page token issued directly (as if through the dialog and /me/accounts) with these scopes (default: publishing's and insights'). */
  issuePageToken(pageId: string, scopes?: string[]): string;
  /** Containers, published posts, the quota and injectable failures of the content-publishing calls. */
  publishing: FakeMetaPublishing;
  /** The insights calls: retired metrics, media gone, follower_count left out, every call received. */
  insights: FakeMetaInsights;
  /** Every media_publish received (whatever came of it). */
  publishCalls(): RecordedRequest[];
}

interface IssuedCode {
  redirectUri: string;
  used: boolean;
  /** The dialog's `scope`, handed on to the tokens. */
  scopes: string[];
}

interface IssuedToken {
  expired: boolean;
  scopes: string[];
  /** Set on a Page token: the page it acts for. */
  pageId?: string;
}

const GRAPH = '/v25.0';
/** expires_in of every token answer (Meta's documented sample for a long-lived token). */
const EXPIRES_IN = 5183944;

/**
 * A stand-in for Facebook Login and the Graph API on 127.0.0.1: the dialog of an already-consented
 * user, the code exchange (single-use codes bound to the dialog's redirect_uri), fb_exchange_token,
 * /me, /me/permissions (the dialog's scopes, less those `declined`), /me/accounts with cursor
 * paging (and each page's Page token when asked for `access_token`), the content-publishing calls
 * (fake-meta-publishing.ts), with Meta's request and error shapes (`{ error: { message, type, code, error_subcode,
 * fbtrace_id } }`, status 400). Like an app with "Require App Secret" on, every call made with a token
 * must carry its appsecret_proof (hex HMAC-SHA256 of the token keyed with the app secret).
 */
export async function startFakeMeta(options: { appId?: string; appSecret?: string } = {}): Promise<FakeMeta> {
  const appId = options.appId ?? 'meta-app-id';
  const appSecret = options.appSecret ?? 'meta-app-secret';
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, IssuedToken>();
  /** The Page token of each (user token, page). */
  const pageTokens = new Map<string, string>();

  const fake: Omit<FakeMeta, 'url' | 'close'> = {
    pages: [
      { id: '104000000000001', name: 'SelfStar Studio', ig: { id: '17841400000000101', username: 'selfstar.studio' } },
      { id: '104000000000002', name: 'Page without Instagram' },
      { id: '104000000000003', name: '셀프스타 한국', ig: { id: '17841400000000102', username: '셀프스타_공식' } },
    ],
    pageSize: 2,
    cancelNext: false,
    userId: '10157000000000001',
    declined: [],
    delayMs: 0,
    requests: [],
    issuedLongTokens: [],
    issuedSecrets: () => [...codes.keys(), ...tokens.keys()],
    pageTokenOf: (pageId) => [...tokens].findLast(([, issued]) => issued.pageId === pageId)?.[0],
    issuePageToken: (pageId, scopes = ['pages_show_list', 'instagram_basic', 'instagram_content_publish', INSIGHTS_SCOPE]) =>
      issue(scopes, pageId),
    publishing: newPublishing(),
    insights: newInsights(),
    publishCalls: () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/media_publish')),
    expireTokens: () => {
      for (const token of tokens.values()) token.expired = true;
    },
  };

  const sessionExpired = () =>
    graphError(
      190,
      'Error validating access token: Session has expired on Friday, 01-May-26 09:00:00 PDT. The current time is Saturday, 02-May-26 09:00:00 PDT.',
      463,
    );
  const issue = (scopes: string[], pageId?: string) => {
    const token = `EAAG${randomBytes(48).toString('base64url')}`;
    tokens.set(token, { expired: false, scopes, ...(pageId ? { pageId } : {}) });
    return token;
  };
  /** A Page token, as /me/accounts hands one out per page when asked for `access_token`. */
  const pageToken = (userToken: string, pageId: string) => {
    const key = `${userToken}:${pageId}`;
    const known = pageTokens.get(key);
    if (known) return known;
    const token = issue(tokens.get(userToken)?.scopes ?? [], pageId);
    pageTokens.set(key, token);
    return token;
  };

  function dialog(query: Record<string, string>): CannedAnswer {
    if (query.client_id !== appId) return graphError(101, 'Error validating application. Invalid application ID.');
    if (!query.redirect_uri) return graphError(191, 'The redirect_uri is missing or not allowed.');
    if (query.response_type !== 'code') return graphError(100, 'response_type must be code');
    if (!query.state) return graphError(100, 'state is required');
    const state = `&state=${encodeURIComponent(query.state)}`;
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return redirectBack(
        query.redirect_uri,
        `error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied${state}`,
      );
    }
    const code = randomBytes(48).toString('base64url');
    codes.set(code, { redirectUri: query.redirect_uri, used: false, scopes: (query.scope ?? '').split(',').filter(Boolean) });
    return redirectBack(query.redirect_uri, `code=${code}${state}`);
  }

  function accessToken(query: Record<string, string>): CannedAnswer {
    if (query.client_id !== appId) return graphError(101, 'Error validating application. Invalid application ID.');
    if (query.client_secret !== appSecret) return graphError(1, 'Error validating client secret.');
    if (query.grant_type === 'fb_exchange_token') {
      const short = tokens.get(query.fb_exchange_token ?? '');
      if (short === undefined) return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
      if (short.expired) return sessionExpired();
      const token = issue(short.scopes);
      fake.issuedLongTokens.push(token);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: EXPIRES_IN } };
    }
    if (!query.code) return graphError(100, 'Missing authorization code');
    const issued = codes.get(query.code);
    if (!issued) return graphError(100, 'Invalid verification code format.');
    if (issued.used) return graphError(100, 'This authorization code has been used.', 36009);
    issued.used = true;
    if (query.redirect_uri !== issued.redirectUri) {
      return graphError(
        100,
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
        36008,
      );
    }
    return { status: 200, body: { access_token: issue(issued.scopes), token_type: 'bearer', expires_in: EXPIRES_IN } };
  }

  /** The token of a call, once it is known, unexpired and proven with the app secret; else Meta's refusal. */
  function authorize(request: RecordedRequest): { token: string; issued: IssuedToken } | CannedAnswer {
    const token = request.query.access_token ?? bearerToken(request.headers);
    if (!token) return graphError(2500, 'An active access token must be used to query information about the current user.');
    const proof = request.query.appsecret_proof;
    if (!proof) return graphError(100, 'API calls from the server require an appsecret_proof argument', undefined, 'GraphMethodException');
    if (proof !== createHmac('sha256', appSecret).update(token).digest('hex'))
      return graphError(100, 'Invalid appsecret_proof provided in the API argument', undefined, 'GraphMethodException');
    const issued = tokens.get(token);
    if (!issued || issued.expired) return sessionExpired();
    return { token, issued };
  }

  function me(issued: IssuedToken, path: string): CannedAnswer {
    if (path === '/me') return { status: 200, body: { id: fake.userId } };
    const granted = ['public_profile', ...issued.scopes];
    const data = granted.map((permission) => ({ permission, status: fake.declined.includes(permission) ? 'declined' : 'granted' }));
    return { status: 200, body: { data } };
  }

  function accounts(request: RecordedRequest, token: string): CannedAnswer {
    const { after, fields } = request.query;
    const limit = /^[1-9]\d{0,2}$/.test(request.query.limit ?? '') ? Number(request.query.limit) : fake.pageSize;
    const start = after === undefined ? 0 : fake.pages.findIndex((page) => cursor(page) === after) + 1;
    if (start === 0 && after !== undefined) return graphError(100, 'Invalid cursor');
    const slice = fake.pages.slice(start, start + limit);
    const data = slice.map((page) => pageFields(page, fields ?? 'id,name', () => pageToken(token, page.id)));
    if (slice.length === 0) return { status: 200, body: { data } };
    const link = (param: 'after' | 'before', value: string) => {
      const next = new URL(`${(fake as Partial<FakeMeta>).url}${GRAPH}/me/accounts`);
      next.search = new URLSearchParams({
        access_token: token,
        ...(fields ? { fields } : {}),
        limit: String(limit),
        [param]: value,
      }).toString();
      return next.href;
    };
    const paging = {
      cursors: { before: cursor(slice[0]), after: cursor(slice.at(-1)!) },
      ...(start > 0 ? { previous: link('before', cursor(slice[0])) } : {}),
      ...(start + limit < fake.pages.length ? { next: link('after', cursor(slice.at(-1)!)) } : {}),
    };
    return { status: 200, body: { data, paging } };
  }

  /** A Page token's Instagram account; user tokens are refused (publishing must use the Page token). */
  function authorizePage(request: RecordedRequest): { igUserId: string; igUsername: string; scopes: string[] } | CannedAnswer {
    const authorized = authorize(request);
    if ('status' in authorized) return authorized;
    const page = fake.pages.find((candidate) => candidate.id === authorized.issued.pageId);
    if (!page?.ig) return graphError(10, '(#10) This call requires a Page access token of the page connected to the Instagram account.');
    return { igUserId: page.ig.id, igUsername: page.ig.username, scopes: authorized.issued.scopes };
  }

  async function route(request: RecordedRequest): Promise<CannedAnswer> {
    if (request.method === 'GET' && (request.path === '/dialog/oauth' || request.path === `${GRAPH}/dialog/oauth`))
      return dialog(request.query);
    if (!request.path.startsWith(`${GRAPH}/`)) return { status: 404, body: 'Not Found' };
    const canned = takeCanned(fake, 'failNext');
    if (canned) return canned;
    const key = `${request.method} ${request.path.slice(GRAPH.length)}`;
    if (key === 'GET /oauth/access_token') return accessToken(request.query);
    if (!['GET /me/accounts', 'GET /me', 'GET /me/permissions'].includes(key)) {
      const path = request.path.slice(GRAPH.length);
      const insights = routeInsights(fake.insights, fake.publishing, { authorizePage, graphError }, request, path);
      if (insights) return insights;
      const publishing = await routePublishing(fake.publishing, { authorizePage, graphError }, request, path);
      return publishing ?? graphError(2500, `Unknown path components: ${path}`);
    }
    const authorized = authorize(request);
    if ('status' in authorized) return authorized;
    if (key === 'GET /me/accounts') return accounts(request, authorized.token);
    return me(authorized.issued, key.slice('GET '.length));
  }

  return serveFake(fake, route, 'application/json; charset=UTF-8');
}

/** Meta's cursors are opaque base64 strings. */
function cursor(page: FakeMetaPage): string {
  return Buffer.from(`page:${page.id}`).toString('base64');
}

/** The page as Graph answers it for `fields`, e.g. `id,name,instagram_business_account{id,username}`. */
function pageFields(page: FakeMetaPage, fields: string, pageToken: () => string): Record<string, unknown> {
  const wanted = new Map<string, string>();
  for (const match of fields.matchAll(/([a-z_]+)(?:\{([^}]*)\})?/g)) wanted.set(match[1], match[2] ?? 'id');
  const out: Record<string, unknown> = {};
  if (wanted.has('name')) out.name = page.name;
  if (wanted.has('access_token')) out.access_token = pageToken();
  const igFields = wanted.get('instagram_business_account');
  if (igFields !== undefined && page.ig) {
    const subfields = igFields.split(',');
    out.instagram_business_account = { id: page.ig.id, ...(subfields.includes('username') ? { username: page.ig.username } : {}) };
  }
  out.id = page.id;
  return out;
}
