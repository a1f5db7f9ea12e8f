import { PublishFailure } from '../../core/publishing/index.js';
import { record } from '../outbound/create-http-client.js';

/** Meta's codes for "busy, throttled or briefly down": the same call may succeed later. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80002, 9007]);
/** Meta's codes for an image it downloaded and refused (format, size, aspect ratio). */
const MEDIA_REFUSALS = new Set([9004, 36000, 36001, 36003]);
/** Code 9004 with this subcode: Meta could not download the image, usually our media host briefly out of reach. */
const MEDIA_DOWNLOAD_FAILED = { code: 9004, subcode: 2207052 };
const MAX_MESSAGE = 500;

/**
 * The PublishFailure for a Graph answer that is not a success. A 5xx on `media_publish` is an unknown
 * outcome (Meta may have published before failing); elsewhere it is transient. Code 190: the token is
 * refused; codes 1, 2, 4, 17, 32, 341, 613, 80002, 9007, `is_transient` or a failed download of the image
 * (9004/2207052): transient; any other image refusal: rejected media; anything else: permanent.
 */
export function graphFailure(status: number, body: Record<string, unknown> | null, isPublish: boolean): PublishFailure {
  const error = record(body?.error);
  const code = integer(error.code);
  const subcode = integer(error.error_subcode);
  const message = readableMessage(error, status);
  if (code === 190) return new PublishFailure('token_expired', message, code, subcode);
  if (status >= 500) return new PublishFailure(isPublish ? 'unknown_outcome' : 'transient', message, code, subcode);
  const downloadFailed = code === MEDIA_DOWNLOAD_FAILED.code && subcode === MEDIA_DOWNLOAD_FAILED.subcode;
  if (error.is_transient === true || downloadFailed || (code !== null && TRANSIENT_CODES.has(code))) {
    return new PublishFailure('transient', message, code, subcode);
  }
  if (code !== null && MEDIA_REFUSALS.has(code)) return new PublishFailure('rejected_media', message, code, subcode);
  return new PublishFailure('permanent', message, code, subcode);
}

/** Meta's message for people (`error_user_msg`) when it gives one, else its technical one. */
function readableMessage(error: Record<string, unknown>, status: number): string {
  for (const candidate of [error.error_user_msg, error.message]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim().slice(0, MAX_MESSAGE);
  }
  return `Meta answered HTTP ${status}.`;
}

function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}
