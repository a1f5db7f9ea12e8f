/**
 * The JSON Schema that validates the raw environment strings (see the
 * "Configuration" table in the API spec). loadConfig (config.ts) converts the
 * validated strings into the typed Config.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Every variable of the spec's table, in its order. */
export const ENV_NAMES = [
  'PORT', 'HOST', 'NODE_ENV', 'BACKEND_URL', 'FRONTEND_URL', 'STRICT_CORS',
  'SESSION_SECRET', 'SESSION_COOKIE_NAME', 'SESSION_TTL_SECONDS',
  'DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASS', 'DB_NAME', 'SQLITE_PATH', 'MEDIA_ROOT',
  'AI_SERVICE_URL', 'AI_TIMEOUT_MS', 'AI_MAX_IMAGE_BYTES', 'TOKEN_ENCRYPTION_KEY', 'TOKEN_ENCRYPTION_PREVIOUS_KEYS',
  'KAKAO_CLIENT_ID', 'KAKAO_CLIENT_SECRET', 'KAKAO_REDIRECT_URI', 'KAKAO_SCOPE', 'KAKAO_ADMIN_KEY',
  'KAKAO_AUTH_BASE_URL', 'KAKAO_API_BASE_URL',
  'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_REDIRECT_URI',
  'GOOGLE_AUTHORIZE_URL', 'GOOGLE_TOKEN_URL', 'GOOGLE_USERINFO_URL',
  'META_APP_ID', 'META_APP_SECRET', 'META_REDIRECT_URI', 'META_SCOPES', 'META_DIALOG_URL', 'META_GRAPH_BASE_URL',
  'IG_LONG_LIVED_USER_TOKEN', 'APP_TIMEZONE', 'BODY_LIMIT', 'IMAGE_RATE_PER_MINUTE', 'LOG_LEVEL', 'MOCK_PROVIDERS',
] as const;
export type EnvName = (typeof ENV_NAMES)[number];

/** Values never echoed in an error message. */
export const SECRET_NAMES: ReadonlySet<EnvName> = new Set<EnvName>([
  'SESSION_SECRET', 'DB_PASS', 'TOKEN_ENCRYPTION_KEY', 'TOKEN_ENCRYPTION_PREVIOUS_KEYS', 'KAKAO_CLIENT_SECRET', 'KAKAO_ADMIN_KEY',
  'GOOGLE_CLIENT_SECRET', 'META_APP_SECRET', 'IG_LONG_LIVED_USER_TOKEN',
]);

/** The spec's defaults, applied by ajv (useDefaults) to unset variables. */
export const DEFAULTS = {
  PORT: '8000',
  HOST: '0.0.0.0',
  NODE_ENV: 'development',
  BACKEND_URL: 'http://localhost:8000',
  FRONTEND_URL: 'http://localhost:5174',
  STRICT_CORS: '0',
  SESSION_COOKIE_NAME: 'sid',
  SESSION_TTL_SECONDS: '1209600',
  SQLITE_PATH: './data/selfstar.sqlite',
  MEDIA_ROOT: './media',
  AI_TIMEOUT_MS: '60000',
  AI_MAX_IMAGE_BYTES: '10485760',
  KAKAO_SCOPE: '',
  KAKAO_AUTH_BASE_URL: 'https://kauth.kakao.com',
  KAKAO_API_BASE_URL: 'https://kapi.kakao.com',
  GOOGLE_AUTHORIZE_URL: 'https://accounts.google.com/o/oauth2/v2/auth',
  GOOGLE_TOKEN_URL: 'https://oauth2.googleapis.com/token',
  GOOGLE_USERINFO_URL: 'https://openidconnect.googleapis.com/v1/userinfo',
  META_SCOPES: 'pages_show_list,instagram_basic',
  META_DIALOG_URL: 'https://www.facebook.com/v25.0/dialog/oauth',
  META_GRAPH_BASE_URL: 'https://graph.facebook.com/v25.0',
  APP_TIMEZONE: 'Asia/Seoul',
  BODY_LIMIT: '64kb',
  IMAGE_RATE_PER_MINUTE: '10',
  LOG_LEVEL: 'info',
  MOCK_PROVIDERS: '0',
} as const satisfies Partial<Record<EnvName, string>>;

type Defaulted = keyof typeof DEFAULTS;
/** The environment after validation: defaulted variables are always present. */
export type RawEnv = Record<Defaulted, string> & Partial<Record<Exclude<EnvName, Defaulted>, string>>;

const port = {
  pattern: '^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$',
  description: 'must be an integer from 1 to 65535',
};
const positiveInt = { pattern: '^[1-9][0-9]{0,14}$', description: 'must be a positive integer' };
const bool = { enum: ['0', '1', 'true', 'false'], description: 'must be 0 or 1 (or true/false)' };
const httpUrl = { format: 'uri', pattern: '^https?://\\S+$', description: 'must be an http(s) URL' };
const text = { description: 'must be a string' };

