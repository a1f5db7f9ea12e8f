/** What went wrong, in terms the edge maps to a status code (see adapters/http/error-middleware.ts). */
export type ErrorKind =
  | 'invalid_request'
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable'
  | 'internal';

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * Every code the app answers with, declared once with its kind and default message.
 * test/core/error-catalogue.test.ts holds it to the codes of API.md.
 */
const CATALOGUE = {
  // 400
  invalid_request: { kind: 'invalid_request', message: 'The request is malformed.' },
  persona_required: { kind: 'invalid_request', message: 'Name a persona with persona_id or persona_num.' },
  state_mismatch: { kind: 'invalid_request', message: 'The sign-in state is missing, used, expired or wrong.' },
  state_invalid: { kind: 'invalid_request', message: 'The state is not one this server signed.' },
  state_expired: { kind: 'invalid_request', message: 'The link took longer than 10 minutes.' },
  state_used: { kind: 'invalid_request', message: 'This link was already used or started elsewhere.' },
  state_user_mismatch: { kind: 'invalid_request', message: 'The link was started by another user.' },
  invalid_signed_request: { kind: 'invalid_request', message: 'The signed_request is malformed or not signed by this Meta app.' },
  // 401
  not_authenticated: { kind: 'unauthenticated', message: 'Sign in first.' },
  persona_oauth_required: { kind: 'unauthenticated', message: 'Link this persona to Instagram first.' },
  persona_oauth_expired: { kind: 'unauthenticated', message: 'The Instagram authorization has expired; link again.' },
  // 403
  access_denied: { kind: 'forbidden', message: 'Access was denied.' },
  not_kakao_user: { kind: 'forbidden', message: 'Only a Kakao account can be unlinked from Kakao.' },
  ig_account_not_accessible: { kind: 'forbidden', message: 'This persona’s Instagram authorization cannot see that account.' },
  permission_missing: { kind: 'forbidden', message: 'Facebook Login did not grant every permission the app needs.' },
  origin_forbidden: { kind: 'forbidden', message: 'Requests that change something are accepted only from this app’s own pages.' },
  // 404
  not_found: { kind: 'not_found', message: 'No such route.' },
  persona_not_found: { kind: 'not_found', message: 'No such persona.' },
  post_not_found: { kind: 'not_found', message: 'No such post.' },
  // 409
  persona_create_conflict: { kind: 'conflict', message: 'Too many personas are being created at once; try again.' },
  ig_account_already_linked: { kind: 'conflict', message: 'This Instagram account is linked to another persona.' },
  post_not_editable: { kind: 'conflict', message: 'Only a draft, scheduled or failed post can be changed.' },
  post_not_publishable: { kind: 'conflict', message: 'This post is already publishing, published or needs attention.' },
  persona_not_linked: { kind: 'conflict', message: 'Link this persona to an Instagram account first.' },
  // 413, 415
  payload_too_large: { kind: 'payload_too_large', message: 'The request body is too large.' },
  unsupported_media_type: { kind: 'unsupported_media_type', message: 'The body must be application/json.' },
  // 422
  validation_failed: { kind: 'validation', message: 'The request body is invalid.' },
  invalid_birthday: { kind: 'validation', message: 'birthday must be a date written YYYY-MM-DD.' },
  birthday_too_old: { kind: 'validation', message: 'birthday must be in 1900 or later.' },
  birthday_in_future: { kind: 'validation', message: 'birthday cannot be after today.' },
  invalid_gender: { kind: 'validation', message: 'gender must be 남성 or 여성.' },
  media_invalid: { kind: 'validation', message: 'The bytes are not an image of the declared type, or do not decode.' },
  caption_too_long: { kind: 'validation', message: 'The caption is longer than 2,200 characters.' },
  too_many_hashtags: { kind: 'validation', message: 'The caption has more than 30 hashtags.' },
  too_many_mentions: { kind: 'validation', message: 'The caption mentions more than 20 accounts.' },
  media_not_found: { kind: 'validation', message: 'An image of the post is not in your media library.' },
  schedule_in_past: { kind: 'validation', message: 'The scheduled time has already passed.' },
  schedule_too_far: { kind: 'validation', message: 'A post can be scheduled at most 365 days ahead.' },
  invalid_time_zone: { kind: 'validation', message: 'time_zone is not an IANA time zone.' },
  // 429
  rate_limited: { kind: 'rate_limited', message: 'Too many images; try again shortly.' },
  // 500
  internal_error: { kind: 'internal', message: 'Something went wrong on our side.' },
  // 502
  provider_error: { kind: 'upstream', message: 'The provider did not complete the sign-in.' },
  upstream_unavailable: { kind: 'upstream', message: 'An upstream service did not answer.' },
  // 503
  provider_not_configured: { kind: 'unavailable', message: 'This provider is not configured on this server.' },
  kakao_admin_key_missing: { kind: 'unavailable', message: 'Kakao unlink is not configured on this server.' },
  db_unavailable: { kind: 'unavailable', message: 'The database is unavailable.' },
} as const satisfies Record<string, { kind: ErrorKind; message: string }>;

