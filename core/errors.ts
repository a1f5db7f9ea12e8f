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

/** A sentence in each language the app answers in; the edge picks one by Accept-Language. */
export interface Text {
  en: string;
  ko: string;
}

export type Language = keyof Text;

export interface ErrorDetail {
  path: string;
  message: Text;
}

/**
 * Every code the app answers with, declared once with its kind and default message in English and Korean
 * (polite 해요체, written for the app's users). test/core/error-catalogue.test.ts holds it to the codes of API.md.
 */
const CATALOGUE = {
  // 400
  invalid_request: { kind: 'invalid_request', message: { en: 'The request is malformed.', ko: '요청 형식이 올바르지 않아요.' } },
  persona_required: {
    kind: 'invalid_request',
    message: { en: 'Name a persona with persona_id or persona_num.', ko: 'persona_id나 persona_num으로 페르소나를 지정해 주세요.' },
  },
  state_mismatch: {
    kind: 'invalid_request',
    message: {
      en: 'The sign-in state is missing, used, expired or wrong.',
      ko: '로그인 확인 정보가 없거나, 이미 쓰였거나, 만료됐거나, 올바르지 않아요.',
    },
  },
  state_invalid: {
    kind: 'invalid_request',
    message: { en: 'The state is not one this server signed.', ko: '이 서버에서 발급한 링크가 아니에요.' },
  },
  state_expired: {
    kind: 'invalid_request',
    message: { en: 'The link took longer than 10 minutes.', ko: '링크를 연 지 10분이 넘었어요. 처음부터 다시 시도해 주세요.' },
  },
  state_used: {
    kind: 'invalid_request',
    message: { en: 'This link was already used or started elsewhere.', ko: '이미 사용했거나 다른 곳에서 시작한 링크예요.' },
  },
  state_user_mismatch: {
    kind: 'invalid_request',
    message: { en: 'The link was started by another user.', ko: '다른 사용자가 시작한 링크예요.' },
  },
  invalid_signed_request: {
    kind: 'invalid_request',
    message: {
      en: 'The signed_request is malformed or not signed by this Meta app.',
      ko: 'signed_request 형식이 올바르지 않거나 이 Meta 앱이 서명한 요청이 아니에요.',
    },
  },
  // 401
  not_authenticated: { kind: 'unauthenticated', message: { en: 'Sign in first.', ko: '로그인이 필요해요.' } },
  persona_oauth_required: {
    kind: 'unauthenticated',
    message: { en: 'Link this persona to Instagram first.', ko: '먼저 이 페르소나를 인스타그램과 연결해 주세요.' },
  },
  persona_oauth_expired: {
    kind: 'unauthenticated',
    message: { en: 'The Instagram authorization has expired; link again.', ko: '인스타그램 연결 권한이 만료됐어요. 다시 연결해 주세요.' },
  },
  // 403
  access_denied: { kind: 'forbidden', message: { en: 'Access was denied.', ko: '접근이 거부됐어요.' } },
  not_kakao_user: {
    kind: 'forbidden',
    message: { en: 'Only a Kakao account can be unlinked from Kakao.', ko: '카카오 계정만 카카오에서 연결을 끊을 수 있어요.' },
  },
  ig_account_not_accessible: {
    kind: 'forbidden',
    message: {
      en: 'This persona’s Instagram authorization cannot see that account.',
      ko: '이 페르소나의 인스타그램 권한으로는 그 계정을 볼 수 없어요.',
    },
  },
  permission_missing: {
    kind: 'forbidden',
    message: {
      en: 'Facebook Login did not grant every permission the app needs.',
      ko: '페이스북 로그인에서 앱에 필요한 권한을 모두 받지 못했어요.',
    },
  },
  origin_forbidden: {
    kind: 'forbidden',
    message: {
      en: 'Requests that change something are accepted only from this app’s own pages.',
      ko: '무언가를 바꾸는 요청은 이 앱의 페이지에서만 받을 수 있어요.',
    },
  },
  // 404
  not_found: { kind: 'not_found', message: { en: 'No such route.', ko: '요청한 주소를 찾을 수 없어요.' } },
  persona_not_found: { kind: 'not_found', message: { en: 'No such persona.', ko: '페르소나를 찾을 수 없어요.' } },
  post_not_found: { kind: 'not_found', message: { en: 'No such post.', ko: '게시물을 찾을 수 없어요.' } },
  // 409
  persona_create_conflict: {
    kind: 'conflict',
    message: {
      en: 'Too many personas are being created at once; try again.',
      ko: '페르소나를 한꺼번에 너무 많이 만들고 있어요. 잠시 후 다시 시도해 주세요.',
    },
  },
  ig_account_already_linked: {
    kind: 'conflict',
    message: {
      en: 'This Instagram account is linked to another persona.',
      ko: '이 인스타그램 계정은 이미 다른 페르소나에 연결되어 있어요.',
    },
  },
  post_not_editable: {
    kind: 'conflict',
    message: { en: 'Only a draft, scheduled or failed post can be changed.', ko: '임시 저장, 예약, 실패 상태인 게시물만 바꿀 수 있어요.' },
  },
  post_not_publishable: {
    kind: 'conflict',
    message: {
      en: 'This post is already publishing, published or needs attention.',
      ko: '이 게시물은 이미 게시 중이거나, 게시됐거나, 확인이 필요한 상태예요.',
    },
  },
  persona_not_linked: {
    kind: 'conflict',
    message: { en: 'Link this persona to an Instagram account first.', ko: '먼저 이 페르소나를 인스타그램 계정과 연결해 주세요.' },
  },
  // 413, 415
  payload_too_large: { kind: 'payload_too_large', message: { en: 'The request body is too large.', ko: '요청 본문이 너무 커요.' } },
  unsupported_media_type: {
    kind: 'unsupported_media_type',
    message: { en: 'The body must be application/json.', ko: '요청 본문은 application/json 형식이어야 해요.' },
  },
  // 422
  validation_failed: { kind: 'validation', message: { en: 'The request body is invalid.', ko: '요청 내용이 올바르지 않아요.' } },
  invalid_birthday: {
    kind: 'validation',
    message: { en: 'birthday must be a date written YYYY-MM-DD.', ko: '생일은 YYYY-MM-DD 형식의 날짜로 적어 주세요.' },
  },
  birthday_too_old: { kind: 'validation', message: { en: 'birthday must be in 1900 or later.', ko: '생일은 1900년 이후여야 해요.' } },
  birthday_in_future: { kind: 'validation', message: { en: 'birthday cannot be after today.', ko: '생일은 오늘보다 뒤일 수 없어요.' } },
  invalid_gender: { kind: 'validation', message: { en: 'gender must be 남성 or 여성.', ko: '성별은 남성 또는 여성이어야 해요.' } },
  media_invalid: {
    kind: 'validation',
    message: {
      en: 'The bytes are not an image of the declared type, or do not decode.',
      ko: '선언한 형식의 이미지가 아니거나 이미지를 읽을 수 없어요.',
    },
  },
  caption_too_long: { kind: 'validation', message: { en: 'The caption is longer than 2,200 characters.', ko: '캡션이 2,200자를 넘어요.' } },
  too_many_hashtags: {
    kind: 'validation',
    message: { en: 'The caption has more than 30 hashtags.', ko: '캡션의 해시태그가 30개를 넘어요.' },
  },
  too_many_mentions: {
    kind: 'validation',
    message: { en: 'The caption mentions more than 20 accounts.', ko: '캡션에서 언급한 계정이 20개를 넘어요.' },
  },
  media_not_found: {
    kind: 'validation',
    message: { en: 'An image of the post is not in your media library.', ko: '게시물의 이미지 중 미디어 보관함에 없는 이미지가 있어요.' },
  },
  schedule_in_past: { kind: 'validation', message: { en: 'The scheduled time has already passed.', ko: '예약한 시간이 이미 지났어요.' } },
  schedule_too_far: {
    kind: 'validation',
    message: { en: 'A post can be scheduled at most 365 days ahead.', ko: '게시물은 최대 365일 뒤까지만 예약할 수 있어요.' },
  },
  invalid_time_zone: {
    kind: 'validation',
    message: { en: 'time_zone is not an IANA time zone.', ko: 'time_zone이 IANA 시간대가 아니에요.' },
  },
  // 429
  rate_limited: {
    kind: 'rate_limited',
    message: { en: 'Too many images; try again shortly.', ko: '이미지 요청이 너무 많아요. 잠시 후 다시 시도해 주세요.' },
  },
  // 500
  internal_error: {
    kind: 'internal',
    message: { en: 'Something went wrong on our side.', ko: '서버에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.' },
  },
  // 502
  provider_error: {
    kind: 'upstream',
    message: { en: 'The provider did not complete the sign-in.', ko: '로그인 서비스에서 로그인을 마치지 못했어요.' },
  },
  upstream_unavailable: {
    kind: 'upstream',
    message: { en: 'An upstream service did not answer.', ko: '외부 서비스가 응답하지 않았어요. 잠시 후 다시 시도해 주세요.' },
  },
  // 503
  provider_not_configured: {
    kind: 'unavailable',
    message: { en: 'This provider is not configured on this server.', ko: '이 서버에는 이 서비스가 설정되어 있지 않아요.' },
  },
  kakao_admin_key_missing: {
    kind: 'unavailable',
    message: { en: 'Kakao unlink is not configured on this server.', ko: '이 서버에는 카카오 연결 끊기가 설정되어 있지 않아요.' },
  },
  db_unavailable: {
    kind: 'unavailable',
    message: { en: 'The database is unavailable.', ko: '데이터베이스를 사용할 수 없어요. 잠시 후 다시 시도해 주세요.' },
  },
} as const satisfies Record<string, { kind: ErrorKind; message: Text }>;

