import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  bearerToken,
  redirectBack,
  s256,
  serveFake,
  takeCanned,
  type CannedAnswer,
  type FakeHttpServer,
  type RecordedRequest,
} from './fake-http-server.js';

export type { CannedAnswer, RecordedRequest } from './fake-http-server.js';

/** Who signs in next. `style: 'properties'` answers the old shape, without kakao_account.profile. */
export interface FakeKakaoUser {
  /** Digits; written into the JSON as a bare number, as Kakao does. */
  id: string;
  nickname: string;
  image: string | null;
  style?: 'account' | 'properties';
}

/** Also `delayMs`, `delayPaths`, `requests` and `close()`, as every fake server has. */
export interface FakeKakao extends FakeHttpServer {
  /** Serves both KAKAO_AUTH_BASE_URL and KAKAO_API_BASE_URL. */
  url: string;
  nextUser: FakeKakaoUser;
  /** The next authorize redirects back with error=access_denied (the user pressed cancel). */
  cancelNext: boolean;
  /** The next POST /oauth/token answers this instead (e.g. a KOE320 body, or a 302). */
  failToken?: CannedAnswer;
  /** The next GET /v2/user/me answers this instead. */
  failUser?: CannedAnswer;
  /** target_id of every successful unlink; unlinking one of them again answers Kakao's -101 (not linked). */
  unlinked: string[];
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

  const fake: Omit<FakeKakao, 'url' | 'close'> = {
    nextUser: { id: '1234567890123456789', nickname: '카카오유저', image: null },
    cancelNext: false,
    delayMs: 0,
    requests: [],
    unlinked: [],
  };

  const kakaoError = (error: string, description: string, errorCode?: string): CannedAnswer => ({
    status: 400,
    body: { error, error_description: description, ...(errorCode ? { error_code: errorCode } : {}) },
  });

  function authorize(query: Record<string, string>): CannedAnswer {
    if (query.client_id !== clientId) return kakaoError('invalid_client', `Bad client credentials`, 'KOE101');
    if (query.response_type !== 'code') return kakaoError('invalid_request', 'response_type must be code');
    if (!query.redirect_uri) return kakaoError('invalid_request', 'redirect_uri is required', 'KOE006');
    if (query.code_challenge_method !== 'S256' || !query.code_challenge)
      return kakaoError('invalid_request', 'PKCE S256 code_challenge required');
    const back = (params: string) => redirectBack(query.redirect_uri, params);
    const state = query.state === undefined ? '' : `&state=${encodeURIComponent(query.state)}`;
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return back(`error=access_denied&error_description=User%20denied%20access${state}`);
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId,
      redirectUri: query.redirect_uri,
      challenge: query.code_challenge,
      scope: query.scope ?? '',
      user: { ...fake.nextUser },
      used: false,
    });
    return back(`code=${code}${state}`);
  }

  function token(form: Record<string, string>): CannedAnswer {
    const canned = takeCanned(fake, 'failToken');
    if (canned) return canned;
    if (form.grant_type !== 'authorization_code') return kakaoError('unsupported_grant_type', 'grant_type must be authorization_code');
    if (form.client_id !== clientId) return kakaoError('invalid_client', 'Bad client credentials', 'KOE010');
    if (options.clientSecret !== undefined && form.client_secret !== options.clientSecret) {
      return kakaoError('invalid_client', 'Bad client credentials', 'KOE010');
    }
    const issued = form.code ? codes.get(form.code) : undefined;
    if (!issued || issued.used) return kakaoError('invalid_grant', `authorization code not found for code=${form.code ?? ''}`, 'KOE320');
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri) return kakaoError('invalid_grant', 'Redirect URI mismatch.', 'KOE006');
    const challenge = s256(form.code_verifier ?? '');
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

  function me(headers: IncomingHttpHeaders): CannedAnswer {
    const canned = takeCanned(fake, 'failUser');
    if (canned) return canned;
    const bearer = bearerToken(headers);
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
      kakao_account:
        user.style === 'properties' ? { profile_nickname_needs_agreement: false } : { profile_nickname_needs_agreement: false, profile },
    });
    return { status: 200, body: `{"id":${bareNumber(user.id)},${rest.slice(1)}` };
  }

  function unlink(headers: IncomingHttpHeaders, form: Record<string, string>): CannedAnswer {
    if (headers.authorization !== `KakaoAK ${adminKey}`) {
      return { status: 401, body: { msg: 'wrong appKey type. this api requires admin key', code: -401 } };
    }
    if (form.target_id_type !== 'user_id' || !/^\d+$/.test(form.target_id ?? '')) {
      return { status: 400, body: { msg: 'target_id_type=user_id and a numeric target_id are required', code: -2 } };
    }
    if (fake.unlinked.includes(form.target_id)) {
      return { status: 400, body: { msg: 'NotRegisteredUserException', code: -101 } };
    }
    fake.unlinked.push(form.target_id);
    return { status: 200, body: `{"id":${bareNumber(form.target_id)}}` };
  }

  function route(request: RecordedRequest): CannedAnswer {
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /oauth/authorize') return authorize(request.query);
    if (key === 'POST /oauth/token') return token(request.form ?? {});
    if (key === 'GET /v2/user/me' || key === 'POST /v2/user/me') return me(request.headers);
    if (key === 'POST /v1/user/unlink') return unlink(request.headers, request.form ?? {});
    return { status: 404, body: { msg: 'not found', code: -1 } };
  }

  return serveFake(fake, route, 'application/json;charset=UTF-8');
}

function bareNumber(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`fake Kakao ids are digits, got ${digits}`);
  return digits;
}

export interface UnlinkNotice {
  /** Kakao sends the method chosen in the app's settings: GET (a query) or POST (a urlencoded form). */
  method: 'GET' | 'POST';
  adminKey: string;
  appId: string;
  userId: string;
  /** UNLINK_FROM_APPS, UNLINK_FROM_ADMIN, ACCOUNT_DELETE, FORCED_ACCOUNT_DELETE, INCOMPLETE_SIGN_UP. */
  referrerType?: string;
}

/**
 * Kakao's unlink notice, sent as Kakao sends it to the callback URL registered for the app (Kakao
 * Developers, "Unlink callback"): `Authorization: KakaoAK {admin key}`, and `app_id`, `user_id` and
 * `referrer_type` as a query (GET) or a urlencoded body (POST). Kakao follows no redirect, reads only the
 * status (200 is success); it gives up after 3 s, which the tests do not time.
 */
export function sendUnlinkNotice(callbackUrl: string, notice: UnlinkNotice): Promise<Response> {
  const fields = new URLSearchParams({
    app_id: notice.appId,
    user_id: notice.userId,
    referrer_type: notice.referrerType ?? 'UNLINK_FROM_APPS',
  });
  const headers = { authorization: `KakaoAK ${notice.adminKey}` };
  const init = { redirect: 'manual' } as const;
  if (notice.method === 'GET') return fetch(`${callbackUrl}?${fields}`, { ...init, headers });
  return fetch(callbackUrl, {
    ...init,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
}
