import { RequestError, type Got } from 'got';
import type { Logger } from 'pino';
import { ImageGenerationFailed, type ImageGenerator, type ImageRequest } from '../../core/ports/image-generator.js';
import { createHttpClient, describeFailure, isSuccess, parseJsonObject } from '../outbound/create-http-client.js';

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

const RETRY_DELAY_MS = 100;

/** Room for the JSON around the base64 image. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The AI image server: POST `{serviceUrl}/predict` with the request as JSON. One budget of timeoutMs for the
 * whole call (an AbortSignal.timeout handed to got, which keeps it across the retry), one retry on connection
 * errors only, no redirects, and a cap on the answer's size enforced while it arrives.
 */
export class GotImageGenerator implements ImageGenerator {
  private readonly http: Got;
  private readonly url: string;
  private readonly maxBodyBytes: number;

  constructor(
    private readonly config: AiServiceConfig,
    private readonly logger?: Logger,
  ) {
    this.url = `${config.serviceUrl}/predict`;
    this.maxBodyBytes = Math.ceil((config.maxImageBytes * 4) / 3) + ENVELOPE_BYTES;
    this.http = createHttpClient({ timeoutMs: config.timeoutMs }).extend({
      // Off so that the bytes counted are the bytes that arrive (a small gzip answer could inflate past any cap)
      // and Content-Length stays meaningful; no Accept-Encoding is sent, so the server answers uncompressed.
      decompress: false,
      retry: {
        limit: 1,
        methods: ['POST'],
        statusCodes: [],
        errorCodes: [...CONNECTION_ERRORS.keys()],
        // got retries only on a non-zero delay; computedValue is 0 when its rules say no.
        calculateDelay: ({ computedValue }) => (computedValue > 0 ? RETRY_DELAY_MS : 0),
      },
    });
  }

  async generate(request: ImageRequest): Promise<string> {
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    let tooLarge = false;
    let response;
    try {
      const pending = this.http.post(this.url, { json: wireRequest(request), headers: { accept: 'application/json' }, signal });
      // got reports progress once the headers arrive (total: the Content-Length, if any) and for each chunk read
      // while under that total; Node never delivers more than a declared length, so `total` covers declared answers
      // and `transferred` chunked ones. Cancelling destroys the socket: the rest is never read.
      pending.on('downloadProgress', ({ transferred, total }) => {
        if (!tooLarge && (transferred > this.maxBodyBytes || (total ?? 0) > this.maxBodyBytes)) {
          tooLarge = true;
          pending.cancel();
        }
      });
      response = await pending;
    } catch (error) {
      throw this.failed(tooLarge ? 'too_large' : signal.aborted ? 'timeout' : reasonOf(error), error);
    }
    if (!isSuccess(response.statusCode)) throw this.failed(`status_${response.statusCode}`);
    // With decompression off, a compressed answer arrives as a Buffer: not the JSON asked for.
    const body = typeof response.body === 'string' ? parseJsonObject(response.body) : null;
    if (!body) throw this.failed('not_json');
    if (typeof body.image !== 'string') throw this.failed('missing_image');
    return body.image;
  }

  /** Logs the reason and got's error name and code only: its error objects carry the URL and headers. */
  private failed(reason: string, error?: unknown): ImageGenerationFailed {
    this.logger?.warn({ ai: 'predict', reason, ...(error === undefined ? {} : { failure: describeFailure(error) }) }, 'AI image generation failed');
    return new ImageGenerationFailed(reason);
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof RequestError)) return 'request_failed';
  return CONNECTION_ERRORS.get(error.code) ?? (error.name === 'TimeoutError' ? 'timeout' : 'request_failed');
}

/** The AI server's JSON body: its field names are snake_case. */
function wireRequest({ personaId, ...rest }: ImageRequest) {
  return personaId === undefined ? rest : { ...rest, persona_id: personaId };
}
