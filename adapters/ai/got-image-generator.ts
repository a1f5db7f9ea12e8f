import type { Response } from 'got';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ImageGenerationFailed, type ImageGenerator, type ImageRequest } from '../../core/images/index.js';
import {
  createHttpClient,
  describeFailure,
  failureCode,
  isSuccess,
  loadGot,
  parseJsonObject,
  type HttpClient,
} from '../outbound/create-http-client.js';

export interface AiServiceConfig {
  /** Without a trailing slash (config.ts strips it). */
  serviceUrl: string;
  /** The budget of the whole call, the retry included. */
  timeoutMs: number;
  /** The largest decoded image the caller accepts (AI_MAX_IMAGE_BYTES). */
  maxImageBytes: number;
}

/** Failures worth one more attempt: the connection never carried an answer. Never timeouts, never HTTP statuses. */
const CONNECTION_ERRORS = new Map([
  ['ECONNREFUSED', 'connection_refused'],
  ['ECONNRESET', 'connection_reset'],
  ['EPIPE', 'connection_reset'],
  ['ENOTFOUND', 'dns_failed'],
  ['EAI_AGAIN', 'dns_failed'],
  ['ENETUNREACH', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
]);
const RETRIED = new Set(CONNECTION_ERRORS.values());

const RETRY_DELAY_MS = 100;

type Attempt = { response: Response<string> } | { reason: string; error: unknown };

/** Room for the JSON around the base64 image. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The AI image server: POST `{serviceUrl}/predict` with the request as JSON. One budget of timeoutMs for the
 * whole call (one AbortSignal.timeout handed to both attempts), one retry on connection errors only, no redirects,
 * and a cap on the answer's size enforced while it arrives.
 *
 * The retry is ours, not got's: on Node ≥ 24.20 a socket closed while connecting also fails the request's end()
 * with ERR_SOCKET_CLOSED_BEFORE_CONNECTION, and got 14 rejects with that bare error while its retry waits out the
 * backoff, so the retry never happens and the cause (ECONNREFUSED, ENOTFOUND) is lost (sindresorhus/got#2469).
 * A single attempt rejects with got's error carrying the cause before that late callback comes, on any Node.
 */
export class GotImageGenerator implements ImageGenerator {
  private readonly http: HttpClient;
  private readonly url: string;
  private readonly maxBodyBytes: number;

  constructor(
    private readonly config: AiServiceConfig,
    private readonly logger?: Logger,
  ) {
    this.url = `${config.serviceUrl}/predict`;
    this.maxBodyBytes = Math.ceil((config.maxImageBytes * 4) / 3) + ENVELOPE_BYTES;
    // Off so that the bytes counted are the bytes that arrive (a small gzip answer could inflate past any cap)
    // and Content-Length stays meaningful; no Accept-Encoding is sent, so the server answers uncompressed.
    this.http = createHttpClient({ timeoutMs: config.timeoutMs }, { decompress: false });
  }

  async generate(request: ImageRequest): Promise<string> {
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let outcome = await this.post(request, signal);
    if ('reason' in outcome && RETRIED.has(outcome.reason)) {
      outcome = await delay(RETRY_DELAY_MS, undefined, { signal }).then(
        () => this.post(request, signal),
        (error: unknown) => ({ reason: 'timeout', error }),
      );
    }
    if ('reason' in outcome) throw this.failed(outcome.reason, outcome.error);
    const { response } = outcome;
    if (!isSuccess(response.statusCode)) throw this.failed(`status_${response.statusCode}`);
    // With decompression off, a compressed answer arrives as a Buffer: not the JSON asked for.
    const body = typeof response.body === 'string' ? parseJsonObject(response.body) : null;
    if (!body) throw this.failed('not_json');
    if (typeof body.image !== 'string') throw this.failed('missing_image');
    return body.image;
  }

  /** One attempt: the response whatever its status, or the reason it failed. */
  private async post(request: ImageRequest, signal: AbortSignal): Promise<Attempt> {
    let tooLarge = false;
    try {
      const http = await this.http.instance();
      const pending = http.post(this.url, { json: wireRequest(request), headers: { accept: 'application/json' }, signal });
      // got reports progress once the headers arrive (total: the Content-Length, if any) and for each chunk read
      // while under that total; Node never delivers more than a declared length, so `total` covers declared answers
      // and `transferred` chunked ones. Cancelling destroys the socket: the rest is never read.
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- got's .on() returns `pending` itself (for chaining), awaited below
      pending.on('downloadProgress', ({ transferred, total }) => {
        if (!tooLarge && (transferred > this.maxBodyBytes || (total ?? 0) > this.maxBodyBytes)) {
          tooLarge = true;
          pending.cancel();
        }
      });
      return { response: await pending };
    } catch (error) {
      return { reason: tooLarge ? 'too_large' : signal.aborted ? 'timeout' : await reasonOf(error), error };
    }
  }

  /** Logs the reason and got's error name and code only: its error objects carry the URL and headers. */
  private failed(reason: string, error?: unknown): ImageGenerationFailed {
    this.logger?.warn(
      { ai: 'predict', reason, ...(error === undefined ? {} : { failure: describeFailure(error) }) },
      'AI image generation failed',
    );
    return new ImageGenerationFailed(reason);
  }
}

async function reasonOf(error: unknown): Promise<string> {
  const reason = CONNECTION_ERRORS.get(failureCode(error) ?? '');
  if (reason) return reason;
  const { RequestError } = await loadGot();
  return error instanceof RequestError && error.name === 'TimeoutError' ? 'timeout' : 'request_failed';
}

/** The AI server's JSON body: its field names are snake_case. */
function wireRequest({ personaId, ...rest }: ImageRequest) {
  return personaId === undefined ? rest : { ...rest, persona_id: personaId };
}
