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

type Details = ErrorDetail[] | undefined;
const fail = (kind: ErrorKind, code: string, message: string, details?: Details) => new DomainError(kind, code, message, details);

/**
 * The error catalogue: every code the contract names, with its kind and message, built only here.
 * Arguments fill in what differs by place (which provider, which rule, which field).
 */
export const errors = {
  // 400
  invalidQuery: (details: Details) => fail('invalid_request', 'invalid_request', 'A query parameter is invalid.', details),
  personaRequired: (message = 'Name a persona with persona_id or persona_num.') => fail('invalid_request', 'persona_required', message),
  stateMismatch: () => fail('invalid_request', 'state_mismatch', 'The sign-in state is missing, used, expired or wrong.'),
  stateInvalid: () => fail('invalid_request', 'state_invalid', 'The state is not one this server signed.'),
  stateExpired: () => fail('invalid_request', 'state_expired', 'The link took longer than 10 minutes.'),
  stateUsed: () => fail('invalid_request', 'state_used', 'This link was already used or started elsewhere.'),
  stateUserMismatch: () => fail('invalid_request', 'state_user_mismatch', 'The link was started by another user.'),
  // 401
  notAuthenticated: () => fail('unauthenticated', 'not_authenticated', 'Sign in first.'),
  personaOauthRequired: (message = 'Link this persona to Instagram first.') => fail('unauthenticated', 'persona_oauth_required', message),
  personaOauthExpired: () => fail('unauthenticated', 'persona_oauth_expired', 'The Instagram authorization has expired; link again.'),
  // 403
  accessDenied: (message: string) => fail('forbidden', 'access_denied', message),
  notKakaoUser: () => fail('forbidden', 'not_kakao_user', 'Only a Kakao account can be unlinked from Kakao.'),
  igAccountNotAccessible: () =>
    fail('forbidden', 'ig_account_not_accessible', 'This persona’s Instagram authorization cannot see that account.'),
  // 404
  routeNotFound: () => fail('not_found', 'not_found', 'No such route.'),
  fileNotFound: () => fail('not_found', 'not_found', 'No such file.'),
  personaNotFound: () => fail('not_found', 'persona_not_found', 'No such persona.'),
  // 409
  personaCreateConflict: () => fail('conflict', 'persona_create_conflict', 'Too many personas are being created at once; try again.'),
  igAccountAlreadyLinked: () => fail('conflict', 'ig_account_already_linked', 'This Instagram account is linked to another persona.'),
  // 422
  validationFailed: (message: string, details?: Details) => fail('validation', 'validation_failed', message, details),
  invalidBirthday: (message: string) => fail('validation', 'invalid_birthday', message),
  birthdayTooOld: () => fail('validation', 'birthday_too_old', 'birthday must be in 1900 or later.'),
  birthdayInFuture: () => fail('validation', 'birthday_in_future', 'birthday cannot be after today.'),
  invalidGender: () => fail('validation', 'invalid_gender', 'gender must be 남성 or 여성.'),
  // 429
  rateLimited: (retryAfterSeconds: number) =>
    new DomainError('rate_limited', 'rate_limited', 'Too many images; try again shortly.', undefined, retryAfterSeconds),
  // 502
  providerError: (message: string) => fail('upstream', 'provider_error', message),
  upstreamUnavailable: (message: string) => fail('upstream', 'upstream_unavailable', message),
  // 503
  providerNotConfigured: (feature: string) =>
    fail('unavailable', 'provider_not_configured', `${feature} is not configured on this server.`),
  kakaoAdminKeyMissing: () => fail('unavailable', 'kakao_admin_key_missing', 'Kakao unlink is not configured on this server.'),
  dbUnavailable: () => fail('unavailable', 'db_unavailable', 'The database is unavailable.'),
};
