import type { ExtendOptions, Got, OptionsOfTextResponseBody, Response } from 'got';
import type { Logger } from 'pino';

let loading: Promise<typeof import('got')> | undefined;
/**
 * got is loaded on the first outbound request, not at start: with its HTTP/2 support (http2-wrapper,
 * node:https, node:tls) it was ~40 ms of a one-core start that no request before a sign-in needs.
 */
export const loadGot = (): Promise<typeof import('got')> => (loading ??= import('got'));

/** What the provider adapters call: got's get and post (each awaits got's loading first), and the instance itself. */
export interface HttpClient {
  get(url: string, options?: OptionsOfTextResponseBody): Promise<Response<string>>;
  post(url: string, options?: OptionsOfTextResponseBody): Promise<Response<string>>;
  /** The got instance, for what get and post do not give (the AI adapter's progress events). */
  instance(): Promise<Got>;
}

/**
 * The got instance for provider calls (with `extra` on top): one attempt only (codes are single use), no
 * redirects followed (RFC 9700: never on token endpoints), a total time budget (got has none by default),
 * and every status resolved as a response so the adapter reads the provider's error body itself.
 */
export function createHttpClient({ timeoutMs }: { timeoutMs: number }, extra: ExtendOptions = {}): HttpClient {
  let instance: Promise<Got> | undefined;
  const client = () =>
    (instance ??= loadGot().then(({ default: got }) =>
      got
        .extend({
          timeout: { request: timeoutMs },
          retry: { limit: 0 },
          followRedirect: false,
          throwHttpErrors: false,
          responseType: 'text',
        })
        .extend(extra),
    ));
  return {
    get: async (url, options) => (await client()).get(url, options),
    post: async (url, options) => (await client()).post(url, options),
    instance: client,
  };
}

/**
 * A short, safe description of a failed request for a log line, e.g. "TimeoutError ETIMEDOUT".
 * got's errors carry the request URL, headers and body (tokens, codes): only name and code leave here.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = failureCode(error);
  return code ? `${error.name} ${code}` : error.name;
}

/**
 * The code naming why a request failed (ECONNREFUSED, ENOTFOUND, ETIMEDOUT …): got's errors copy it from the Node
 * error they wrap, and a Node error that reaches the caller unwrapped carries it itself.
 */
export function failureCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** True for 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The body as a JSON object, or null when it is not one. */
export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A field of parsed JSON read as an object: {} when it is anything else (missing, null, an array …). */
export function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** A field of parsed JSON read as text: null when it is not a non-empty string. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A provider's error field fit for a log line: strings and numbers only, capped in length. */
export function logField(value: unknown): string | number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return value.slice(0, 120);
  return undefined;
}

/** A provider client: its configuration, a logger, and its got instance with a time budget per call. */
export abstract class ProviderClient<C> {
  protected readonly http: HttpClient;

  constructor(
    protected readonly config: C,
    protected readonly logger: Logger,
    timeoutMs = 10_000,
  ) {
    this.http = createHttpClient({ timeoutMs });
  }
}