/** A stable snake_case code of the contract: the `error` of every error body. */
export type ErrorCode = keyof typeof CATALOGUE;

export const ERROR_CODES = Object.keys(CATALOGUE) as ErrorCode[];

/** The kind of a code, as the catalogue declares it (the edge turns it into a status). */
export function kindOfCode(code: ErrorCode): ErrorKind {
  return CATALOGUE[code].kind;
}

/**
 * A violation of a rule, carrying the contract's code; its kind follows from the code.
 * `message` is the English text (for logs); `text` holds every language.
 */
export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    readonly text: Text = CATALOGUE[code].message,
    readonly details?: ErrorDetail[],
    /** Seconds until a rate-limited caller may retry. */
    readonly retryAfterSeconds?: number,
  ) {
    super(text.en);
    this.name = 'DomainError';
    this.kind = CATALOGUE[code].kind;
  }
}

/** Whether `error` is a DomainError with one of `codes`. */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is DomainError {
  return error instanceof DomainError && codes.includes(error.code);
}

type Details = ErrorDetail[] | undefined;
const fail = (code: ErrorCode, message?: Text, details?: Details) => new DomainError(code, message, details);

/**
 * The factories: the only way to build an error. Arguments fill in what differs by place
 * (which provider, which rule, which field), in both languages; without them the catalogue's message is used.
 */