const PROPERTIES: Record<EnvName, object> = {
  PORT: port,
  HOST: { pattern: '^\\S+$', description: 'must be a host name or address' },
  NODE_ENV: { enum: ['development', 'production', 'test'], description: 'must be development, production or test' },
  BACKEND_URL: httpUrl, FRONTEND_URL: httpUrl, STRICT_CORS: bool,
  SESSION_SECRET: text,
  SESSION_COOKIE_NAME: {
    pattern: "^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$",
    description: 'must be a cookie name (letters, digits and !#$%&\'*+-.^_`|~ only)',
  },
  SESSION_TTL_SECONDS: positiveInt,
  DB_HOST: text, DB_PORT: port, DB_USER: text, DB_PASS: text, DB_NAME: text,
  SQLITE_PATH: text, MEDIA_ROOT: text,
  AI_SERVICE_URL: httpUrl, AI_TIMEOUT_MS: positiveInt, AI_MAX_IMAGE_BYTES: positiveInt,
  TOKEN_ENCRYPTION_KEY: { format: 'base64-32-bytes', description: 'must be base64 of exactly 32 bytes' },
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: { format: 'base64-32-bytes-list', description: 'must be comma-separated base64 keys of exactly 32 bytes each' },
  KAKAO_CLIENT_ID: text, KAKAO_CLIENT_SECRET: text, KAKAO_REDIRECT_URI: httpUrl,
  KAKAO_SCOPE: text, KAKAO_ADMIN_KEY: text, KAKAO_AUTH_BASE_URL: httpUrl, KAKAO_API_BASE_URL: httpUrl,
  GOOGLE_CLIENT_ID: text, GOOGLE_CLIENT_SECRET: text, GOOGLE_REDIRECT_URI: httpUrl,
  GOOGLE_AUTHORIZE_URL: httpUrl, GOOGLE_TOKEN_URL: httpUrl, GOOGLE_USERINFO_URL: httpUrl,
  META_APP_ID: text, META_APP_SECRET: text, META_REDIRECT_URI: httpUrl, META_SCOPES: text,
  META_DIALOG_URL: httpUrl, META_GRAPH_BASE_URL: httpUrl,
  IG_LONG_LIVED_USER_TOKEN: text,
  APP_TIMEZONE: { format: 'iana-time-zone', description: 'must be an IANA time zone such as Asia/Seoul' },
  BODY_LIMIT: {
    pattern: '^[1-9][0-9]{0,12}(?:[kKmM]?[bB])?$',
    description: 'must be a size in bytes, optionally with b, kb or mb (e.g. 64kb)',
  },
  IMAGE_RATE_PER_MINUTE: positiveInt,
  LOG_LEVEL: {
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'must be one of fatal, error, warn, info, debug, trace, silent',
  },
  MOCK_PROVIDERS: bool,
};

const REQUIRED_IN_PRODUCTION = 'is required when NODE_ENV=production';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    ENV_NAMES.map((name) => {
      const fallback = (DEFAULTS as Partial<Record<EnvName, string>>)[name];
      return [name, { type: 'string', ...PROPERTIES[name], ...(fallback === undefined ? {} : { default: fallback }) }];
    }),
  ),
  // The production rules.
  if: { type: 'object', required: ['NODE_ENV'], properties: { NODE_ENV: { type: 'string', const: 'production' } } },
  then: {
    type: 'object',
    allOf: [
      { type: 'object', required: ['SESSION_SECRET'], description: REQUIRED_IN_PRODUCTION },
      {
        type: 'object',
        properties: {
          SESSION_SECRET: { type: 'string', minLength: 32, description: 'must be at least 32 characters when NODE_ENV=production' },
        },
      },
      { type: 'object', required: ['TOKEN_ENCRYPTION_KEY'], description: REQUIRED_IN_PRODUCTION },
      {
        type: 'object',
        properties: { MOCK_PROVIDERS: { type: 'string', enum: ['0', 'false'], description: 'must be 0 when NODE_ENV=production' } },
      },
    ],
  },
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isBase64Of32Bytes(value: string): boolean {
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === 32 && decoded.toString('base64') === value;
}

const ajv = new Ajv({ allErrors: false, $data: false, useDefaults: true, verbose: true, strict: true, strictRequired: false });
addFormatsModule.default(ajv, ['uri']);
ajv.addFormat('iana-time-zone', { type: 'string', validate: isTimeZone });
ajv.addFormat('base64-32-bytes', { type: 'string', validate: isBase64Of32Bytes });
ajv.addFormat('base64-32-bytes-list', { type: 'string', validate: (list: string) => list.split(',').every((key) => isBase64Of32Bytes(key.trim())) });

/** Validates (and fills in the defaults of) an object holding the set variables. */
export const validateEnv: ValidateFunction<RawEnv> = ajv.compile<RawEnv>(schema);

/** The variable an ajv error is about, and what it requires of it. */
export function describeError(error: ErrorObject): { name: string; requirement: string } {
  const parent = error.parentSchema as { description?: string } | undefined;
  const requirement = parent?.description ?? error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    return { name: String((error.params as { missingProperty: string }).missingProperty), requirement };
  }
  return { name: error.instancePath.replace(/^\//, '') || 'environment', requirement };
}
