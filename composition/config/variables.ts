/**
 * Every environment variable the server reads, one record each, in the order of the API spec's
 * "Configuration" table. The validation (read-env.ts), the typed Config (typed-config.ts) and the
 * configuration table of docs/configuration.md (config-table.ts) are all derived from these records.
 */
import { bool, httpUrl, port, positiveInt, text, type Variable } from './variable.js';

const overridable = 'overridable (tests and mocks)';

export const VARIABLES = {
  PORT: { schema: port, default: '8000', description: 'listen port' },
  HOST: { schema: { pattern: '^\\S+$', description: 'must be a host name or address' }, default: '0.0.0.0', description: 'listen address' },
  NODE_ENV: {
    schema: { enum: ['development', 'production', 'test'], description: 'must be development, production or test' },
    default: 'development',
    description:
      '`production`: SESSION_SECRET (≥ 32 chars) and TOKEN_ENCRYPTION_KEY required, MOCK_PROVIDERS refused, `/__routes` 404. ' +
      'IG_LONG_LIVED_USER_TOKEN is honoured only in `development`',
  },
  BACKEND_URL: {
    schema: httpUrl,
    default: 'http://localhost:8000',
    description: 'public URL; https ⇒ Secure cookies (and `X-Forwarded-Proto` trusted)',
  },
  FRONTEND_URL: {
    schema: httpUrl,
    default: 'http://localhost:5174',
    description: 'where browser flows end; the one CORS origin with credentials',
  },
  STRICT_CORS: {
    schema: bool,
    default: '0',
    description: '1: only FRONTEND_URL may call cross-origin; 0: others get `*` without credentials',
  },
  SESSION_SECRET: {
    schema: text,
    secret: true,
    unset: 'random per process (development)',
    production: { required: true, schema: { minLength: 32, description: 'must be at least 32 characters when NODE_ENV=production' } },
    description: 'signs the session cookie and OAuth state; required in production (≥ 32 chars)',
  },
  SESSION_PREVIOUS_SECRETS: {
    schema: text,
    secret: true,
    production: {
      schema: {
        format: 'secret-list',
        description: 'must be comma-separated secrets of at least 32 characters each when NODE_ENV=production',
      },
    },
    description:
      'comma-separated former SESSION_SECRETs (rotation): what they signed (session cookies, sign-in cookies, OAuth state) is still accepted; nothing new is signed with them',
  },
  SESSION_COOKIE_NAME: {
    schema: { pattern: "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$", description: "must be a cookie name (letters, digits and !#$%&'*+-.^_`|~ only)" },
    default: 'sid',
    description: 'session cookie name',
  },
  SESSION_TTL_SECONDS: {
    schema: positiveInt,
    default: '1209600',
    description: 'absolute session lifetime from sign-in (14 days), enforced on the server',
  },
  DB_HOST: { schema: text, description: 'set ⇒ MySQL/MariaDB (`npm run db:migrate` first); unset ⇒ the embedded SQLite file' },
  DB_PORT: { schema: port, default: '3306', description: 'MySQL/MariaDB port' },
  DB_USER: { schema: text, default: 'root', description: 'MySQL/MariaDB user' },
  DB_PASS: { schema: text, default: '', secret: true, description: 'MySQL/MariaDB password' },
  DB_NAME: {
    schema: { pattern: '^[A-Za-z0-9_$]+$', description: 'must be letters, digits, _ or $' },
    default: 'selfstar',
    description: 'MySQL/MariaDB database (`db:migrate` creates it when missing)',
  },
  SQLITE_PATH: { schema: text, default: './data/selfstar.sqlite', description: 'embedded database file (`:memory:` allowed)' },
  REDIS_URL: {
    schema: { pattern: '^rediss?://\\S+$', description: 'must be a redis:// or rediss:// URL' },
    secret: true,
    description:
      'set ⇒ rate limits are counted in Redis (ioredis URL; options such as `?keyPrefix=app:` allowed); ' +
      'unset ⇒ in the MySQL/MariaDB table when DB_HOST is set, else in memory',
  },
  MEDIA_ROOT: { schema: text, default: './media', description: 'generated images' },
  AI_SERVICE_URL: { schema: httpUrl, description: 'AI image server; unset ⇒ SVG fallback' },
  AI_TIMEOUT_MS: { schema: positiveInt, default: '60000', description: 'total budget of one AI call' },
  AI_MAX_IMAGE_BYTES: { schema: positiveInt, default: '10485760', description: 'largest decoded image' },
  TOKEN_ENCRYPTION_KEY: {
    schema: { format: 'base64-32-bytes', description: 'must be base64 of exactly 32 bytes' },
    secret: true,
    unset: 'derived from SESSION_SECRET (development)',
    production: { required: true },
    description: '32 bytes, base64: encrypts OAuth tokens at rest; required in production',
  },
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: {
    schema: { format: 'base64-32-bytes-list', description: 'must be comma-separated base64 keys of exactly 32 bytes each' },
    secret: true,
    description: "comma-separated older keys that still open tokens sealed before a rotation (an addition to the contract's table)",
  },
  KAKAO_CLIENT_ID: { schema: text, description: 'Kakao login (REST API key)' },
  KAKAO_CLIENT_SECRET: { schema: text, secret: true, description: 'Kakao login: sent with the code exchange when set' },
  KAKAO_REDIRECT_URI: { schema: httpUrl, unset: '`{BACKEND_URL}/auth/kakao/callback`', description: 'Kakao login callback' },
  KAKAO_SCOPE: {
    schema: text,
    default: '',
    description: "Kakao scopes, comma-separated; those containing `email` are dropped; with none Kakao asks for the app's consent items",
  },
  KAKAO_ADMIN_KEY: {
    schema: text,
    secret: true,
    description:
      "Kakao admin key: `POST /auth/kakao/unlink`, `DELETE /users/me` of a Kakao user, and authenticating Kakao's unlink notices",
  },
  KAKAO_AUTH_BASE_URL: { schema: httpUrl, default: 'https://kauth.kakao.com', description: overridable },
  KAKAO_API_BASE_URL: { schema: httpUrl, default: 'https://kapi.kakao.com', description: overridable },
  GOOGLE_CLIENT_ID: { schema: text, description: 'Google login' },
  GOOGLE_CLIENT_SECRET: { schema: text, secret: true, description: 'Google login' },
  GOOGLE_REDIRECT_URI: { schema: httpUrl, unset: '`{BACKEND_URL}/auth/google/callback`', description: 'Google login callback' },
  GOOGLE_AUTHORIZE_URL: { schema: httpUrl, default: 'https://accounts.google.com/o/oauth2/v2/auth', description: overridable },
  GOOGLE_TOKEN_URL: { schema: httpUrl, default: 'https://oauth2.googleapis.com/token', description: overridable },
  GOOGLE_USERINFO_URL: { schema: httpUrl, default: 'https://openidconnect.googleapis.com/v1/userinfo', description: overridable },
  META_APP_ID: { schema: text, description: 'Instagram linking (Facebook Login)' },
  META_APP_SECRET: { schema: text, secret: true, description: 'Instagram linking; also signs every Graph call (`appsecret_proof`)' },
  META_REDIRECT_URI: { schema: httpUrl, unset: '`{BACKEND_URL}/oauth/instagram/callback`', description: 'Instagram linking callback' },
  META_SCOPES: {
    schema: text,
    default: 'pages_show_list,instagram_basic,instagram_content_publish,pages_read_engagement,instagram_manage_insights',
    description: 'Instagram linking, publishing and insights scopes, comma-separated',
  },
  META_DIALOG_URL: { schema: httpUrl, default: 'https://www.facebook.com/v25.0/dialog/oauth', description: overridable },
  META_GRAPH_BASE_URL: { schema: httpUrl, default: 'https://graph.facebook.com/v25.0', description: overridable },
  IG_LONG_LIVED_USER_TOKEN: { schema: text, secret: true, description: 'development-only fallback token' },
  APP_TIMEZONE: {
    schema: { format: 'iana-time-zone', description: 'must be an IANA time zone such as Asia/Seoul' },
    default: 'Asia/Seoul',
    description: 'day boundary for birthday rules (IANA zone)',
  },
  BODY_LIMIT: {
    schema: {
      pattern: '^[1-9][0-9]{0,12}(?:[kKmM]?[bB])?$',
      description: 'must be a size in bytes, optionally with b, kb or mb (e.g. 64kb)',
    },
    default: '64kb',
    description: 'largest JSON body (`b`, `kb`, `mb` or bytes)',
  },
  MEDIA_UPLOAD_LIMIT: {
    schema: {
      pattern: '^[1-9][0-9]{0,12}(?:[kKmM]?[bB])?$',
      description: 'must be a size in bytes, optionally with b, kb or mb (e.g. 8mb)',
    },
    default: '8mb',
    description: 'largest image POST /api/media takes (`b`, `kb`, `mb` or bytes)',
  },
  IMAGE_RATE_PER_MINUTE: { schema: positiveInt, default: '10', description: 'image generations per user per minute' },
  SIGN_IN_RATE_PER_MINUTE: {
    schema: positiveInt,
    default: '30',
    description: 'per client IP and minute: sign-in and Instagram starts, and (counted apart) their callbacks',
  },
  LOG_LEVEL: {
    schema: {
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      description: 'must be one of fatal, error, warn, info, debug, trace, silent',
    },
    default: 'info',
    description: 'pino level (`warn` for benchmarks)',
  },
  MOCK_PROVIDERS: {
    schema: bool,
    default: '0',
    production: { schema: { enum: ['0', 'false'], description: 'must be 0 when NODE_ENV=production' } },
    description: '1: in-process fakes for Kakao, Google, Meta and the AI server; refused in production',
  },
  KAKAO_APP_ID: {
    schema: { pattern: '^[0-9]{1,20}$', description: 'must be the digits of a Kakao app id' },
    description: "the Kakao app's id: an unlink notice naming another app is refused (unset: the admin key alone authenticates notices)",
  },
  METRICS_TOKEN: {
    schema: text,
    secret: true,
    description: 'set: `GET /metrics` requires `Authorization: Bearer <token>`; unset: open, except in production, where /metrics is 404',
  },
  MEDIA_STORE: {
    schema: { enum: ['disk', 's3'], description: 'must be disk or s3' },
    default: 'disk',
    description:
      'where media files live: `disk` (MEDIA_ROOT) or `s3` (any S3-compatible object store: AWS S3, R2, MinIO…); with `s3` instances on different machines share every file',
  },
  S3_BUCKET: { schema: text, description: 'the bucket of MEDIA_STORE=s3 (required then)' },
  S3_REGION: {
    schema: { pattern: '^[a-z0-9-]+$', description: 'must be a region name such as us-east-1' },
    default: 'us-east-1',
    description: "the bucket's region",
  },
  S3_ENDPOINT: { schema: httpUrl, unset: 'AWS', description: 'the endpoint of a non-AWS S3-compatible store' },
  S3_FORCE_PATH_STYLE: { schema: bool, default: '0', description: '1: path-style bucket URLs, for stores without virtual-host buckets' },
  S3_PREFIX: {
    schema: {
      pattern: "^(?:[A-Za-z0-9!_.*'()-]+/)+$",
      description: "must end with / (letters, digits and !_.*'()- between slashes)",
    },
    default: 'media/',
    description: 'what every object key starts with (the key is the prefix and the file name)',
  },
  S3_ACCESS_KEY_ID: {
    schema: text,
    secret: true,
    description: "static credentials; unset ⇒ the AWS SDK's default chain (environment, profile, instance role)",
  },
  S3_SECRET_ACCESS_KEY: { schema: text, secret: true, description: 'static credentials (with S3_ACCESS_KEY_ID)' },
  S3_PUBLIC_BASE_URL: {
    schema: httpUrl,
    description:
      "a public or CDN URL of the bucket's objects: set ⇒ `GET /media/<file>` answers 302 to `{S3_PUBLIC_BASE_URL}/{key}` instead of streaming",
  },
  S3_PRESIGN_SECONDS: {
    schema: positiveInt,
    default: '3600',
    description: 'lifetime of the presigned GET URLs that Meta fetches when publishing from MEDIA_STORE=s3',
  },
  INSTAGRAM_APP_ID: {
    schema: text,
    description: "Instagram Login: the Instagram app's id (Meta app dashboard → Instagram → API setup with Instagram login)",
  },
  INSTAGRAM_APP_SECRET: {
    schema: text,
    secret: true,
    description:
      "Instagram Login: the Instagram app's secret (not the Facebook app's); also verifies its deauthorize and data-deletion notices",
  },
  INSTAGRAM_REDIRECT_URI: {
    schema: httpUrl,
    unset: '`{BACKEND_URL}/oauth/instagram-login/callback`',
    description: 'Instagram Login callback',
  },
  INSTAGRAM_SCOPES: {
    schema: text,
    default: 'instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights',
    description: 'Instagram Login scopes, comma-separated: every one must be granted',
  },
  INSTAGRAM_AUTHORIZE_URL: { schema: httpUrl, default: 'https://www.instagram.com/oauth/authorize', description: overridable },
  INSTAGRAM_TOKEN_URL: { schema: httpUrl, default: 'https://api.instagram.com/oauth/access_token', description: overridable },
  INSTAGRAM_GRAPH_URL: {
    schema: httpUrl,
    default: 'https://graph.instagram.com',
    description: `${overridable}; token exchange and refresh at \`/access_token\` and \`/refresh_access_token\`, the rest at \`/{INSTAGRAM_API_VERSION}/…\``,
  },
  INSTAGRAM_API_VERSION: {
    schema: { pattern: '^v[0-9]{1,3}\\.[0-9]{1,2}$', description: 'must be a Graph API version such as v25.0' },
    default: 'v25.0',
    description: 'the version of the Instagram Graph calls',
  },
  S3_TIMEOUT_MS: {
    schema: positiveInt,
    default: '5000',
    description:
      "MEDIA_STORE=s3: a bucket that has not answered within this is unavailable (503 `media_store_unavailable`) (an addition to the contract's table)",
  },
  PUBLIC_MEDIA_BASE_URL: {
    schema: httpUrl,
    unset: 'BACKEND_URL',
    description: 'absolute base URL at which Meta can fetch `/media/...` files when publishing (https in production)',
  },
  WORKER: {
    schema: bool,
    default: '1',
    description: '1: this process also runs the job worker (publishing, token checks); 0: HTTP only. `npm run worker` runs a worker alone',
  },
  INSIGHTS_REFRESH_MINUTES: {
    schema: positiveInt,
    default: '15',
    description: "a post's insights are asked of Meta at most this often; older answers come from the database",
  },
  WORKER_POLL_MS: {
    schema: positiveInt,
    default: '1000',
    description: "how often an idle worker looks for due jobs (an addition to the contract's table)",
  },
  JOB_LEASE_MS: {
    schema: positiveInt,
    default: '60000',
    description:
      "how long a claimed job stays its worker's without a heartbeat (beats every third of it): a worker that dies loses its jobs after this (an addition to the contract's table)",
  },
  PUBLISH_STATUS_POLL_MS: {
    schema: positiveInt,
    default: '5000',
    description:
      "publishing: the wait between reads of a container's status until Meta has processed it (an addition to the contract's table)",
  },
  PUBLISH_STATUS_POLLS: {
    schema: positiveInt,
    default: '12',
    description:
      "publishing: status reads per try; a container still in progress after them is looked at again later, the try not counted (an addition to the contract's table)",
  },
  PUBLISH_QUOTA_RECHECK_MS: {
    schema: positiveInt,
    default: '900000',
    description:
      "publishing: how long a post waits when the account's 24-hour publishing quota is used up before the quota is read again (an addition to the contract's table)",
  },
  SHUTDOWN_GRACE_MS: {
    schema: positiveInt,
    default: '10000',
    description:
      'on SIGTERM/SIGINT, how long in-flight requests may finish; the process exits within this plus 5 s whatever hangs ' +
      "(an addition to the contract's table)",
  },
} as const satisfies Record<string, Variable>;

export type EnvName = keyof typeof VARIABLES;
/** Every variable, in the records' order. */
export const ENV_NAMES: readonly EnvName[] = Object.keys(VARIABLES) as EnvName[];
/** Values never echoed in an error message. */
export const SECRET_NAMES: ReadonlySet<EnvName> = new Set(ENV_NAMES.filter((name) => (VARIABLES[name] as Variable).secret));

type ValueOf<N extends EnvName> = (typeof VARIABLES)[N]['schema'] extends { enum: readonly (infer E)[] } ? E : string;
type Defaulted = { [N in EnvName]: (typeof VARIABLES)[N] extends { default: string } ? N : never }[EnvName];
/** The environment after validation: a variable with a default is always there; enums are their values' union. */
export type RawEnv = { [N in Defaulted]: ValueOf<N> } & { [N in Exclude<EnvName, Defaulted>]?: ValueOf<N> };
