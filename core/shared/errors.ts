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

/**
 * Messages other than a code's own: the same code told of one place or rule (which provider is not
 * configured, which field is blank). Keys only: the HTTP adapter words each, in every language it answers in.
 */
const VARIANTS = [
  // errors' own
  'invalid_query',
  'kakao_notice_other_app',
  'invalid_idempotency_key',
  'kakao_notice_unauthenticated',
  'file_not_found',
  'deletion_request_not_found',
  // core's rules
  'alt_text_too_long',
  'media_count',
  'media_named_twice',
  'upload_not_declared_type',
  'upload_undecodable',
  'story_one_image',
  'story_no_caption',
  'retry_only_failed',
  'post_being_published',
  'unschedule_too_late',
  'sign_in_not_configured',
  'sign_in_cancelled',
  'instagram_link_not_configured',
  'instagram_login_not_configured',
  'instagram_link_cancelled',
  'link_state_names_no_persona',
  'meta_returned_no_code',
  'permission_not_granted',
  'permission_declined',
  'permission_expired',
  'permission_status',
  'persona_name_blank',
  'must_not_be_blank',
  'persona_instagram_parameters',
  'set_by_linking_instagram',
  'ig_account_unreachable',
  'persona_link_again',
  'birthday_not_calendar_date',
  'schedule_time_invalid',
  'schedule_time_format',
  'schedule_time_skipped',
  // a failed post's (stored with the post by key and values, worded when read)
  'post_persona_not_linked',
  'post_persona_oauth_expired',
  'post_media_unavailable',
  'post_media_gone',
  'post_media_undecodable',
  'post_media_rejected',
  'post_container_failed',
  'post_container_expired',
  'post_publish_failed',
  'post_publish_failed_unexpectedly',
  'post_publish_unverified',
  'post_meta_said',
  // adapters'
  'cursor_invalid',
  'query_not_utf8',
  'body_not_of_types',
  'body_unstorable',
  'json_too_deep',
  'lone_surrogate',
  'control_character',
  'sign_in_rate_limited',
  'google_sign_in_failed',
  'kakao_sign_in_failed',
  'provider_sign_in_failed',
  'kakao_unlink_unanswered',
  'meta_unanswered',
  'rate_limit_store_unavailable',
] as const;

/** Values a message names: a provider, a date, a limit. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A key of the edge's catalogues: a code (its own message) or a variant. */
export type MessageKey = ErrorCode | (typeof VARIANTS)[number];

/** What an error or a detail says, without the words: which message, and the values it names. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/**
 * What a detail says: a message of the catalogues, or words the edge already has in every language
 * (ajv's own, with ajv-i18n's Korean).
 */
export type DetailMessage = Message | { words: Readonly<Record<string, string>> };

/**
 * What a detail is about: an input field by its names from the top of the request (`['parameters',
 * 'instagram']`; the edge writes it as a JSON pointer), or a permission by its name.
 */
export type ErrorDetail = { field: readonly string[]; message: DetailMessage } | { permission: string; message: DetailMessage };

/** A message, shorter to write. */
export function message(key: MessageKey, params?: MessageParams): Message {
  return params ? { key, params } : { key };
}

/**
 * Every code the app answers with, declared once with its kind (the edge maps a kind to a status).
 * test/core/error-catalogue.test.ts holds it to the codes of API.md. The words are the HTTP adapter's
 * (adapters/http/messages/): one catalogue per language, a sentence per code and per variant below.
 */
const KINDS = {
  invalid_request: 'invalid_request',
  persona_required: 'invalid_request',
  state_mismatch: 'invalid_request',
  state_invalid: 'invalid_request',
  state_expired: 'invalid_request',
  state_used: 'invalid_request',
  state_user_mismatch: 'invalid_request',
  invalid_signed_request: 'invalid_request',
  not_authenticated: 'unauthenticated',
  persona_oauth_required: 'unauthenticated',
  persona_oauth_expired: 'unauthenticated',
  access_denied: 'forbidden',
  not_kakao_user: 'forbidden',
  ig_account_not_accessible: 'forbidden',
  permission_missing: 'forbidden',
  insights_permission_missing: 'forbidden',
  origin_forbidden: 'forbidden',
  not_found: 'not_found',
  persona_not_found: 'not_found',
  post_not_found: 'not_found',
  persona_create_conflict: 'conflict',
  ig_account_already_linked: 'conflict',
  post_not_editable: 'conflict',
  post_not_publishable: 'conflict',
  persona_not_linked: 'conflict',
  post_not_published: 'conflict',
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  validation_failed: 'validation',
  invalid_birthday: 'validation',
  birthday_too_old: 'validation',
  birthday_in_future: 'validation',
  invalid_gender: 'validation',
  media_invalid: 'validation',
  caption_too_long: 'validation',
  too_many_hashtags: 'validation',
  too_many_mentions: 'validation',
  media_not_found: 'validation',
  story_invalid: 'validation',
  schedule_in_past: 'validation',
  schedule_too_far: 'validation',
  invalid_time_zone: 'validation',
  rate_limited: 'rate_limited',
  internal_error: 'internal',
  provider_error: 'upstream',
  upstream_unavailable: 'upstream',
  provider_not_configured: 'unavailable',
  kakao_admin_key_missing: 'unavailable',
  db_unavailable: 'unavailable',
  media_store_unavailable: 'unavailable',
} as const satisfies Record<string, ErrorKind>;

/** A stable snake_case code of the contract: the `error` of every error body. */
export type ErrorCode = keyof typeof KINDS;

export const ERROR_CODES = Object.keys(KINDS) as ErrorCode[];