export const errors = {
  // 400
  malformedRequest: () => fail('invalid_request'),
  invalidQuery: (details: Details) =>
    fail('invalid_request', { en: 'A query parameter is invalid.', ko: '쿼리 매개변수가 올바르지 않아요.' }, details),
  personaRequired: (message?: Text) => fail('persona_required', message),
  stateMismatch: () => fail('state_mismatch'),
  stateInvalid: () => fail('state_invalid'),
  stateExpired: () => fail('state_expired'),
  stateUsed: () => fail('state_used'),
  stateUserMismatch: () => fail('state_user_mismatch'),
  invalidSignedRequest: () => fail('invalid_signed_request'),
  kakaoNoticeForAnotherApp: () =>
    fail('invalid_request', { en: 'The unlink notice names another Kakao app.', ko: '다른 카카오 앱에 대한 연결 끊기 알림이에요.' }),
  invalidIdempotencyKey: () =>
    fail('invalid_request', {
      en: 'The Idempotency-Key header must be 1–255 visible ASCII characters.',
      ko: 'Idempotency-Key 헤더는 눈에 보이는 ASCII 문자 1~255자여야 해요.',
    }),
  // 401
  notAuthenticated: () => fail('not_authenticated'),
  kakaoNoticeUnauthenticated: () =>
    fail('not_authenticated', {
      en: 'The unlink notice does not carry this app’s Kakao admin key.',
      ko: '연결 끊기 알림에 이 앱의 카카오 어드민 키가 없어요.',
    }),
  personaOauthRequired: (message?: Text) => fail('persona_oauth_required', message),
  personaOauthExpired: () => fail('persona_oauth_expired'),
  // 403
  accessDenied: (message?: Text) => fail('access_denied', message),
  notKakaoUser: () => fail('not_kakao_user'),
  igAccountNotAccessible: () => fail('ig_account_not_accessible'),
  /** Each detail names a permission (`path`) and why it is missing (`message`: declined, expired, not granted). */
  permissionMissing: (missing: Details = []) => fail('permission_missing', undefined, missing),
  originForbidden: () => fail('origin_forbidden'),
  // 404
  routeNotFound: () => fail('not_found'),
  fileNotFound: () => fail('not_found', { en: 'No such file.', ko: '파일을 찾을 수 없어요.' }),
  personaNotFound: () => fail('persona_not_found'),
  postNotFound: () => fail('post_not_found'),
  deletionRequestNotFound: () => fail('not_found', { en: 'No such deletion request.', ko: '삭제 요청을 찾을 수 없어요.' }),
  // 409
  personaCreateConflict: () => fail('persona_create_conflict'),
  igAccountAlreadyLinked: () => fail('ig_account_already_linked'),
  postNotEditable: (message?: Text) => fail('post_not_editable', message),
  postNotPublishable: (message?: Text) => fail('post_not_publishable', message),
  personaNotLinked: () => fail('persona_not_linked'),
  // 413, 415
  payloadTooLarge: () => fail('payload_too_large'),
  unsupportedMediaType: (message?: Text) => fail('unsupported_media_type', message),
  // 422
  validationFailed: (message?: Text, details?: Details) => fail('validation_failed', message, details),
  invalidBirthday: (message?: Text) => fail('invalid_birthday', message),
  mediaInvalid: (message?: Text) => fail('media_invalid', message),
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
  rateLimited: (retryAfterSeconds: number, message?: Text) => new DomainError('rate_limited', message, undefined, retryAfterSeconds),
  // 500
  internalError: () => fail('internal_error'),
  // 502
  providerError: (message?: Text) => fail('provider_error', message),
  upstreamUnavailable: (message?: Text) => fail('upstream_unavailable', message),
  // 503
  providerNotConfigured: (message?: Text) => fail('provider_not_configured', message),
  kakaoAdminKeyMissing: () => fail('kakao_admin_key_missing'),
  dbUnavailable: (message?: Text) => fail('db_unavailable', message),
};
