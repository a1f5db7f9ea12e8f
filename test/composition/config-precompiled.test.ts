import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { ENV_FORMATS } from '../../composition/config/env-formats.js';
import { loadConfigValidatorCode, precompiledValidatorsCode } from '../../composition/config/precompile.js';
import { envAjv, schemaOf, validatorKey } from '../../composition/config/read-env.js';
import { ENV_NAMES } from '../../composition/config/variables.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 's'.repeat(32);
const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY };

/** loadConfig's validator from the code the bundle carries, its require() served from here. */
function precompiledValidator(): ValidateFunction {
  const requireHere = createRequire(import.meta.url);
  const require = (id: string): unknown => (id === 'env-formats' ? { ENV_FORMATS } : requireHere(id));
  return new Function('require', `return ${loadConfigValidatorCode('env-formats')};`)(require) as ValidateFunction;
}

/** What a validator makes of env: its verdict, env with the defaults filled in, and its first error as read-env reads it. */
function outcome(validate: ValidateFunction, env: Record<string, string>) {
  const raw = { ...env };
  const valid = validate(raw);
  const error = validate.errors?.[0];
  return {
    valid,
    raw,
    error: error && {
      keyword: error.keyword,
      instancePath: error.instancePath,
      params: error.params,
      message: error.message,
      description: (error.parentSchema as { description?: string } | undefined)?.description,
    },
  };
}

describe('the config validator precompiled into the production bundle', () => {
  const compiled = envAjv().compile(schemaOf(ENV_NAMES));
  const precompiled = precompiledValidator();

  const environments: Record<string, string>[] = [
    {},
    PRODUCTION,
    { NODE_ENV: 'production' },
    { NODE_ENV: 'production', SESSION_SECRET: 'short', TOKEN_ENCRYPTION_KEY: KEY },
    { ...PRODUCTION, TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=' },
    { ...PRODUCTION, MOCK_PROVIDERS: '1' },
    { ...PRODUCTION, SESSION_PREVIOUS_SECRETS: `${SECRET}, short` },
    { ...PRODUCTION, SESSION_PREVIOUS_SECRETS: `${SECRET}, ${'t'.repeat(40)}` },
    { TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${KEY},${KEY}` },
    { TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${KEY},nope` },
    { PORT: 'eighty' },
    { PORT: '70000' },
    { PORT: '0' },
    { APP_TIMEZONE: 'Mars/Base' },
    { APP_TIMEZONE: 'UTC' },
    { APP_TIMEZONE: 'Asia/Calcutta' },
    { APP_TIMEZONE: 'Europe/Paris' },
    { BACKEND_URL: 'not a url' },
    { BACKEND_URL: 'ftp://example.com' },
    { FRONTEND_URL: 'https://example.com/app/' },
    { LOG_LEVEL: 'loud' },
    { KAKAO_APP_ID: 'abc' },
    { BODY_LIMIT: '64kb', MEDIA_UPLOAD_LIMIT: '8mb', STRICT_CORS: 'true' },
    { UNKNOWN_VARIABLE: 'x' },
  ];

  for (const env of environments) {
    it(`answers ${JSON.stringify(env)} as the validator compiled at run time does`, () => {
      expect(outcome(precompiled, env)).to.deep.equal(outcome(compiled, env));
    });
  }

  it("is the bundle's PRECOMPILED entry for loadConfig's variables", () => {
    const code = precompiledValidatorsCode('./env-formats.js');
    expect(code).to.match(/^export const PRECOMPILED = new Map\(\[\[/);
    expect(code).to.include(JSON.stringify(validatorKey(ENV_NAMES)));
    expect(code).to.include('require("./env-formats.js").ENV_FORMATS');
  });
});