/** Every key the edge's catalogues must word. */
export const MESSAGE_KEYS: readonly MessageKey[] = [...ERROR_CODES, ...VARIANTS];

/** The kind of a code, as the catalogue declares it (the edge turns it into a status). */
export function kindOfCode(code: ErrorCode): ErrorKind {
  return KINDS[code];
}

/**
 * A violation of a rule, carrying the contract's code; its kind follows from the code. `said` is what to
 * tell the caller (the code's own message unless a variant is named); the Error's message, for logs, is
 * the code with that key and its values.
 */
export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    readonly said: Message = { key: code },
    readonly details?: ErrorDetail[],
    /** Seconds until a rate-limited caller may retry. */
    readonly retryAfterSeconds?: number,
  ) {
    super([code, said.key === code ? '' : `(${said.key})`, said.params ? JSON.stringify(said.params) : ''].filter(Boolean).join(' '));
    this.name = 'DomainError';
    this.kind = KINDS[code];
  }
}

/** Whether `error` is a DomainError with one of `codes`. */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is DomainError {
  return error instanceof DomainError && codes.includes(error.code);
}

type Details = ErrorDetail[] | undefined;
const fail = (code: ErrorCode, said?: Message, details?: Details) => new DomainError(code, said, details);

/**
 * The factories: the only way to build an error. Arguments name what differs by place (which provider,
 * which rule, which field) as a message of the catalogues; without them the code's own message is used.
 */
export const errors = {
  // 400
  malformedRequest: () => fail('invalid_request'),
  invalidQuery: (details?: Details) => fail('invalid_request', message('invalid_query'), details),
  personaRequired: (said?: Message) => fail('persona_required', said),
  stateMismatch: () => fail('state_mismatch'),
  stateInvalid: () => fail('state_invalid'),
  stateExpired: () => fail('state_expired'),
  stateUsed: () => fail('state_used'),
  stateUserMismatch: () => fail('state_user_mismatch'),
  invalidSignedRequest: () => fail('invalid_signed_request'),
  kakaoNoticeForAnotherApp: () => fail('invalid_request', message('kakao_notice_other_app')),
  invalidIdempotencyKey: () => fail('invalid_request', message('invalid_idempotency_key')),
  // 401
  notAuthenticated: () => fail('not_authenticated'),
  kakaoNoticeUnauthenticated: () => fail('not_authenticated', message('kakao_notice_unauthenticated')),
  personaOauthRequired: (said?: Message) => fail('persona_oauth_required', said),
  personaOauthExpired: () => fail('persona_oauth_expired'),
  // 403
  accessDenied: (said?: Message) => fail('access_denied', said),
  notKakaoUser: () => fail('not_kakao_user'),
  igAccountNotAccessible: () => fail('ig_account_not_accessible'),
  /** Each detail names a permission and why it is missing (declined, expired, not granted). */
  permissionMissing: (missing: Details = []) => fail('permission_missing', undefined, missing),
  originForbidden: () => fail('origin_forbidden'),
  /** The link was made without the insights permission: linking again grants it. */
  insightsPermissionMissing: () => fail('insights_permission_missing'),
  // 404
  routeNotFound: () => fail('not_found'),
  fileNotFound: () => fail('not_found', message('file_not_found')),
  personaNotFound: () => fail('persona_not_found'),
  postNotFound: () => fail('post_not_found'),
  deletionRequestNotFound: () => fail('not_found', message('deletion_request_not_found')),
  // 409
  personaCreateConflict: () => fail('persona_create_conflict'),
  igAccountAlreadyLinked: () => fail('ig_account_already_linked'),
  postNotEditable: (said?: Message) => fail('post_not_editable', said),
  postNotPublishable: (said?: Message) => fail('post_not_publishable', said),
  personaNotLinked: () => fail('persona_not_linked'),
  postNotPublished: () => fail('post_not_published'),
  // 413, 415
  payloadTooLarge: () => fail('payload_too_large'),
  unsupportedMediaType: (said?: Message) => fail('unsupported_media_type', said),
  // 422
  validationFailed: (said?: Message, details?: Details) => fail('validation_failed', said, details),
  invalidBirthday: (said?: Message) => fail('invalid_birthday', said),
  mediaInvalid: (said?: Message) => fail('media_invalid', said),
  birthdayTooOld: () => fail('birthday_too_old'),
  birthdayInFuture: () => fail('birthday_in_future'),
  invalidGender: () => fail('invalid_gender'),
  captionTooLong: () => fail('caption_too_long'),
  tooManyHashtags: () => fail('too_many_hashtags'),
  tooManyMentions: () => fail('too_many_mentions'),
  mediaNotFound: () => fail('media_not_found'),
  storyInvalid: (said?: Message) => fail('story_invalid', said),
  scheduleInPast: () => fail('schedule_in_past'),
  scheduleTooFar: () => fail('schedule_too_far'),
  invalidTimeZone: () => fail('invalid_time_zone'),
  // 429
  rateLimited: (retryAfterSeconds: number, said?: Message) => new DomainError('rate_limited', said, undefined, retryAfterSeconds),
  // 500
  internalError: () => fail('internal_error'),
  // 502
  providerError: (said?: Message) => fail('provider_error', said),
  upstreamUnavailable: (said?: Message) => fail('upstream_unavailable', said),
  // 503
  providerNotConfigured: (said?: Message) => fail('provider_not_configured', said),
  kakaoAdminKeyMissing: () => fail('kakao_admin_key_missing'),
  dbUnavailable: (said?: Message) => fail('db_unavailable', said),
  mediaStoreUnavailable: () => fail('media_store_unavailable'),
};