/** A stable snake_case code of the contract: the `error` of every error body. */
export type ErrorCode = keyof typeof CATALOGUE;

export const ERROR_CODES = Object.keys(CATALOGUE) as ErrorCode[];

/** The kind of a code, as the catalogue declares it (the edge turns it into a status). */
export function kindOfCode(code: ErrorCode): ErrorKind {
  return CATALOGUE[code].kind;
}

/** A violation of a rule, carrying the contract's code; its kind follows from the code. */
export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string = CATALOGUE[code].message,
    readonly details?: ErrorDetail[],
    /** Seconds until a rate-limited caller may retry. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = CATALOGUE[code].kind;
  }
}

/** Whether `error` is a DomainError with one of `codes`. */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is DomainError {
  return error instanceof DomainError && codes.includes(error.code);
}

type Details = ErrorDetail[] | undefined;
const fail = (code: ErrorCode, message?: string, details?: Details) => new DomainError(code, message, details);

/**
 * The factories: the only way to build an error. Arguments fill in what differs by place
 * (which provider, which rule, which field); without them the catalogue's message is used.
 */
export const errors = {
  // 400
  malformedRequest: () => fail('invalid_request'),
  invalidQuery: (details: Details) => fail('invalid_request', 'A query parameter is invalid.', details),
  personaRequired: (message?: string) => fail('persona_required', message),
  stateMismatch: () => fail('state_mismatch'),
  stateInvalid: () => fail('state_invalid'),
  stateExpired: () => fail('state_expired'),
  stateUsed: () => fail('state_used'),
  stateUserMismatch: () => fail('state_user_mismatch'),
  invalidSignedRequest: () => fail('invalid_signed_request'),
  kakaoNoticeForAnotherApp: () => fail('invalid_request', 'The unlink notice names another Kakao app.'),
  invalidIdempotencyKey: () => fail('invalid_request', 'The Idempotency-Key header must be 1–255 visible ASCII characters.'),
  // 401
  notAuthenticated: () => fail('not_authenticated'),
  kakaoNoticeUnauthenticated: () => fail('not_authenticated', 'The unlink notice does not carry this app’s Kakao admin key.'),
  personaOauthRequired: (message?: string) => fail('persona_oauth_required', message),
  personaOauthExpired: () => fail('persona_oauth_expired'),
  // 403
  accessDenied: (message?: string) => fail('access_denied', message),
  notKakaoUser: () => fail('not_kakao_user'),
  igAccountNotAccessible: () => fail('ig_account_not_accessible'),
  /** Each detail names a permission (`path`) and why it is missing (`message`: declined, expired, not granted). */
  permissionMissing: (missing: Details = []) => fail('permission_missing', undefined, missing),
  originForbidden: () => fail('origin_forbidden'),
  // 404
  routeNotFound: () => fail('not_found'),
  fileNotFound: () => fail('not_found', 'No such file.'),
  personaNotFound: () => fail('persona_not_found'),
  postNotFound: () => fail('post_not_found'),
  deletionRequestNotFound: () => fail('not_found', 'No such deletion request.'),
  // 409
  personaCreateConflict: () => fail('persona_create_conflict'),
  igAccountAlreadyLinked: () => fail('ig_account_already_linked'),
  postNotEditable: (message?: string) => fail('post_not_editable', message),
  postNotPublishable: (message?: string) => fail('post_not_publishable', message),
  personaNotLinked: () => fail('persona_not_linked'),
  // 413, 415
  payloadTooLarge: () => fail('payload_too_large'),
  unsupportedMediaType: (message?: string) => fail('unsupported_media_type', message),
  // 422
  validationFailed: (message?: string, details?: Details) => fail('validation_failed', message, details),
  invalidBirthday: (message?: string) => fail('invalid_birthday', message),
  mediaInvalid: (message?: string) => fail('media_invalid', message),
  birthdayTooOld: () => fail('birthday_too_old'),
  birthdayInFuture: () => fail('birthday_in_future'),
  invalidGender: () => fail('invalid_gender'),
  captionTooLong: () => fail('caption_too_long'),
  tooManyHashtags: () => fail('too_many_hashtags'),
  tooManyMentions: () => fail('too_many_mentions'),
  mediaNotFound: () => fail('media_not_found'),
  scheduleInPast: () => fail('schedule_in_past'),
  scheduleTooFar: () => fail('schedule_too_far'),
  invalidTimeZone: () => fail('invalid_time_zone'),
  // 429
  rateLimited: (retryAfterSeconds: number, message?: string) => new DomainError('rate_limited', message, undefined, retryAfterSeconds),
  // 500
  internalError: () => fail('internal_error'),
  // 502
  providerError: (message?: string) => fail('provider_error', message),
  upstreamUnavailable: (message?: string) => fail('upstream_unavailable', message),
  // 503
  providerNotConfigured: (feature?: string) => fail('provider_not_configured', feature && `${feature} is not configured on this server.`),
  kakaoAdminKeyMissing: () => fail('kakao_admin_key_missing'),
  dbUnavailable: (message?: string) => fail('db_unavailable', message),
};
