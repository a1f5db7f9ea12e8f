/**
 * Reads and validates the environment once at start (API spec, "Configuration"); every variable is
 * one record in config/variables.ts. An invalid value throws a ConfigError whose one-line message
 * names the variable; the entry points print it to stderr and exit 1.
 */
import { ConfigError, readEnv } from './config/read-env.js';
import { DB_NAMES, MEDIA_NAMES, mysqlOptions, s3Options, typedConfig } from './config/typed-config.js';
import { ENV_NAMES } from './config/variables.js';

/** The typed configuration loadConfig returns, shaped from the variable records by typedConfig. */
export type Config = ReturnType<typeof typedConfig>;
export { ConfigError };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return typedConfig(readEnv(env, ENV_NAMES));
}

/** loadConfig for an entry point: an invalid value is printed to stderr and the process exits 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

/** Only the DB_* variables, read like loadConfig reads them: what `npm run db:migrate` needs. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Config['mysql'] {
  return mysqlOptions(readEnv(env, DB_NAMES));
}

/** Only MEDIA_ROOT, MEDIA_STORE and the S3_* variables, read like loadConfig reads them: what `npm run media:migrate` needs. */
export function loadMediaConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'mediaRoot' | 's3'> {
  const raw = readEnv(env, MEDIA_NAMES);
  return { mediaRoot: raw.MEDIA_ROOT, s3: s3Options(raw) };
}
