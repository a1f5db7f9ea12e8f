import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who signs in next. `style: 'properties'` answers the old shape, without kakao_account.profile. */
export interface FakeKakaoUser {
  /** Digits; written into the JSON as a bare number, as Kakao does. */
  id: string;
  nickname: string;
  image: string | null;
  style?: 'account' | 'properties';
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed body of a form POST. */
  form?: Record<string, string>;
  query: Record<string, string>;
}

/** A canned answer for the next call of one endpoint (then forgotten). */
export interface CannedAnswer {
  status: number;
  /** An object is sent as JSON; a string is sent as it is (e.g. broken JSON). */
  body?: object | string;
  headers?: Record<string, string>;
}

export interface FakeKakao {
  /** Serves both KAKAO_AUTH_BASE_URL and KAKAO_API_BASE_URL. */
  url: string;
  nextUser: FakeKakaoUser;
  /** The next authorize redirects back with error=access_denied (the user pressed cancel). */
  cancelNext: boolean;
  /** The next POST /oauth/token answers this instead (e.g. a KOE320 body, or a 302). */
  failToken?: CannedAnswer;
  /** The next GET /v2/user/me answers this instead. */
  failUser?: CannedAnswer;
  /** Every answer waits this long (timeout tests)… */
  delayMs: number;
  /** …or, when set, only the answers to these paths. */
  delayPaths?: string[];
  /** Everything received, in order. */
  requests: RecordedRequest[];
  /** target_id of every successful unlink. */
  unlinked: string[];
  close(): Promise<void>;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  user: FakeKakaoUser;
  used: boolean;
}

/**
 * A stand-in for kauth.kakao.com and kapi.kakao.com on 127.0.0.1: the authorize redirect of an
 * already-consented user, the token exchange with PKCE and single-use codes, /v2/user/me and the
 * admin-key unlink, with Kakao's request and error shapes.
 */
