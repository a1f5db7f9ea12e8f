/**
 * Reads and validates the environment once at start (API spec, "Configuration").
 * An invalid value throws a ConfigError whose one-line message names the variable;
 * the entry point prints it to stderr and exits 1.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import bytes from 'bytes';
import type { Config } from './config-types.js';
import { ENV_NAMES, SECRET_NAMES, describeError, validateEnv, type EnvName, type RawEnv } from './config-schema.js';

export type { Config } from './config-types.js';

/** A missing or invalid environment variable; the message is one line and names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const TOKEN_KEY_INFO = 'selfstar token encryption';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = validate(env);
  const production = raw.NODE_ENV === 'production';
  const warnings: string[] = [];

  let sessionSecret = raw.SESSION_SECRET;
  if (sessionSecret === undefined) {
    // Only reachable outside production: the schema requires it there.
    sessionSecret = randomBytes(32).toString('base64url');
    warnings.push(
      'SESSION_SECRET is not set: using a random secret for this process only ' +
        '(sessions, OAuth state and stored OAuth tokens will not survive a restart)',
    );
  }
  const tokenEncryptionKey =
    raw.TOKEN_ENCRYPTION_KEY !== undefined
      ? Buffer.from(raw.TOKEN_ENCRYPTION_KEY, 'base64')
      : Buffer.from(hkdfSync('sha256', sessionSecret, Buffer.alloc(0), TOKEN_KEY_INFO, 32));

  let igLongLivedUserToken = raw.IG_LONG_LIVED_USER_TOKEN ?? null;
  if (raw.NODE_ENV !== 'development' && igLongLivedUserToken !== null) {
    igLongLivedUserToken = null; // a development-only shortcut: never in production, nor in test runs
    warnings.push(`IG_LONG_LIVED_USER_TOKEN is ignored when NODE_ENV=${raw.NODE_ENV}`);
  }

  return {
    port: Number(raw.PORT),
    host: raw.HOST,
    nodeEnv: raw.NODE_ENV as Config['nodeEnv'],
    production,
    backendUrl: stripSlash(raw.BACKEND_URL),
    frontendUrl: stripSlash(raw.FRONTEND_URL),
    strictCors: flag(raw.STRICT_CORS),
    sessionSecret,
    sessionCookieName: raw.SESSION_COOKIE_NAME,
    sessionTtlSeconds: Number(raw.SESSION_TTL_SECONDS),
    mysql:
      raw.DB_HOST === undefined
        ? null
        : {
            host: raw.DB_HOST,
            port: Number(raw.DB_PORT ?? '3306'),
            user: raw.DB_USER ?? 'root',
            password: raw.DB_PASS ?? '',
            dbName: raw.DB_NAME ?? 'selfstar',
          },
    sqlitePath: raw.SQLITE_PATH,
    mediaRoot: raw.MEDIA_ROOT,
    ai: {
      serviceUrl: raw.AI_SERVICE_URL === undefined ? null : stripSlash(raw.AI_SERVICE_URL),
      timeoutMs: Number(raw.AI_TIMEOUT_MS),
      maxImageBytes: Number(raw.AI_MAX_IMAGE_BYTES),
    },
    tokenEncryptionKey,
    previousTokenEncryptionKeys: (raw.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? '')
      .split(',')
      .filter((key) => key.trim())
      .map((key) => Buffer.from(key.trim(), 'base64')),
    kakao: {
      clientId: raw.KAKAO_CLIENT_ID ?? null,
      clientSecret: raw.KAKAO_CLIENT_SECRET ?? null,
      redirectUri: raw.KAKAO_REDIRECT_URI ?? null,
      scope: scopeList(raw.KAKAO_SCOPE, (scope) => !scope.toLowerCase().includes('email')),
      adminKey: raw.KAKAO_ADMIN_KEY ?? null,
      authBaseUrl: stripSlash(raw.KAKAO_AUTH_BASE_URL),
      apiBaseUrl: stripSlash(raw.KAKAO_API_BASE_URL),
    },
    google: {
      clientId: raw.GOOGLE_CLIENT_ID ?? null,
      clientSecret: raw.GOOGLE_CLIENT_SECRET ?? null,
      redirectUri: raw.GOOGLE_REDIRECT_URI ?? null,
      authorizeUrl: stripSlash(raw.GOOGLE_AUTHORIZE_URL),
      tokenUrl: stripSlash(raw.GOOGLE_TOKEN_URL),
      userinfoUrl: stripSlash(raw.GOOGLE_USERINFO_URL),
    },
    meta: {
      appId: raw.META_APP_ID ?? null,
      appSecret: raw.META_APP_SECRET ?? null,
      redirectUri: raw.META_REDIRECT_URI ?? null,
      scopes: scopeList(raw.META_SCOPES, () => true),
      dialogUrl: stripSlash(raw.META_DIALOG_URL),
      graphBaseUrl: stripSlash(raw.META_GRAPH_BASE_URL),
    },
    igLongLivedUserToken,
    appTimezone: raw.APP_TIMEZONE,
    bodyLimit: parseBytes(raw.BODY_LIMIT),
    imageRatePerMinute: Number(raw.IMAGE_RATE_PER_MINUTE),
    logLevel: raw.LOG_LEVEL as Config['logLevel'],
    mockProviders: flag(raw.MOCK_PROVIDERS),
    warnings,
  };
}

/** Reads every variable once (empty strings count as unset), validates, and fills in the defaults. */
function validate(env: NodeJS.ProcessEnv): RawEnv {
  const raw: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (validateEnv(raw)) return raw;
  const error = validateEnv.errors?.[0];
  if (error === undefined) throw new ConfigError('environment', 'the environment is invalid');
  const { name, requirement } = describeError(error);
  const value = raw[name as EnvName];
  const shown =
    value === undefined || error.keyword === 'required'
      ? ''
      : SECRET_NAMES.has(name as EnvName)
        ? ' (value not shown)'
        : ` (got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})`;
  throw new ConfigError(name, `${name} ${requirement}${shown}`);
}

function flag(value: string): boolean {
  return value === '1' || value === 'true';
}

/** Every URL leaves here without trailing slashes: the adapters append paths to base URLs as given. */
function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Trims a comma-separated list, drops empty entries and those `keep` rejects. */
function scopeList(value: string, keep: (scope: string) => boolean): string {
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '' && keep(scope))
    .join(',');
}

function parseBytes(value: string): number {
  const parsed = bytes.parse(value);
  // The schema's pattern only lets through what bytes can parse.
  if (parsed === null) throw new ConfigError('BODY_LIMIT', `BODY_LIMIT must be a size in bytes (got ${JSON.stringify(value)})`);
  return parsed;
}
