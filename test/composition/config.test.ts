import { expect } from 'chai';
import { ConfigError, loadConfig, loadDatabaseConfig, loadMediaConfig } from '../../composition/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 's'.repeat(32);
const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY };

/** The ConfigError loadConfig throws for env. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

function expectRejected(env: NodeJS.ProcessEnv, variable: string): ConfigError {
  const error = configError(env);
  expect(error.variable).to.equal(variable);
  expect(error.message).to.match(new RegExp(`^${variable} `));
  expect(error.message).not.to.include('\n');
  return error;
}

describe('loadConfig', () => {
  it('applies every spec default to an empty environment', () => {
    const { sessionSecret, tokenEncryptionKey, warnings, ...config } = loadConfig({});
    expect(config).to.deep.equal({
      port: 8000,
      host: '0.0.0.0',
      nodeEnv: 'development',
      production: false,
      backendUrl: 'http://localhost:8000',
      frontendUrl: 'http://localhost:5174',
      strictCors: false,
      sessionCookieName: 'sid',
      sessionTtlSeconds: 1209600,
      mysql: null,
      sqlitePath: './data/selfstar.sqlite',
      redisUrl: null,
      mediaRoot: './media',
      s3: null,
      ai: { serviceUrl: null, timeoutMs: 60000, maxImageBytes: 10485760 },
      kakao: {
        clientId: null,
        clientSecret: null,
        redirectUri: null,
        scope: '',
        adminKey: null,
        appId: null,
        authBaseUrl: 'https://kauth.kakao.com',
        apiBaseUrl: 'https://kapi.kakao.com',
      },
      google: {
        clientId: null,
        clientSecret: null,
        redirectUri: null,
        authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        userinfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
      },
      meta: {
        appId: null,
        appSecret: null,
        redirectUri: null,
        scopes: 'pages_show_list,instagram_basic,instagram_content_publish,pages_read_engagement,instagram_manage_insights',
        dialogUrl: 'https://www.facebook.com/v25.0/dialog/oauth',
        graphBaseUrl: 'https://graph.facebook.com/v25.0',
      },
      instagram: {
        appId: null,
        appSecret: null,
        redirectUri: null,
        scopes: 'instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights',
        authorizeUrl: 'https://www.instagram.com/oauth/authorize',
        tokenUrl: 'https://api.instagram.com/oauth/access_token',
        graphUrl: 'https://graph.instagram.com',
        apiVersion: 'v25.0',
      },
      previousSessionSecrets: [],
      previousTokenEncryptionKeys: [],
      igLongLivedUserToken: null,
      appTimezone: 'Asia/Seoul',
      bodyLimit: 65536,
      mediaUploadLimit: 8388608,
      imageRatePerMinute: 10,
      signInRatePerMinute: 30,
      logLevel: 'info',
      mockProviders: false,
      metricsToken: null,
      shutdownGraceMs: 10000,
      worker: true,
      workerPollMs: 1000,
      jobLeaseMs: 60000,
      publishing: { publicMediaBaseUrl: 'http://localhost:8000', statusPollMs: 5000, statusPolls: 12, quotaRecheckMs: 900000 },
      insightsRefreshMs: 900000,
    });
    expect(sessionSecret.length).to.be.at.least(32);
    expect(tokenEncryptionKey).to.have.length(32);
    expect(warnings.join(' ')).to.include('SESSION_SECRET');
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', SESSION_SECRET: '', DB_HOST: '', LOG_LEVEL: '' });
    expect(config.port).to.equal(8000);
    expect(config.mysql).to.equal(null);
    expect(config.logLevel).to.equal('info');
    expect(config.warnings).to.have.length(1);
  });

  it('reads set values and strips trailing slashes from URLs', () => {
    const config = loadConfig({
      PORT: '3000',
      NODE_ENV: 'test',
      BACKEND_URL: 'https://api.example.com/',
      STRICT_CORS: 'true',
      AI_SERVICE_URL: 'http://ai:5000/',
      MOCK_PROVIDERS: '1',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'short is fine here',
    });
    expect(config).to.include({ port: 3000, nodeEnv: 'test', production: false, strictCors: true, mockProviders: true });
    expect(config.backendUrl).to.equal('https://api.example.com');
    expect(config.ai.serviceUrl).to.equal('http://ai:5000');
    expect(config.sessionSecret).to.equal('short is fine here');
    expect(config.warnings).to.deep.equal([]);
  });

  it('strips every trailing slash from the base URLs the adapters append paths to', () => {
    const config = loadConfig({
      AI_SERVICE_URL: 'http://ai:5000//',
      KAKAO_AUTH_BASE_URL: 'https://kauth.example/',
      KAKAO_API_BASE_URL: 'https://kapi.example//',
      META_GRAPH_BASE_URL: 'https://graph.example/v25.0/',
    });
    expect(config.ai.serviceUrl).to.equal('http://ai:5000');
    expect(config.kakao).to.include({ authBaseUrl: 'https://kauth.example', apiBaseUrl: 'https://kapi.example' });
    expect(config.meta.graphBaseUrl).to.equal('https://graph.example/v25.0');
  });

  it('rejects PORT=eighty, naming PORT and the value', () => {
    const error = expectRejected({ PORT: 'eighty' }, 'PORT');
    expect(error.message).to.equal('PORT must be an integer from 1 to 65535 (got "eighty")');
  });

  it('rejects PORT=70000 and PORT=0', () => {
    expectRejected({ PORT: '70000' }, 'PORT');
    expectRejected({ PORT: '0' }, 'PORT');
    expect(loadConfig({ PORT: '65535' }).port).to.equal(65535);
  });

  it('rejects other malformed values, naming the variable', () => {
    expectRejected({ NODE_ENV: 'prod' }, 'NODE_ENV');
    expectRejected({ FRONTEND_URL: 'ftp://example.com' }, 'FRONTEND_URL');
    expectRejected({ STRICT_CORS: 'yes' }, 'STRICT_CORS');
    expectRejected({ SESSION_COOKIE_NAME: 'my cookie' }, 'SESSION_COOKIE_NAME');
    expectRejected({ SESSION_TTL_SECONDS: '-5' }, 'SESSION_TTL_SECONDS');
    expectRejected({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
    expectRejected({ BODY_LIMIT: '1gb' }, 'BODY_LIMIT');
    expectRejected({ MEDIA_UPLOAD_LIMIT: '8 MB' }, 'MEDIA_UPLOAD_LIMIT');
  });

  it('requires SESSION_SECRET in production', () => {
    expectRejected({ NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: KEY }, 'SESSION_SECRET');
  });

  it('rejects a production SESSION_SECRET shorter than 32 characters without echoing it', () => {
    const error = expectRejected({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) }, 'SESSION_SECRET');
    expect(error.message).not.to.include('x'.repeat(31));
  });

  it('requires TOKEN_ENCRYPTION_KEY in production', () => {
    expectRejected({ NODE_ENV: 'production', SESSION_SECRET: SECRET }, 'TOKEN_ENCRYPTION_KEY');
    const config = loadConfig(PRODUCTION);
    expect(config.production).to.equal(true);
    expect(config.tokenEncryptionKey.equals(Buffer.alloc(32, 7))).to.equal(true);
  });

  it('rejects a TOKEN_ENCRYPTION_KEY that is not base64 of exactly 32 bytes', () => {
    expectRejected({ TOKEN_ENCRYPTION_KEY: Buffer.alloc(31).toString('base64') }, 'TOKEN_ENCRYPTION_KEY');
    expectRejected({ TOKEN_ENCRYPTION_KEY: Buffer.alloc(33).toString('base64') }, 'TOKEN_ENCRYPTION_KEY');
    expectRejected({ TOKEN_ENCRYPTION_KEY: 'not base64 at all!' }, 'TOKEN_ENCRYPTION_KEY');
    expectRejected({ ...PRODUCTION, TOKEN_ENCRYPTION_KEY: KEY.slice(0, -1) }, 'TOKEN_ENCRYPTION_KEY');
  });

  it('refuses MOCK_PROVIDERS=1 in production', () => {
    expectRejected({ ...PRODUCTION, MOCK_PROVIDERS: '1' }, 'MOCK_PROVIDERS');
  });

  it('reads TOKEN_ENCRYPTION_PREVIOUS_KEYS for rotation, each 32 bytes', () => {
    const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const config = loadConfig({ TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${a.toString('base64')}, ${b.toString('base64')}` });
    expect(config.previousTokenEncryptionKeys).to.deep.equal([a, b]);
    expect(loadConfig({}).previousTokenEncryptionKeys).to.deep.equal([]);
    expect(() => loadConfig({ TOKEN_ENCRYPTION_PREVIOUS_KEYS: Buffer.alloc(31).toString('base64') })).to.throw(
      /TOKEN_ENCRYPTION_PREVIOUS_KEYS/,
    );
  });

  it('reads SESSION_PREVIOUS_SECRETS for rotation, each ≥ 32 characters in production, never echoed', () => {
    const [a, b] = ['a'.repeat(32), 'b'.repeat(40)];
    expect(loadConfig({ ...PRODUCTION, SESSION_PREVIOUS_SECRETS: ` ${a} ,${b}` }).previousSessionSecrets).to.deep.equal([a, b]);
    expect(loadConfig({}).previousSessionSecrets).to.deep.equal([]);
    expect(loadConfig({ SESSION_PREVIOUS_SECRETS: 'short' }).previousSessionSecrets, 'development').to.deep.equal(['short']);
    const error = expectRejected({ ...PRODUCTION, SESSION_PREVIOUS_SECRETS: `${a},${'y'.repeat(31)}` }, 'SESSION_PREVIOUS_SECRETS');
    expect(error.message).not.to.include('y'.repeat(31)).and.not.include(a);
  });

  it('still opens tokens sealed under a previous secret while the key is derived from SESSION_SECRET', () => {
    const before = loadConfig({ SESSION_SECRET: 'the old development secret' });
    const after = loadConfig({ SESSION_SECRET: 'the new development secret', SESSION_PREVIOUS_SECRETS: 'the old development secret' });
    expect(after.previousTokenEncryptionKeys).to.deep.equal([before.tokenEncryptionKey]);
    const explicit = loadConfig({ TOKEN_ENCRYPTION_KEY: KEY, SESSION_PREVIOUS_SECRETS: 'the old development secret' });
    expect(explicit.previousTokenEncryptionKeys, 'an explicit key rotates with TOKEN_ENCRYPTION_PREVIOUS_KEYS').to.deep.equal([]);
  });

  it('honours IG_LONG_LIVED_USER_TOKEN only in development', () => {
    expect(loadConfig({ ...PRODUCTION, IG_LONG_LIVED_USER_TOKEN: 'tok' }).igLongLivedUserToken).to.equal(null);
    expect(loadConfig({ NODE_ENV: 'test', IG_LONG_LIVED_USER_TOKEN: 'tok' }).igLongLivedUserToken).to.equal(null);
    expect(loadConfig({ IG_LONG_LIVED_USER_TOKEN: 'tok' }).igLongLivedUserToken).to.equal('tok');
  });

  it('drops every Kakao scope containing "email"', () => {
    const scope = (KAKAO_SCOPE: string) => loadConfig({ KAKAO_SCOPE }).kakao.scope;
    expect(scope('profile_nickname,account_email,profile_image')).to.equal('profile_nickname,profile_image');
    expect(scope(' profile_nickname , ,email_needed,profile_image ')).to.equal('profile_nickname,profile_image');
  });

  it('parses BODY_LIMIT into bytes', () => {
    expect(loadConfig({ BODY_LIMIT: '1mb' }).bodyLimit).to.equal(1048576);
    expect(loadConfig({ BODY_LIMIT: '2KB' }).bodyLimit).to.equal(2048);
    expect(loadConfig({ BODY_LIMIT: '500' }).bodyLimit).to.equal(500);
  });

  it('parses MEDIA_UPLOAD_LIMIT into bytes, as BODY_LIMIT', () => {
    expect(loadConfig({ MEDIA_UPLOAD_LIMIT: '12mb' }).mediaUploadLimit).to.equal(12 * 1048576);
    expect(loadConfig({ MEDIA_UPLOAD_LIMIT: '100000' }).mediaUploadLimit).to.equal(100000);
  });

  it('reads the bucket of MEDIA_STORE=s3 with its defaults; S3_* are ignored with MEDIA_STORE=disk', () => {
    expect(loadConfig({ S3_BUCKET: 'media' }).s3).to.equal(null);
    expect(loadConfig({ MEDIA_STORE: 's3', S3_BUCKET: 'media' }).s3).to.deep.equal({
      bucket: 'media',
      region: 'us-east-1',
      endpoint: null,
      forcePathStyle: false,
      prefix: 'media/',
      credentials: null,
      publicBaseUrl: null,
      presignSeconds: 3600,
      timeoutMs: 5000,
    });
    const set = {
      MEDIA_STORE: 's3',
      S3_BUCKET: 'b',
      S3_REGION: 'auto',
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_FORCE_PATH_STYLE: '1',
      S3_PREFIX: 'selfstar/media/',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_PUBLIC_BASE_URL: 'https://cdn.example/',
      S3_PRESIGN_SECONDS: '600',
      S3_TIMEOUT_MS: '2000',
    };
    expect(loadConfig(set).s3).to.deep.equal({
      bucket: 'b',
      region: 'auto',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      prefix: 'selfstar/media/',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      publicBaseUrl: 'https://cdn.example',
      presignSeconds: 600,
      timeoutMs: 2000,
    });
  });

  it('requires S3_BUCKET when MEDIA_STORE=s3, and both static credentials or neither, never echoing the secret', () => {
    expect(expectRejected({ MEDIA_STORE: 's3' }, 'S3_BUCKET').message).to.equal('S3_BUCKET is required when MEDIA_STORE=s3');
    expectRejected({ MEDIA_STORE: 'minio' }, 'MEDIA_STORE');
    expectRejected({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' }, 'S3_SECRET_ACCESS_KEY');
    const error = expectRejected({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_SECRET_ACCESS_KEY: 'hush-hush' }, 'S3_ACCESS_KEY_ID');
    expect(error.message).not.to.include('hush-hush');
    expectRejected({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_PREFIX: 'media' }, 'S3_PREFIX');
    expectRejected({ MEDIA_STORE: 's3', S3_BUCKET: 'b', S3_PRESIGN_SECONDS: '0' }, 'S3_PRESIGN_SECONDS');
  });

  it('rejects an unknown APP_TIMEZONE', () => {
    expectRejected({ APP_TIMEZONE: 'Mars/Base' }, 'APP_TIMEZONE');
    expect(loadConfig({ APP_TIMEZONE: 'Europe/Berlin' }).appTimezone).to.equal('Europe/Berlin');
  });

  it('generates a different development secret on each load, with a warning', () => {
    const first = loadConfig({});
    const second = loadConfig({});
    expect(first.sessionSecret.length).to.be.at.least(32);
    expect(first.warnings.some((warning) => warning.includes('SESSION_SECRET'))).to.equal(true);
    expect(second.sessionSecret).not.to.equal(first.sessionSecret);
    expect(second.tokenEncryptionKey.equals(first.tokenEncryptionKey)).to.equal(false);
  });

  it('derives a deterministic 32-byte encryption key from the session secret in development', () => {
    const first = loadConfig({ SESSION_SECRET: 'a development secret' });
    const second = loadConfig({ SESSION_SECRET: 'a development secret' });
    const other = loadConfig({ SESSION_SECRET: 'another development secret' });
    expect(first.tokenEncryptionKey).to.have.length(32);
    expect(first.tokenEncryptionKey.equals(second.tokenEncryptionKey)).to.equal(true);
    expect(first.tokenEncryptionKey.equals(other.tokenEncryptionKey)).to.equal(false);
    expect(first.tokenEncryptionKey.equals(Buffer.from('a development secret'))).to.equal(false);
  });

  it('builds the MySQL settings with their defaults when DB_HOST is set', () => {
    expect(loadConfig({ DB_HOST: 'db.internal' }).mysql).to.deep.equal({
      host: 'db.internal',
      port: 3306,
      user: 'root',
      password: '',
      dbName: 'selfstar',
    });
    const custom = loadConfig({ DB_HOST: 'db', DB_PORT: '3307', DB_USER: 'app', DB_PASS: 'pw', DB_NAME: 'x' });
    expect(custom.mysql).to.deep.equal({ host: 'db', port: 3307, user: 'app', password: 'pw', dbName: 'x' });
    expectRejected({ DB_HOST: 'db', DB_PORT: 'mysql' }, 'DB_PORT');
    expectRejected({ DB_HOST: 'db', DB_NAME: 'my-db' }, 'DB_NAME');
  });

  it('reads the DB_* variables alone for db:migrate, the way loadConfig reads them', () => {
    const env = { DB_HOST: 'db', DB_PORT: '3307', DB_PASS: 'pw' };
    expect(loadDatabaseConfig(env)).to.deep.equal(loadConfig(env).mysql);
    expect(loadDatabaseConfig({})).to.equal(null);
    const alone = loadDatabaseConfig({ ...env, NODE_ENV: 'production', PORT: 'eighty' });
    expect(alone).to.deep.include({ host: 'db', port: 3307, user: 'root' });
    const portError = /^DB_PORT must be an integer from 1 to 65535 \(got "0"\)$/;
    expect(() => loadDatabaseConfig({ DB_HOST: 'db', DB_PORT: '0' })).to.throw(ConfigError, portError);
  });

  it('reads MEDIA_ROOT, MEDIA_STORE and S3_* alone for media:migrate, the way loadConfig reads them', () => {
    const env = {
      MEDIA_ROOT: '/srv/media',
      MEDIA_STORE: 's3',
      S3_BUCKET: 'b',
      S3_PREFIX: 'x/',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'k',
    };
    const { mediaRoot, s3 } = loadConfig(env);
    expect(loadMediaConfig(env)).to.deep.equal({ mediaRoot, s3 });
    expect(loadMediaConfig({})).to.deep.equal({ mediaRoot: './media', s3: null });
    // The server's other variables are not read, even in production.
    expect(loadMediaConfig({ ...env, NODE_ENV: 'production', PORT: 'eighty' }).s3).to.deep.include({ bucket: 'b', prefix: 'x/' });
    expect(() => loadMediaConfig({ MEDIA_STORE: 's3' })).to.throw(ConfigError, /^S3_BUCKET is required when MEDIA_STORE=s3$/);
    expect(() => loadMediaConfig({ ...env, S3_PREFIX: 'x' })).to.throw(ConfigError, /^S3_PREFIX must end with \//);
  });
});