export async function startFakeKakao(options: { clientId?: string; clientSecret?: string; adminKey?: string } = {}): Promise<FakeKakao> {
  const clientId = options.clientId ?? 'kakao-client-id';
  const adminKey = options.adminKey ?? 'kakao-admin-key';
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, FakeKakaoUser>();
  const timers = new Set<NodeJS.Timeout>();

  const fake: FakeKakao = {
    url: '',
    nextUser: { id: '1234567890123456789', nickname: '카카오유저', image: null },
    cancelNext: false,
    delayMs: 0,
    requests: [],
    unlinked: [],
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  type Answer = { status: number; body?: object | string; headers?: Record<string, string> };
  const kakaoError = (error: string, description: string, errorCode?: string): Answer => ({
    status: 400,
    body: { error, error_description: description, ...(errorCode ? { error_code: errorCode } : {}) },
  });

  function authorize(query: Record<string, string>): Answer {
    if (query.client_id !== clientId) return kakaoError('invalid_client', `Bad client credentials`, 'KOE101');
    if (query.response_type !== 'code') return kakaoError('invalid_request', 'response_type must be code');
    if (!query.redirect_uri) return kakaoError('invalid_request', 'redirect_uri is required', 'KOE006');
    if (query.code_challenge_method !== 'S256' || !query.code_challenge) return kakaoError('invalid_request', 'PKCE S256 code_challenge required');
    const back = (params: string) => ({
      status: 302,
      headers: { location: `${query.redirect_uri}${query.redirect_uri.includes('?') ? '&' : '?'}${params}` },
    });
    const state = query.state === undefined ? '' : `&state=${encodeURIComponent(query.state)}`;
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return back(`error=access_denied&error_description=User%20denied%20access${state}`);
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId, redirectUri: query.redirect_uri, challenge: query.code_challenge, scope: query.scope ?? '', user: { ...fake.nextUser }, used: false,
    });
    return back(`code=${code}${state}`);
  }

  function token(form: Record<string, string>): Answer {
    if (fake.failToken) {
      const canned = fake.failToken;
      fake.failToken = undefined;
      return canned;
    }
    if (form.grant_type !== 'authorization_code') return kakaoError('unsupported_grant_type', 'grant_type must be authorization_code');
    if (form.client_id !== clientId) return kakaoError('invalid_client', 'Bad client credentials', 'KOE010');
    if (options.clientSecret !== undefined && form.client_secret !== options.clientSecret) {
      return kakaoError('invalid_client', 'Bad client credentials', 'KOE010');
    }
    const issued = form.code ? codes.get(form.code) : undefined;
    if (!issued || issued.used) return kakaoError('invalid_grant', `authorization code not found for code=${form.code ?? ''}`, 'KOE320');
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri) return kakaoError('invalid_grant', 'Redirect URI mismatch.', 'KOE006');
    const challenge = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
    if (!form.code_verifier || challenge !== issued.challenge) return kakaoError('invalid_grant', 'PKCE verification failed');
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, issued.user);
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        access_token: accessToken,
        expires_in: 21599,
        refresh_token: randomBytes(32).toString('base64url'),
        refresh_token_expires_in: 5183999,
        scope: issued.scope ? issued.scope.split(',').join(' ') : 'profile_nickname profile_image',
      },
    };
  }

  function me(headers: IncomingHttpHeaders): Answer {
    if (fake.failUser) {
      const canned = fake.failUser;
      fake.failUser = undefined;
      return canned;
    }
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const user = bearer ? tokens.get(bearer) : undefined;
    if (!user) return { status: 401, body: { msg: 'this access token does not exist', code: -401 } };
    const images = user.image ? { profile_image: user.image, thumbnail_image: user.image } : {};
    const profile = {
      nickname: user.nickname,
      ...(user.image ? { thumbnail_image_url: user.image, profile_image_url: user.image } : {}),
      is_default_image: user.image === null,
    };
    const rest = JSON.stringify({
      connected_at: '2024-05-01T09:00:00Z',
      properties: { nickname: user.nickname, ...images },
      kakao_account: user.style === 'properties'
        ? { profile_nickname_needs_agreement: false }
        : { profile_nickname_needs_agreement: false, profile },
    });
    return { status: 200, body: `{"id":${bareNumber(user.id)},${rest.slice(1)}` };
  }

  function unlink(headers: IncomingHttpHeaders, form: Record<string, string>): Answer {
    if (headers.authorization !== `KakaoAK ${adminKey}`) {
      return { status: 401, body: { msg: 'wrong appKey type. this api requires admin key', code: -401 } };
    }
    if (form.target_id_type !== 'user_id' || !/^\d+$/.test(form.target_id ?? '')) {
      return { status: 400, body: { msg: 'target_id_type=user_id and a numeric target_id are required', code: -2 } };
    }
    fake.unlinked.push(form.target_id);
    return { status: 200, body: `{"id":${bareNumber(form.target_id)}}` };
  }

  function route(request: RecordedRequest): Answer {
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /oauth/authorize') return authorize(request.query);
    if (key === 'POST /oauth/token') return token(request.form ?? {});
    if (key === 'GET /v2/user/me' || key === 'POST /v2/user/me') return me(request.headers);
    if (key === 'POST /v1/user/unlink') return unlink(request.headers, request.form ?? {});
    return { status: 404, body: { msg: 'not found', code: -1 } };
  }

  const server = createServer(async (req, res) => {
    const recorded = await record(req).catch(() => null);
    if (!recorded) return void res.destroy();
    fake.requests.push(recorded);
    const answer = route(recorded);
    const delayed = fake.delayMs > 0 && (!fake.delayPaths || fake.delayPaths.includes(recorded.path));
    if (!delayed) return reply(res, answer);
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply(res, answer);
    }, fake.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function bareNumber(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`fake Kakao ids are digits, got ${digits}`);
  return digits;
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    headers: req.headers,
    ...(isForm ? { form: Object.fromEntries(new URLSearchParams(body)) } : {}),
    query: Object.fromEntries(url.searchParams),
  };
}

function reply(res: ServerResponse, answer: { status: number; body?: object | string; headers?: Record<string, string> }): void {
  if (res.destroyed) return;
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(text ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
    ...answer.headers,
  });
  res.end(text);
}
