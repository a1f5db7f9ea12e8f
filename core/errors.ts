/** What went wrong, in terms the edge maps to a status code (see adapters/http/error-middleware.ts). */
export type ErrorKind =
  | 'invalid_request'
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A violation of a rule, carrying the contract's stable snake_case code. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds until a rate-limited caller may retry. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
