import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who signs in next. */
export interface FakeGoogleUser {
  sub: string;
  name: string;
  picture: string | null;
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

export interface FakeGoogle {
  /** Base URL: `${url}/authorize`, `${url}/token`, `${url}/userinfo`. */
  url: string;
  nextUser: FakeGoogleUser;
  /** The next authorize redirects back with error=access_denied. */
  cancelNext: boolean;
  /** The next POST /token answers this instead. */
  failToken?: CannedAnswer;
  /** The next GET /userinfo answers this instead. */
  failUser?: CannedAnswer;
  /** Every answer waits this long (timeout tests)… */
  delayMs: number;
  /** …or, when set, only the answers to these paths. */
  delayPaths?: string[];
  /** Everything received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface IssuedCode {
  redirectUri: string;
  challenge: string;
  user: FakeGoogleUser;
  used: boolean;
}

type Answer = { status: number; body?: object | string; headers?: Record<string, string> };

/**
 * A stand-in for Google's OAuth endpoints on 127.0.0.1: authorize (already-consented user), token
 * exchange with PKCE and single-use codes, and the OpenID userinfo, with Google's error shapes.
 */
export async function startFakeGoogle(options: { clientId?: string; clientSecret?: string } = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'google-client-id';
  const clientSecret = options.clientSecret ?? 'google-client-secret';
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, FakeGoogleUser>();
  const timers = new Set<NodeJS.Timeout>();

  const fake: FakeGoogle = {
    url: '',
    nextUser: { sub: '109876543210987654321', name: 'Google User', picture: 'https://lh3.googleusercontent.com/a/demo-picture' },
    cancelNext: false,
    delayMs: 0,
    requests: [],
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const googleError = (error: string, description: string, status = 400): Answer => ({ status, body: { error, error_description: description } });

  function authorize(query: Record<string, string>): Answer {
    if (query.client_id !== clientId) return googleError('invalid_client', 'The OAuth client was not found.', 401);
    if (query.response_type !== 'code' || !query.redirect_uri) return googleError('invalid_request', 'Required parameter is missing');
    if (!(query.scope ?? '').split(' ').includes('openid')) return googleError('invalid_scope', 'Some requested scopes were invalid.');
    if (query.code_challenge_method !== 'S256' || !query.code_challenge) return googleError('invalid_request', 'Invalid code_challenge_method');
    const state = query.state === undefined ? '' : `&state=${encodeURIComponent(query.state)}`;
    const back = (params: string): Answer => ({
      status: 302,
      headers: { location: `${query.redirect_uri}${query.redirect_uri.includes('?') ? '&' : '?'}${params}` },
    });
    if (fake.cancelNext) {
      fake.cancelNext = false;
      return back(`error=access_denied${state}`);
    }
    const code = `4/0${randomBytes(24).toString('base64url')}`;
    codes.set(code, { redirectUri: query.redirect_uri, challenge: query.code_challenge, user: { ...fake.nextUser }, used: false });
    return back(`code=${encodeURIComponent(code)}${state}&scope=${encodeURIComponent('openid https://www.googleapis.com/auth/userinfo.profile')}`);
  }

  function token(form: Record<string, string>): Answer {
    if (fake.failToken) {
      const canned = fake.failToken;
      fake.failToken = undefined;
      return canned;
    }
    if (form.grant_type !== 'authorization_code') return googleError('unsupported_grant_type', 'Invalid grant_type: ' + (form.grant_type ?? ''));
    if (form.client_id !== clientId || form.client_secret !== clientSecret) return googleError('invalid_client', 'Unauthorized', 401);
    const issued = form.code ? codes.get(form.code) : undefined;
    if (!issued || issued.used) return googleError('invalid_grant', 'Bad Request');
    issued.used = true;
    if (form.redirect_uri !== issued.redirectUri) return googleError('redirect_uri_mismatch', 'Bad Request');
    if (!form.code_verifier) return googleError('invalid_grant', 'Missing code verifier.');
    if (createHash('sha256').update(form.code_verifier).digest('base64url') !== issued.challenge) return googleError('invalid_grant', 'Bad Request');
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

  function userinfo(headers: IncomingHttpHeaders): Answer {
    if (fake.failUser) {
      const canned = fake.failUser;
      fake.failUser = undefined;
      return canned;
    }
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
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

  function route(request: RecordedRequest): Answer {
    const key = `${request.method} ${request.path}`;
    if (key === 'GET /authorize') return authorize(request.query);
    if (key === 'POST /token') return token(request.form ?? {});
    if (key === 'GET /userinfo') return userinfo(request.headers);
    return { status: 404, body: { error: 'not_found' } };
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

function reply(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...answer.headers });
  res.end(text);
}
