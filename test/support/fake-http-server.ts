import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** Never answered (the client times out) or the connection reset: the request is processed all the same. */
  lost?: 'hang' | 'reset';
}

/** What every fake provider server shares: where it listens, delays, the requests it saw. */
export interface FakeHttpServer {
  url: string;
  /** Every answer waits this long (timeout tests)… */
  delayMs: number;
  /** …or, when set, only the answers to these paths. */
  delayPaths?: string[];
  /** Everything received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Serves `route` on 127.0.0.1 (a free port): records every request into `fake.requests`, holds
 * answers back as `fake.delayMs` and `fake.delayPaths` say, and fills in `fake.url` and `fake.close`
 * on the very object it is given, so the routes keep reading the fields tests set on it.
 * `jsonContentType` is the content-type of an answer with a body (providers spell it differently).
 */
export async function serveFake<T extends Omit<FakeHttpServer, 'url' | 'close'>>(
  fake: T,
  route: (request: RecordedRequest) => CannedAnswer | Promise<CannedAnswer>,
  jsonContentType: string,
): Promise<T & FakeHttpServer> {
  const timers = new Set<NodeJS.Timeout>();
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test fake: record() failures are caught below; anything else a route throws should surface as an unhandled rejection, which mocha reports as a failure
  const server = createServer(async (req, res) => {
    const recorded = await record(req).catch(() => null);
    if (!recorded) return void res.destroy();
    fake.requests.push(recorded);
    const answer = await route(recorded);
    const delayed = fake.delayMs > 0 && (!fake.delayPaths || fake.delayPaths.includes(recorded.path));
    if (!delayed) return reply(res, answer, jsonContentType);
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply(res, answer, jsonContentType);
    }, fake.delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The canned answer under `key`, forgotten once taken. */
export function takeCanned<K extends string>(fake: { [P in K]?: CannedAnswer }, key: K): CannedAnswer | undefined {
  const canned = fake[key];
  if (canned) fake[key] = undefined;
  return canned;
}

/** The 302 back to the client's redirect URI with `params` (already encoded) appended to its query. */
export function redirectBack(redirectUri: string, params: string): CannedAnswer {
  return { status: 302, headers: { location: `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${params}` } };
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
}

/** The PKCE S256 challenge of a verifier. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
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

function reply(res: ServerResponse, answer: CannedAnswer, jsonContentType: string): void {
  if (res.destroyed || answer.lost === 'hang') return;
  if (answer.lost === 'reset') return void res.destroy();
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...(text ? { 'content-type': jsonContentType } : {}), ...answer.headers });
  res.end(text);
}
