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

/** Who signs in next. */
export interface FakeGoogleUser {
  sub: string;
  name: string;
  picture: string | null;
}

/** Also `delayMs`, `delayPaths`, `requests` and `close()`, as every fake server has. */
export interface FakeGoogle extends FakeHttpServer {
  /** Base URL: `${url}/authorize`, `${url}/token`, `${url}/userinfo`. */
  url: string;
  nextUser: FakeGoogleUser;
  /** The next authorize redirects back with error=access_denied. */
  cancelNext: boolean;
  /** The next POST /token answers this instead. */
  failToken?: CannedAnswer;
  /** The next GET /userinfo answers this instead. */
  failUser?: CannedAnswer;
}

interface IssuedCode {
  redirectUri: string;
  challenge: string;
  user: FakeGoogleUser;
  used: boolean;
}

/**
 * A stand-in for Google's OAuth endpoints on 127.0.0.1: authorize (already-consented user), token
 * exchange with PKCE and single-use codes, and the OpenID userinfo, with Google's error shapes.
 */
export async function startFakeGoogle(options: { clientId?: string; clientSecret?: string } = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'google-client-id';
  const clientSecret = options.clientSecret ?? 'google-client-secret';
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, FakeGoogleUser>();

  const fake: Omit<FakeGoogle, 'url' | 'close'> = {
    nextUser: { sub: '109876543210987654321', name: 'Google User', picture: 'https://lh3.googleusercontent.com/a/demo-picture' },
    cancelNext: false,
    delayMs: 0,
    requests: [],
  };

  const googleError = (error: string, description: string, status = 400): CannedAnswer => ({
    status,
    body: { error, error_description: description },
  });

  function authorize(query: Record<string, string>): CannedAnswer {
    if (query.client_id !== clientId) return googleError('invalid_client', 'The OAuth client was not found.', 401);
    if (query.response_type !== 'code' || !query.redirect_uri) return googleError('invalid_request', 'Required parameter is missing');
    if (!(query.scope ?? '').split(' ').includes('openid')) return googleError('invalid_scope', 'Some requested scopes were invalid.');
    if (query.code_challenge_method !== 'S256' || !query.code_challenge)
      return googleError('invalid_request', 'Invalid code_challenge_method');
    const state = query.state === undefined ? '' : `&state=${encodeURIComponent(query.state)}`;
    const back = (params: string) => redirectBack(query.redirect_uri, params);
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return back(`error=access_denied${state}`);
    }
    const code = `4/0${randomBytes(24).toString('base64url')}`;
    codes.set(code, { redirectUri: query.redirect_uri, challenge: query.code_challenge, user: { ...fake.nextUser }, used: false });
    return back(
      `code=${encodeURIComponent(code)}${state}&scope=${encodeURIComponent('openid https://www.googleapis.com/auth/userinfo.profile')}`,
    );
  }

  function token(form: Record<string, string>): CannedAnswer {
    const canned = takeCanned(fake, 'failToken');
    if (canned) return canned;
    if (form.grant_type !== 'authorization_code')
      return googleError('unsupported_grant_type', 'Invalid grant_type: ' + (form.grant_type ?? ''));
    if (form.client_id !== clientId || form.client_secret !== clientSecret) return googleError('invalid_client', 'Unauthorized', 401);
    const issued = form.code ? codes.get(form.code) : undefined;
    if (!issued || issued.used) return googleError('invalid_grant', 'Bad Request');
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri) return googleError('redirect_uri_mismatch', 'Bad Request');
    if (!form.code_verifier) return googleError('invalid_grant', 'Missing code verifier.');
    if (s256(form.code_verifier) !== issued.challenge) return googleError('invalid_grant', 'Bad Request');
    const accessToken = `ya29.${randomBytes(32).toString('base64url')}`;
    tokens.set(accessToken, issued.user);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: 3599,
        scope: 'openid https://www.googleapis.com/auth/userinfo.profile',
        token_type: 'Bearer',
        id_token: [{ alg: 'RS256', typ: 'JWT' }, { sub: issued.user.sub, aud: clientId }, 'signature']
          .map((part) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'))
          .join('.'),
      },
    };
  }

  function userinfo(headers: IncomingHttpHeaders): CannedAnswer {
    const canned = takeCanned(fake, 'failUser');
    if (canned) return canned;
    const bearer = bearerToken(headers);
    const user = bearer ? tokens.get(bearer) : undefined;
    if (!user) return googleError('invalid_request', 'Invalid Credentials', 401);
    return {
      status: 200,
      body: {
        sub: user.sub,
        name: user.name,
        given_name: user.name.split(' ')[0],
        ...(user.picture ? { picture: user.picture } : {}),
        email: `${user.sub}@gmail.example`,
        email_verified: true,
      },
    };
  }

  function route(request: RecordedRequest): CannedAnswer {
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /authorize') return authorize(request.query);
    if (key === 'POST /token') return token(request.form ?? {});
    if (key === 'GET /userinfo') return userinfo(request.headers);
    return { status: 404, body: { error: 'not_found' } };
  }

  return serveFake(fake, route, 'application/json; charset=utf-8');
}
