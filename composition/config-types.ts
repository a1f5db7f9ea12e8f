/** The typed configuration, read once from the environment by loadConfig (composition/config.ts). */
export interface Config {
  port: number;
  host: string;
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  backendUrl: string;
  frontendUrl: string;
  strictCors: boolean;
  /** Generated per process in development when unset (with a warning). */
  sessionSecret: string;
  sessionCookieName: string;
  sessionTtlSeconds: number;
  /** Set when DB_HOST is set; otherwise the embedded SQLite file below is used. */
  mysql: { host: string; port: number; user: string; password: string; dbName: string } | null;
  sqlitePath: string;
  mediaRoot: string;
  ai: { serviceUrl: string | null; timeoutMs: number; maxImageBytes: number };
  /** 32 bytes; derived from sessionSecret in development when unset. */
  tokenEncryptionKey: Buffer;
  /** Keys that only open tokens sealed before a rotation (TOKEN_ENCRYPTION_PREVIOUS_KEYS). */
  previousTokenEncryptionKeys: Buffer[];
  kakao: {
    clientId: string | null;
    clientSecret: string | null;
    redirectUri: string | null;
    /** Comma-separated, with every scope containing "email" removed. */
    scope: string;
    adminKey: string | null;
    authBaseUrl: string;
    apiBaseUrl: string;
  };
  google: {
    clientId: string | null;
    clientSecret: string | null;
    redirectUri: string | null;
    authorizeUrl: string;
    tokenUrl: string;
    userinfoUrl: string;
  };
  meta: {
    appId: string | null;
    appSecret: string | null;
    redirectUri: string | null;
    scopes: string;
    dialogUrl: string;
    graphBaseUrl: string;
  };
  /** Always null in production. */
  igLongLivedUserToken: string | null;
  appTimezone: string;
  /** Bytes. */
  bodyLimit: number;
  imageRatePerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  mockProviders: boolean;
  /** Messages to log once the logger exists (e.g. the generated development secret). */
  warnings: string[];
}
