/**
 * Shapes the validated variables (read-env.ts) into the typed Config: the Config type is what
 * typedConfig returns. Values that need more than a default (the MySQL options, the development
 * secret and key, the scope lists) are shaped here and nowhere else.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import bytes from 'bytes';
import { ConfigError } from './read-env.js';
import { ENV_NAMES, type EnvName, type RawEnv } from './variables.js';

type DbName = Extract<EnvName, `DB_${string}`>;
/** The variables that name the MySQL/MariaDB database (what `npm run db:migrate` reads). */
export const DB_NAMES = ENV_NAMES.filter((name): name is DbName => name.startsWith('DB_'));

/** Set when DB_HOST is set; otherwise the embedded SQLite file is used. */
export function mysqlOptions(raw: Pick<RawEnv, DbName>) {
  if (raw.DB_HOST === undefined) return null;
  return { host: raw.DB_HOST, port: Number(raw.DB_PORT), user: raw.DB_USER, password: raw.DB_PASS, dbName: raw.DB_NAME };
}

const TOKEN_KEY_INFO = 'selfstar token encryption';

export function typedConfig(raw: RawEnv) {
  const warnings: string[] = [];

  let sessionSecret = raw.SESSION_SECRET;
  if (sessionSecret === undefined) {
    // Only reachable outside production: the production rules require it there.
    sessionSecret = randomBytes(32).toString('base64url');
    warnings.push(
      'SESSION_SECRET is not set: using a random secret for this process only ' +
        '(sessions, OAuth state and stored OAuth tokens will not survive a restart)',
    );
  }
  const previousSessionSecrets = commaList(raw.SESSION_PREVIOUS_SECRETS);
  const tokenKeyOf = (secret: string) => deriveKey(secret, TOKEN_KEY_INFO);
  const derivedTokenKey = raw.TOKEN_ENCRYPTION_KEY === undefined;
  const tokenEncryptionKey: Buffer = derivedTokenKey ? tokenKeyOf(sessionSecret) : Buffer.from(raw.TOKEN_ENCRYPTION_KEY!, 'base64');

  let igLongLivedUserToken = raw.IG_LONG_LIVED_USER_TOKEN ?? null;
  if (raw.NODE_ENV !== 'development' && igLongLivedUserToken !== null) {
    igLongLivedUserToken = null; // a development-only shortcut: never in production, nor in test runs
    warnings.push(`IG_LONG_LIVED_USER_TOKEN is ignored when NODE_ENV=${raw.NODE_ENV}`);
  }

  return {
    port: Number(raw.PORT),
    host: raw.HOST,
    nodeEnv: raw.NODE_ENV,
    production: raw.NODE_ENV === 'production',
    backendUrl: stripSlash(raw.BACKEND_URL),
    frontendUrl: stripSlash(raw.FRONTEND_URL),
    strictCors: flag(raw.STRICT_CORS),
    /** Generated per process in development when unset (with a warning). */
    sessionSecret,
    /** Former secrets (SESSION_PREVIOUS_SECRETS): they still verify, never sign. */
    previousSessionSecrets,
    sessionCookieName: raw.SESSION_COOKIE_NAME,
    sessionTtlSeconds: Number(raw.SESSION_TTL_SECONDS),
    mysql: mysqlOptions(raw),
    sqlitePath: raw.SQLITE_PATH,
    redisUrl: raw.REDIS_URL ?? null,
    mediaRoot: raw.MEDIA_ROOT,
    /** Null with MEDIA_STORE=disk: the files are under mediaRoot. */
    s3: s3Options(raw),
    ai: {
      serviceUrl: raw.AI_SERVICE_URL === undefined ? null : stripSlash(raw.AI_SERVICE_URL),
      timeoutMs: Number(raw.AI_TIMEOUT_MS),
      maxImageBytes: Number(raw.AI_MAX_IMAGE_BYTES),
    },
    /** 32 bytes; derived from sessionSecret in development when unset. */
    tokenEncryptionKey,
    /**
     * Keys that only open tokens sealed before a rotation (TOKEN_ENCRYPTION_PREVIOUS_KEYS), and, while the
     * key is derived from SESSION_SECRET, the keys derived from the previous secrets.
     */
    previousTokenEncryptionKeys: [
      ...commaList(raw.TOKEN_ENCRYPTION_PREVIOUS_KEYS).map((key): Buffer => Buffer.from(key, 'base64')),
      ...(derivedTokenKey ? previousSessionSecrets.map(tokenKeyOf) : []),
    ],
    kakao: {
      clientId: raw.KAKAO_CLIENT_ID ?? null,
      clientSecret: raw.KAKAO_CLIENT_SECRET ?? null,
      redirectUri: raw.KAKAO_REDIRECT_URI ?? null,
      /** Comma-separated, with every scope containing "email" removed. */
      scope: scopeList(raw.KAKAO_SCOPE, (scope) => !scope.toLowerCase().includes('email')),
      adminKey: raw.KAKAO_ADMIN_KEY ?? null,
      /** Unset: Kakao's unlink notices are checked by the admin key alone. */
      appId: raw.KAKAO_APP_ID ?? null,
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
    instagram: {
      appId: raw.INSTAGRAM_APP_ID ?? null,
      appSecret: raw.INSTAGRAM_APP_SECRET ?? null,
      redirectUri: raw.INSTAGRAM_REDIRECT_URI ?? null,
      scopes: scopeList(raw.INSTAGRAM_SCOPES, () => true),
      authorizeUrl: stripSlash(raw.INSTAGRAM_AUTHORIZE_URL),
      tokenUrl: stripSlash(raw.INSTAGRAM_TOKEN_URL),
      graphUrl: stripSlash(raw.INSTAGRAM_GRAPH_URL),
      apiVersion: raw.INSTAGRAM_API_VERSION,
    },
    /** Always null unless NODE_ENV=development. */
    igLongLivedUserToken,
    appTimezone: raw.APP_TIMEZONE,
    /** Bytes. */
    bodyLimit: parseBytes('BODY_LIMIT', raw.BODY_LIMIT),
    /** Bytes. */
    mediaUploadLimit: parseBytes('MEDIA_UPLOAD_LIMIT', raw.MEDIA_UPLOAD_LIMIT),
    imageRatePerMinute: Number(raw.IMAGE_RATE_PER_MINUTE),
    signInRatePerMinute: Number(raw.SIGN_IN_RATE_PER_MINUTE),
    logLevel: raw.LOG_LEVEL,
    mockProviders: flag(raw.MOCK_PROVIDERS),
    metricsToken: raw.METRICS_TOKEN ?? null,
    shutdownGraceMs: Number(raw.SHUTDOWN_GRACE_MS),
    worker: flag(raw.WORKER),
    workerPollMs: Number(raw.WORKER_POLL_MS),
    jobLeaseMs: Number(raw.JOB_LEASE_MS),
    publishing: {
      /** Where Meta fetches the prepared JPEGs: this plus their `/media/<file>.jpg`. */
      publicMediaBaseUrl: stripSlash(raw.PUBLIC_MEDIA_BASE_URL ?? raw.BACKEND_URL),
      statusPollMs: Number(raw.PUBLISH_STATUS_POLL_MS),
      statusPolls: Number(raw.PUBLISH_STATUS_POLLS),
      quotaRecheckMs: Number(raw.PUBLISH_QUOTA_RECHECK_MS),
    },
    /** How long a post's stored insights are served before Meta is asked again. */
    insightsRefreshMs: Number(raw.INSIGHTS_REFRESH_MINUTES) * 60_000,
    /** Messages to log once the logger exists (e.g. the generated development secret). */
    warnings,
  };
}

type S3Name = Extract<EnvName, `S3_${string}`> | 'MEDIA_STORE';
/** The variables that say where media files live (what `npm run media:migrate` reads). */
export const MEDIA_NAMES = ENV_NAMES.filter((name): name is S3Name | 'MEDIA_ROOT' => /^(S3_|MEDIA_STORE$|MEDIA_ROOT$)/.test(name));

/** The bucket of MEDIA_STORE=s3; S3_BUCKET is required then, and the two static credentials go together. */
export function s3Options(raw: Pick<RawEnv, S3Name>) {
  if (raw.MEDIA_STORE !== 's3') return null;
  if (raw.S3_BUCKET === undefined) throw new ConfigError('S3_BUCKET', 'S3_BUCKET is required when MEDIA_STORE=s3');
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = raw;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    throw new ConfigError(
      missing,
      `${missing} is required when ${missing === 'S3_ACCESS_KEY_ID' ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'} is set`,
    );
  }
  return {
    bucket: raw.S3_BUCKET,
    region: raw.S3_REGION,
    /** Null: AWS's own endpoint for the region. */
    endpoint: raw.S3_ENDPOINT === undefined ? null : stripSlash(raw.S3_ENDPOINT),
    forcePathStyle: flag(raw.S3_FORCE_PATH_STYLE),
    prefix: raw.S3_PREFIX,
    /** Null: the AWS SDK's default credential chain. */
    credentials: accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey } : null,
    /** Null: /media streams each object; set: it answers 302 to `{publicBaseUrl}/{key}`. */
    publicBaseUrl: raw.S3_PUBLIC_BASE_URL === undefined ? null : stripSlash(raw.S3_PUBLIC_BASE_URL),
    presignSeconds: Number(raw.S3_PRESIGN_SECONDS),
    timeoutMs: Number(raw.S3_TIMEOUT_MS),
  };
}

function flag(value: string): boolean {
  return value === '1' || value === 'true';
}

/** Every URL leaves here without trailing slashes: the adapters append paths to base URLs as given. */
function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A 32-byte key for one purpose (`info`) from a secret: HKDF-SHA256. */
export function deriveKey(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
}

/** The trimmed, non-empty entries of a comma-separated list. */
function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Trims a comma-separated list, drops empty entries and those `keep` rejects. */
function scopeList(value: string, keep: (scope: string) => boolean): string {
  return commaList(value).filter(keep).join(',');
}

function parseBytes(name: string, value: string): number {
  const parsed = bytes.parse(value);
  // The schema's pattern only lets through what bytes can parse.
  if (parsed === null) throw new ConfigError(name, `${name} must be a size in bytes (got ${JSON.stringify(value)})`);
  return parsed;
}
